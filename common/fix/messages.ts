/**
 * Typed builders and parsers for the application messages both sides use. Builders return the loose
 * objects jspurefix encodes (field names as in the FIX 4.4 dictionary); parsers take `view.toObject()`.
 * Prices are {@link Price} integers on our side of the boundary.
 */
import type { Offset, Side } from '../shfe/offsets.ts';
import type { Price } from '../shfe/price.ts';
import {
  FixOrdType,
  FixPositionEffect,
  FixSide,
  FixTif,
  fromFixPrice,
  parseOffset,
  parseQty,
  parseSide,
  parseTif,
  type TimeInForce,
  toFixPrice,
} from './fields.ts';

/** A new limit order (NewOrderSingle 35=D). */
export interface NewOrder {
  clOrdId: string;
  /** Account (1); the counter also knows it from the session. */
  account?: string;
  symbol: string;
  side: Side;
  price: Price;
  qty: number;
  /** Default `day`. */
  tif?: TimeInForce;
  /** Default `open`. */
  offset?: Offset;
  /** TransactTime (60). */
  transactTime: Date;
}

/** Builds a NewOrderSingle body. */
export function newOrderSingle(o: NewOrder): Record<string, unknown> {
  return {
    ClOrdID: o.clOrdId,
    ...(o.account ? { Account: o.account } : {}),
    Instrument: { Symbol: o.symbol, SecurityExchange: 'SHFE' },
    Side: FixSide[o.side],
    TransactTime: o.transactTime,
    OrderQtyData: { OrderQty: o.qty },
    OrdType: FixOrdType.limit,
    Price: toFixPrice(o.price),
    TimeInForce: FixTif[o.tif ?? 'day'],
    PositionEffect: FixPositionEffect[o.offset ?? 'open'],
  };
}

/** Builds an OrderCancelRequest (35=F) body. */
export function orderCancelRequest(o: {
  clOrdId: string;
  origClOrdId: string;
  symbol: string;
  side: Side;
  transactTime: Date;
  orderId?: string;
}): Record<string, unknown> {
  return {
    OrigClOrdID: o.origClOrdId,
    ClOrdID: o.clOrdId,
    ...(o.orderId ? { OrderID: o.orderId } : {}),
    Instrument: { Symbol: o.symbol },
    Side: FixSide[o.side],
    TransactTime: o.transactTime,
  };
}

/** Result of parsing a NewOrderSingle: the order, or the first problem found (for Text 58). */
export type ParsedNewOrder =
  | { ok: true; order: NewOrder; ordType: string }
  | { ok: false; reason: string; field?: number };

/** Parses a decoded NewOrderSingle, checking the field-level rules (not market rules). */
export function parseNewOrderSingle(m: Record<string, any>): ParsedNewOrder {
  const clOrdId = m.ClOrdID;
  if (typeof clOrdId !== 'string' || clOrdId === '')
    return { ok: false, reason: 'ClOrdID(11) is required', field: 11 };
  const symbol = m.Instrument?.Symbol;
  if (typeof symbol !== 'string' || symbol === '')
    return { ok: false, reason: 'Symbol(55) is required', field: 55 };
  const side = parseSide(m.Side);
  if (!side) return { ok: false, reason: `Side(54) must be 1 (buy) or 2 (sell), got ${m.Side}`, field: 54 };
  const ordType = String(m.OrdType ?? '');
  if (ordType !== FixOrdType.limit)
    return {
      ok: false,
      reason: `OrdType(40)=${ordType || 'missing'} not supported: SHFE takes limit orders only (40=2)`,
      field: 40,
    };
  const qty = parseQty(m.OrderQtyData?.OrderQty);
  if (qty === undefined)
    return {
      ok: false,
      reason: `OrderQty(38) must be a positive whole number of lots, got ${m.OrderQtyData?.OrderQty}`,
      field: 38,
    };
  const price = fromFixPrice(m.Price);
  if (price === undefined || price <= 0)
    return {
      ok: false,
      reason: `Price(44) must be a positive price with at most 2 decimals, got ${m.Price}`,
      field: 44,
    };
  const tif = parseTif(m.TimeInForce);
  if (!tif)
    return {
      ok: false,
      reason: `TimeInForce(59)=${m.TimeInForce} not supported: use 0 (day), 3 (IOC = FAK) or 4 (FOK)`,
      field: 59,
    };
  const offset = parseOffset(m.PositionEffect);
  if (!offset)
    return {
      ok: false,
      reason: `PositionEffect(77)=${m.PositionEffect} not supported: use O, C, T (close-today) or Y (close-yesterday)`,
      field: 77,
    };
  const transactTime = m.TransactTime instanceof Date ? m.TransactTime : new Date(0);
  return {
    ok: true,
    ordType,
    order: {
      clOrdId,
      symbol,
      side,
      price,
      qty,
      tif,
      offset,
      transactTime,
      ...(m.Account ? { account: String(m.Account) } : {}),
    },
  };
}

/** The fields of an ExecutionReport (35=8) in Aurum terms. */
export interface ExecReport {
  orderId: string;
  clOrdId: string;
  origClOrdId?: string;
  execId: string;
  /** ExecType (150) code. */
  execType: string;
  /** OrdStatus (39) code. */
  ordStatus: string;
  account?: string;
  symbol: string;
  side: Side;
  price?: Price;
  qty: number;
  tif?: TimeInForce;
  offset?: Offset;
  lastQty?: number;
  lastPx?: Price;
  leavesQty: number;
  cumQty: number;
  /** Average fill price (cents/g, may be fractional only through FIX; we keep it integer-rounded). */
  avgPx: Price;
  ordRejReason?: number;
  text?: string;
  transactTime: Date;
}

/** Builds an ExecutionReport body. */
export function executionReport(e: ExecReport): Record<string, unknown> {
  return {
    OrderID: e.orderId,
    ClOrdID: e.clOrdId,
    ...(e.origClOrdId ? { OrigClOrdID: e.origClOrdId } : {}),
    ExecID: e.execId,
    ExecType: e.execType,
    OrdStatus: e.ordStatus,
    ...(e.ordRejReason !== undefined ? { OrdRejReason: e.ordRejReason } : {}),
    ...(e.account ? { Account: e.account } : {}),
    Instrument: { Symbol: e.symbol, SecurityExchange: 'SHFE' },
    Side: FixSide[e.side],
    OrderQtyData: { OrderQty: e.qty },
    OrdType: FixOrdType.limit,
    ...(e.price !== undefined ? { Price: toFixPrice(e.price) } : {}),
    ...(e.tif ? { TimeInForce: FixTif[e.tif] } : {}),
    ...(e.offset ? { PositionEffect: FixPositionEffect[e.offset] } : {}),
    ...(e.lastQty !== undefined ? { LastQty: e.lastQty } : {}),
    ...(e.lastPx !== undefined ? { LastPx: toFixPrice(e.lastPx) } : {}),
    LeavesQty: e.leavesQty,
    CumQty: e.cumQty,
    AvgPx: toFixPrice(e.avgPx),
    TransactTime: e.transactTime,
    ...(e.text ? { Text: e.text } : {}),
  };
}

/** Parses a decoded ExecutionReport into {@link ExecReport}; undefined when essential fields are missing. */
export function parseExecutionReport(m: Record<string, any>): ExecReport | undefined {
  const side = parseSide(m.Side);
  if (!side || typeof m.ExecType !== 'string' || typeof m.OrdStatus !== 'string') return undefined;
  const price = fromFixPrice(m.Price);
  const lastPx = fromFixPrice(m.LastPx);
  const tif = m.TimeInForce !== undefined ? parseTif(m.TimeInForce) : undefined;
  const offset = m.PositionEffect !== undefined ? parseOffset(m.PositionEffect) : undefined;
  return {
    orderId: String(m.OrderID ?? ''),
    clOrdId: String(m.ClOrdID ?? ''),
    ...(m.OrigClOrdID ? { origClOrdId: String(m.OrigClOrdID) } : {}),
    execId: String(m.ExecID ?? ''),
    execType: m.ExecType,
    ordStatus: m.OrdStatus,
    ...(m.Account ? { account: String(m.Account) } : {}),
    symbol: String(m.Instrument?.Symbol ?? ''),
    side,
    ...(price !== undefined ? { price } : {}),
    qty: Number(m.OrderQtyData?.OrderQty ?? 0),
    ...(tif ? { tif } : {}),
    ...(offset ? { offset } : {}),
    ...(m.LastQty !== undefined ? { lastQty: Number(m.LastQty) } : {}),
    ...(lastPx !== undefined ? { lastPx } : {}),
    leavesQty: Number(m.LeavesQty ?? 0),
    cumQty: Number(m.CumQty ?? 0),
    avgPx: Math.round(Number(m.AvgPx ?? 0) * 100),
    ...(m.OrdRejReason !== undefined ? { ordRejReason: Number(m.OrdRejReason) } : {}),
    ...(m.Text ? { text: String(m.Text) } : {}),
    transactTime: m.TransactTime instanceof Date ? m.TransactTime : new Date(0),
  };
}

/** Builds an OrderCancelReject (35=9) body. */
export function orderCancelReject(r: {
  orderId: string;
  clOrdId: string;
  origClOrdId: string;
  ordStatus: string;
  /** `1` = cancel request, `2` = cancel/replace request (CxlRejResponseTo 434). */
  responseTo: '1' | '2';
  reason: number;
  text: string;
  account?: string;
}): Record<string, unknown> {
  return {
    OrderID: r.orderId || 'NONE',
    ClOrdID: r.clOrdId,
    OrigClOrdID: r.origClOrdId,
    OrdStatus: r.ordStatus,
    ...(r.account ? { Account: r.account } : {}),
    CxlRejResponseTo: r.responseTo,
    CxlRejReason: r.reason,
    Text: r.text,
  };
}

/** One book level for market data. */
export interface MdLevel {
  price: Price;
  qty: number;
}

/** A depth snapshot of one instrument (MarketDataSnapshotFullRefresh 35=W). */
export interface MdSnapshot {
  mdReqId?: string;
  symbol: string;
  bids: MdLevel[];
  asks: MdLevel[];
  last?: { price: Price; qty: number };
  /** Cumulative traded lots today. */
  volume?: number;
  /** Previous settlement (MDEntryType 6). FIX 4.4 has no limit-price field: limits are in SecurityList. */
  settlement?: Price;
}

/** MDEntryType (269) codes used. */
export const MdEntryType = {
  bid: '0',
  offer: '1',
  trade: '2',
  settlement: '6',
  tradeVolume: 'B',
  high: '7',
  low: '8',
} as const;

/** Builds a MarketDataSnapshotFullRefresh body with up to N levels a side (plus last trade). */
export function mdSnapshot(s: MdSnapshot): Record<string, unknown> {
  const entries: Record<string, unknown>[] = [];
  for (const [i, l] of s.bids.entries()) {
    entries.push({
      MDEntryType: MdEntryType.bid,
      MDEntryPx: toFixPrice(l.price),
      MDEntrySize: l.qty,
      MDEntryPositionNo: i + 1,
    });
  }
  for (const [i, l] of s.asks.entries()) {
    entries.push({
      MDEntryType: MdEntryType.offer,
      MDEntryPx: toFixPrice(l.price),
      MDEntrySize: l.qty,
      MDEntryPositionNo: i + 1,
    });
  }
  if (s.last)
    entries.push({
      MDEntryType: MdEntryType.trade,
      MDEntryPx: toFixPrice(s.last.price),
      MDEntrySize: s.last.qty,
    });
  if (s.volume !== undefined) entries.push({ MDEntryType: MdEntryType.tradeVolume, MDEntrySize: s.volume });
  if (s.settlement !== undefined)
    entries.push({ MDEntryType: MdEntryType.settlement, MDEntryPx: toFixPrice(s.settlement) });
  return {
    ...(s.mdReqId ? { MDReqID: s.mdReqId } : {}),
    Instrument: { Symbol: s.symbol, SecurityExchange: 'SHFE' },
    MDFullGrp: { NoMDEntries: entries },
  };
}

/** Parses a decoded MarketDataSnapshotFullRefresh into {@link MdSnapshot}. */
export function parseMdSnapshot(m: Record<string, any>): MdSnapshot {
  const bids: MdLevel[] = [];
  const asks: MdLevel[] = [];
  let last: MdSnapshot['last'];
  let volume: number | undefined;
  let settlement: number | undefined;
  for (const e of (m.MDFullGrp?.NoMDEntries ?? []) as Record<string, any>[]) {
    const price = fromFixPrice(e.MDEntryPx);
    const qty = Number(e.MDEntrySize ?? 0);
    if (e.MDEntryType === MdEntryType.bid && price !== undefined) bids.push({ price, qty });
    else if (e.MDEntryType === MdEntryType.offer && price !== undefined) asks.push({ price, qty });
    else if (e.MDEntryType === MdEntryType.trade && price !== undefined) last = { price, qty };
    else if (e.MDEntryType === MdEntryType.tradeVolume) volume = qty;
    else if (e.MDEntryType === MdEntryType.settlement && price !== undefined) settlement = price;
  }
  return {
    ...(m.MDReqID ? { mdReqId: String(m.MDReqID) } : {}),
    symbol: String(m.Instrument?.Symbol ?? ''),
    bids,
    asks,
    ...(last ? { last } : {}),
    ...(volume !== undefined ? { volume } : {}),
    ...(settlement !== undefined ? { settlement } : {}),
  };
}
