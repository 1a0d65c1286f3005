/**
 * FIX 4.4 wire ↔ runtime domain, pure. Message shapes shared with the counter simulator come from
 * common/fix (NewOrderSingle, cancel, ExecutionReport, market data); the reconciliation queries are built
 * here with standard FIX 4.4 fields:
 *
 * - OrderStatusRequest (H) → ExecutionReport with ExecType `I`; an order the counter does not know comes
 *   back with OrdStatus `8` and OrdRejReason `5` (unknown order) or a Text saying so.
 * - RequestForPositions (AN, PosReqType 0) → RequestForPositionsAck (AO, TotalNumPosReports) and one
 *   PositionReport (AP) per instrument; PositionQty entries with PosType `SOD` are yesterday's lots,
 *   `ITD` today's (a `TOT` entry alone counts as yesterday's).
 * - CollateralInquiry (BB) → CollateralReport (BA): TotalNetValue (900) = balance (equity), MarginExcess (899)
 *   = available funds; margin in use (and frozen) = the difference.
 */
import { ExecType, fromFixPrice, OrdStatus } from '../../../common/fix/fields.ts';
import {
  type ExecReport,
  type MdSnapshot,
  parseExecutionReport,
  parseMdSnapshot,
} from '../../../common/fix/messages.ts';
import { DEFAULT_AU_SPEC, parseMoney, priceLimits } from '../../../common/shfe/index.ts';
import type {
  CancelReject,
  CounterFunds,
  CounterPosition,
  ExecutionReport,
  Order,
  OrderStatus,
  Tick,
} from '../../domain/types.ts';
import { UNKNOWN_ORDER_TEXT } from '../gateway.ts';

const STATUS: Record<string, OrderStatus> = {
  [OrdStatus.new]: 'new',
  [OrdStatus.partiallyFilled]: 'partiallyFilled',
  [OrdStatus.filled]: 'filled',
  [OrdStatus.canceled]: 'cancelled',
  [OrdStatus.rejected]: 'rejected',
  [OrdStatus.expired]: 'cancelled',
  '6': 'pendingCancel',
  A: 'pendingNew',
  '3': 'cancelled', // done for day
};

const EXEC: Record<string, ExecutionReport['execType']> = {
  [ExecType.new]: 'new',
  [ExecType.canceled]: 'cancelled',
  [ExecType.rejected]: 'rejected',
  [ExecType.expired]: 'expired',
  [ExecType.trade]: 'trade',
  [ExecType.orderStatus]: 'status',
  '6': 'pendingCancel',
  A: 'pendingNew',
  '1': 'trade', // FIX 4.2 partial fill
  '2': 'trade', // FIX 4.2 fill
  '3': 'cancelled', // done for day
};

/** OrdRejReason 5: unknown order; 6: duplicate order. */
const UNKNOWN_ORDER_REASON = 5;
const DUPLICATE_ORDER_REASON = 6;

/**
 * A decoded ExecutionReport → domain. Returns `undefined` for reports that must not change anything: a
 * counter's "duplicate ClOrdID" refusal of a possibly-resent order refers to the original, which lives on.
 */
export function toExecutionReport(
  m: Record<string, unknown>,
  receivedAt: number,
): ExecutionReport | undefined {
  const e = parseExecutionReport(m as Record<string, never>);
  if (!e) return undefined;
  return fromExecReport(e, receivedAt);
}

/** common/fix's parsed report → domain. */
export function fromExecReport(e: ExecReport, receivedAt: number): ExecutionReport | undefined {
  const execType = EXEC[e.execType];
  const status = STATUS[e.ordStatus];
  if (!execType || !status) return undefined;
  if (execType === 'rejected' && e.ordRejReason === DUPLICATE_ORDER_REASON) return undefined;
  const unknown =
    status === 'rejected' &&
    (e.ordRejReason === UNKNOWN_ORDER_REASON || /unknown order|order not found/i.test(e.text ?? ''));
  const time = e.transactTime.getTime() || receivedAt;
  return {
    execType,
    clOrdId: e.clOrdId,
    ...(e.origClOrdId ? { origClOrdId: e.origClOrdId } : {}),
    ...(e.orderId && e.orderId !== 'NONE' ? { orderId: e.orderId } : {}),
    execId: e.execId || `${e.orderId}:${e.cumQty}:${execType}`,
    status,
    instrument: e.symbol,
    side: e.side,
    ...(e.offset ? { offset: e.offset } : {}),
    ...(e.price !== undefined ? { price: e.price } : {}),
    quantity: e.qty,
    cumQty: e.cumQty,
    leavesQty: e.leavesQty,
    ...(e.lastQty !== undefined ? { lastQty: e.lastQty } : {}),
    ...(e.lastPx !== undefined ? { lastPx: e.lastPx } : {}),
    ...(e.cumQty > 0 ? { avgPx: e.avgPx } : {}),
    ...(unknown ? { text: UNKNOWN_ORDER_TEXT } : e.text ? { text: e.text } : {}),
    time,
  };
}

/** A decoded OrderCancelReject (35=9) → domain. */
export function toCancelReject(m: Record<string, unknown>): CancelReject | undefined {
  const clOrdId = m.ClOrdID;
  const orig = m.OrigClOrdID;
  if (typeof clOrdId !== 'string' || typeof orig !== 'string') return undefined;
  const status = typeof m.OrdStatus === 'string' ? STATUS[m.OrdStatus] : undefined;
  return {
    clOrdId,
    origClOrdId: orig,
    ...(typeof m.OrderID === 'string' && m.OrderID !== 'NONE' ? { orderId: m.OrderID } : {}),
    ...(status ? { status } : {}),
    ...(typeof m.Text === 'string' ? { text: m.Text } : {}),
  };
}

/**
 * A market-data snapshot → a level-1 tick. Limits come from the previous settlement (FIX 4.4 has no
 * limit-price entry) using the exchange's limit rate. Returns undefined without a last price or a book.
 */
export function toTick(
  s: MdSnapshot,
  receivedAt: number,
  prev?: Tick,
  limitBps = DEFAULT_AU_SPEC.limitBps,
): Tick | undefined {
  const bid = s.bids[0];
  const ask = s.asks[0];
  const lastPrice =
    s.last?.price ??
    prev?.lastPrice ??
    (bid && ask ? Math.round((bid.price + ask.price) / 4) * 2 : undefined);
  if (lastPrice === undefined || !s.symbol) return undefined;
  const t: Tick = {
    instrument: s.symbol,
    time: receivedAt,
    lastPrice,
    volume: s.volume ?? prev?.volume ?? 0,
  };
  if (bid) {
    t.bidPrice = bid.price;
    t.bidSize = bid.qty;
  }
  if (ask) {
    t.askPrice = ask.price;
    t.askSize = ask.qty;
  }
  if (s.settlement !== undefined) {
    const l = priceLimits(s.settlement, { limitBps, tick: DEFAULT_AU_SPEC.tick });
    t.upperLimit = l.upper;
    t.lowerLimit = l.lower;
  } else if (prev?.upperLimit !== undefined && prev.lowerLimit !== undefined) {
    t.upperLimit = prev.upperLimit;
    t.lowerLimit = prev.lowerLimit;
  }
  return t;
}

/** Decoded W → tick. */
export function snapshotToTick(
  m: Record<string, unknown>,
  receivedAt: number,
  prev?: Tick,
): Tick | undefined {
  return toTick(parseMdSnapshot(m as Record<string, never>), receivedAt, prev);
}

/**
 * Applies a MarketDataIncrementalRefresh (35=X) to the last ticks: top-of-book entries (position 1) change
 * bid/ask, trade entries the last price, TradeVolume the day's volume. Returns one updated tick per
 * instrument touched (in the order first touched). Instruments never seen in a snapshot are skipped.
 */
export function applyIncremental(
  m: Record<string, any>,
  receivedAt: number,
  last: (symbol: string) => Tick | undefined,
): Tick[] {
  const out = new Map<string, Tick>();
  for (const e of (m.MDIncGrp?.NoMDEntries ?? []) as Array<Record<string, any>>) {
    const sym = String(e.Instrument?.Symbol ?? m.Instrument?.Symbol ?? '');
    const base = out.get(sym) ?? last(sym);
    if (!base) continue;
    const t: Tick = out.get(sym) ?? { ...base, time: receivedAt };
    const pos = Number(e.MDEntryPositionNo ?? 1);
    const px = fromFixPrice(e.MDEntryPx);
    const size = Number(e.MDEntrySize ?? 0);
    const del = String(e.MDUpdateAction) === '2';
    switch (e.MDEntryType) {
      case '0':
        if (pos !== 1) break;
        if (del) {
          delete t.bidPrice;
          delete t.bidSize;
        } else if (px !== undefined) {
          t.bidPrice = px;
          t.bidSize = size;
        }
        break;
      case '1':
        if (pos !== 1) break;
        if (del) {
          delete t.askPrice;
          delete t.askSize;
        } else if (px !== undefined) {
          t.askPrice = px;
          t.askSize = size;
        }
        break;
      case '2':
        if (px !== undefined) t.lastPrice = px;
        break;
      case 'B':
        t.volume = size;
        break;
    }
    out.set(sym, t);
  }
  return [...out.values()];
}

/** MarketDataRequest (V): snapshot + updates, top of book, bid/offer/trade/volume/settlement. */
export function marketDataRequest(reqId: string, instruments: readonly string[]): Record<string, unknown> {
  return {
    MDReqID: reqId,
    SubscriptionRequestType: '1',
    MarketDepth: 1,
    MDUpdateType: 0,
    MDReqGrp: { NoMDEntryTypes: ['0', '1', '2', 'B', '6'].map((t) => ({ MDEntryType: t })) },
    InstrmtMDReqGrp: {
      NoRelatedSym: instruments.map((s) => ({ Instrument: { Symbol: s, SecurityExchange: 'SHFE' } })),
    },
  };
}

/** OrderStatusRequest (H) for one order. */
export function orderStatusRequest(o: Order, reqId: string, account: string): Record<string, unknown> {
  return {
    ...(o.orderId ? { OrderID: o.orderId } : {}),
    ClOrdID: o.clOrdId,
    OrdStatusReqID: reqId,
    Account: account,
    Instrument: { Symbol: o.instrument },
    Side: o.side === 'buy' ? '1' : '2',
  };
}

/** RequestForPositions (AN): all positions of the account. */
export function requestForPositions(reqId: string, account: string, now: Date): Record<string, unknown> {
  return {
    PosReqID: reqId,
    PosReqType: 0,
    Account: account,
    AccountType: 1,
    ClearingBusinessDate: now.toISOString().slice(0, 10).replaceAll('-', ''),
    TransactTime: now,
  };
}

/** A decoded PositionReport (AP) → domain. */
export function toCounterPosition(m: Record<string, any>): CounterPosition | undefined {
  const instrument = m.Instrument?.Symbol;
  if (typeof instrument !== 'string') return undefined;
  const p: CounterPosition = { instrument, longToday: 0, longYesterday: 0, shortToday: 0, shortYesterday: 0 };
  let total: { long: number; short: number } | undefined;
  for (const e of (m.PositionQty?.NoPositions ?? []) as Array<Record<string, unknown>>) {
    const long = Number(e.LongQty ?? 0);
    const short = Number(e.ShortQty ?? 0);
    if (e.PosType === 'ITD') {
      p.longToday += long;
      p.shortToday += short;
    } else if (e.PosType === 'SOD') {
      p.longYesterday += long;
      p.shortYesterday += short;
    } else total = { long, short };
  }
  if (total && p.longYesterday + p.shortYesterday === 0) {
    p.longYesterday = Math.max(0, total.long - p.longToday);
    p.shortYesterday = Math.max(0, total.short - p.shortToday);
  }
  return p;
}

/** CollateralInquiry (BB). */
export function collateralInquiry(reqId: string, account: string): Record<string, unknown> {
  return { CollInquiryID: reqId, Account: account, SubscriptionRequestType: '0' };
}

/** A decoded CollateralReport (BA) → funds in fen. */
export function toCounterFunds(m: Record<string, any>, receivedAt: number): CounterFunds | undefined {
  const money = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? parseMoney(v) : undefined);
  const balance = money(m.TotalNetValue);
  const available = money(m.MarginExcess);
  if (balance === undefined || available === undefined) return undefined;
  return {
    accountId: String(m.Account ?? ''),
    balance,
    available,
    margin: balance - available,
    time: receivedAt,
  };
}

export { fromFixPrice };
