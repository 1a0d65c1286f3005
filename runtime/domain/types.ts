/**
 * The runtime's domain vocabulary. Prices are integer cents per gram, money integer fen (see
 * common/shfe/price.ts); times are epoch milliseconds. Names follow FIX and traders: events in the past
 * tense, commands in the imperative, one type per identifier.
 */
import type { Offset, Price, Side } from '../../common/shfe/index.ts';

export type { Offset, Price, Side };

/** Our id for an order, unique across restarts (FIX ClOrdID 11). */
export type ClOrdId = string;
/** The counter's id for an order (FIX OrderID 37). */
export type VenueOrderId = string;

/** FIX-aligned order status. */
export type OrderStatus =
  | 'pendingNew'
  | 'new'
  | 'partiallyFilled'
  | 'filled'
  | 'pendingCancel'
  | 'cancelled'
  | 'rejected';

/** `fak` = fill-and-kill (FIX IOC 3), `fok` = fill-or-kill (FIX 4); SHFE has no market orders. */
export type TimeInForce = 'day' | 'fak' | 'fok';

/** A concrete order leg as sent to the counter (a `close` has already been split). */
export interface Order {
  clOrdId: ClOrdId;
  orderId?: VenueOrderId;
  instrument: string;
  side: Side;
  offset: Exclude<Offset, 'close'> | 'close';
  price: Price;
  quantity: number;
  filledQuantity: number;
  /** Sum of price × qty of fills, for the average fill price. */
  filledNotional: number;
  status: OrderStatus;
  timeInForce: TimeInForce;
  /** Strategy name or `manual:<user>`. */
  origin: string;
  text?: string;
  createdAt: number;
  updatedAt: number;
}

/** A market-data snapshot (level 1). */
export interface Tick {
  instrument: string;
  time: number;
  lastPrice: Price;
  bidPrice?: Price;
  bidSize?: number;
  askPrice?: Price;
  askSize?: number;
  /** Cumulative traded volume of the day, lots. */
  volume: number;
  upperLimit?: Price;
  lowerLimit?: Price;
}

/** An OHLC bar (1 minute unless stated). */
export interface Bar {
  instrument: string;
  /** Bar open time, epoch ms. */
  time: number;
  open: Price;
  high: Price;
  low: Price;
  close: Price;
  volume: number;
}

/** A fill, as reported by the counter. */
export interface Fill {
  tradeId: string;
  clOrdId: ClOrdId;
  instrument: string;
  side: Side;
  offset: Order['offset'];
  price: Price;
  quantity: number;
  /** Fen. */
  commission: number;
  time: number;
  origin: string;
}

/**
 * An execution report from the counter, parsed from the wire (FIX 35=8) into the domain.
 * `execType` follows FIX 150 in words.
 */
export interface ExecutionReport {
  execType:
    | 'new'
    | 'trade'
    | 'cancelled'
    | 'rejected'
    | 'pendingCancel'
    | 'status'
    | 'pendingNew'
    | 'expired';
  clOrdId: ClOrdId;
  /** For cancels: the id of the order being cancelled (FIX OrigClOrdID 41). */
  origClOrdId?: ClOrdId;
  orderId?: VenueOrderId;
  execId: string;
  status: OrderStatus;
  instrument: string;
  side: Side;
  offset?: Order['offset'];
  price?: Price;
  quantity: number;
  cumQty: number;
  leavesQty: number;
  lastQty?: number;
  lastPx?: Price;
  avgPx?: Price;
  text?: string;
  time: number;
}

/** A cancel request refused by the counter (FIX 35=9). */
export interface CancelReject {
  clOrdId: ClOrdId;
  origClOrdId: ClOrdId;
  orderId?: VenueOrderId;
  /** Status of the original order as the counter sees it. */
  status?: OrderStatus;
  text?: string;
}

/** The counter's view of one position (FIX PositionReport, or a CTP position query). */
export interface CounterPosition {
  instrument: string;
  longToday: number;
  longYesterday: number;
  shortToday: number;
  shortYesterday: number;
}

/** The counter's view of the funds (FIX CollateralReport, or a CTP account query). Fen. */
export interface CounterFunds {
  accountId: string;
  balance: number;
  available: number;
  margin: number;
  time: number;
}

/** Connection state of a gateway. */
export type ConnectionState = 'disconnected' | 'connecting' | 'loggedOn';

/** Level of an alert. */
export type AlertLevel = 'info' | 'warning' | 'critical';

/** Something a person should know (risk threshold reached, reconciliation mismatch, disconnect). */
export interface Alert {
  id: string;
  time: number;
  level: AlertLevel;
  code: string;
  message: string;
  instrument?: string;
}
