/**
 * Shapes of the market model: instruments, client orders and the events the market emits.
 */

import type { TimeInForce } from '../../common/fix/fields.ts';
import type { Offset, Price, Side } from '../../common/shfe/index.ts';
import type { RejectCode } from './errors.ts';

/** The house account that supplies other participants' liquidity; never margin-checked, never reported. */
export const HOUSE_ACCOUNT = '__house__';

/** Per-instrument market state (the book itself lives beside it). */
export interface InstrumentState {
  symbol: string;
  /** Previous trading day's settlement price. */
  prevSettlement: Price;
  /** Limit-up / limit-down of the current trading day. */
  upper: Price;
  lower: Price;
  /** Last trade price and size today. */
  last?: Price;
  lastQty?: number;
  /** Lots traded today, and sum of price × lots (for the VWAP settlement). */
  volume: number;
  turnover: number;
  /** Halted by the operator: no new orders. */
  halted: boolean;
}

/** Order status in words; mapped to OrdStatus(39) at the FIX edge. */
export type OrderStatus = 'new' | 'partially-filled' | 'filled' | 'canceled' | 'rejected';

/** A client order as the counter keeps it. */
export interface ClientOrder {
  /** Counter-assigned id (OrderID 37). */
  orderId: string;
  /** Client id (ClOrdID 11). */
  clOrdId: string;
  account: string;
  symbol: string;
  side: Side;
  offset: Offset;
  /** The position side it acts on. */
  positionSide: 'long' | 'short';
  price: Price;
  qty: number;
  tif: TimeInForce;
  cumQty: number;
  /** Sum of fill price × lots (average price = notional / cumQty). */
  filledNotional: number;
  status: OrderStatus;
  /** Money still reserved for it (fen; open orders only). */
  reserved: number;
  /** For closes: which bucket its lots are frozen in. */
  closeFrom?: 'today' | 'yesterday';
  /** Reject or cancel explanation. */
  text?: string;
  rejectCode?: RejectCode;
  /** Trading day it was entered on. */
  tradingDay: string;
  createdAt: number;
  updatedAt: number;
  /** Global entry sequence (restores book priority after a restart). */
  seq: number;
}

/** What happened to a client order — becomes an ExecutionReport. */
export interface ExecEvent {
  kind: 'exec';
  /** Copy of the order after the event. */
  order: ClientOrder;
  execType: 'new' | 'trade' | 'canceled' | 'rejected';
  execId: string;
  lastQty?: number;
  lastPx?: Price;
}

/** The book or last trade of an instrument changed. */
export interface BookEvent {
  kind: 'book';
  symbol: string;
}

/** Everything the market emits. */
export type MarketEvent = ExecEvent | BookEvent;
