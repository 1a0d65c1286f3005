/**
 * Domain → wire views for the engine port (runtime/api/engine-port.ts): integer cents and fen become exact
 * decimal strings, epoch ms become RFC 3339, SHFE offsets get the port's spelling. Pure.
 */
import { formatDecimal2, parseDecimal2 } from '../common/shfe/index.ts';
import type * as Port from './api/engine-port.ts';
import type { Alert, Bar, Fill, Offset, Order, Tick } from './domain/types.ts';
import { avgPrice, type Position } from './oms/positions.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const dec = formatDecimal2;

/** SHFE offset → port offset. */
export function portOffset(o: Offset): Port.Offset {
  return o === 'close-today' ? 'closeToday' : o === 'close-yesterday' ? 'closeYesterday' : o;
}

/** Port offset → SHFE offset (undefined when unknown). */
export function domainOffset(o: string): Offset | undefined {
  return (
    { open: 'open', close: 'close', closeToday: 'close-today', closeYesterday: 'close-yesterday' } as const
  )[o as Port.Offset];
}

/** Parses a price string from the API into cents (undefined when not an exact 2-decimal number). */
export function parsePriceText(s: string): number | undefined {
  return typeof s === 'string' ? parseDecimal2(s) : undefined;
}

export function orderView(o: Order): Port.OrderView {
  return {
    clOrdId: o.clOrdId,
    ...(o.orderId ? { orderId: o.orderId } : {}),
    instrument: o.instrument,
    side: o.side,
    offset: portOffset(o.offset),
    price: dec(o.price),
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    ...(o.filledQuantity > 0 ? { avgFillPrice: dec(Math.round(o.filledNotional / o.filledQuantity)) } : {}),
    status: o.status,
    timeInForce: o.timeInForce,
    origin: o.origin,
    ...(o.text ? { text: o.text } : {}),
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

export function tradeView(f: Fill): Port.TradeView {
  return {
    tradeId: f.tradeId,
    clOrdId: f.clOrdId,
    instrument: f.instrument,
    side: f.side,
    offset: portOffset(f.offset),
    price: dec(f.price),
    quantity: f.quantity,
    commission: dec(f.commission),
    time: iso(f.time),
    origin: f.origin,
  };
}

export function tickView(t: Tick): Port.TickView {
  return {
    instrument: t.instrument,
    time: iso(t.time),
    lastPrice: dec(t.lastPrice),
    ...(t.bidPrice !== undefined ? { bidPrice: dec(t.bidPrice) } : {}),
    ...(t.bidSize !== undefined ? { bidSize: t.bidSize } : {}),
    ...(t.askPrice !== undefined ? { askPrice: dec(t.askPrice) } : {}),
    ...(t.askSize !== undefined ? { askSize: t.askSize } : {}),
    volume: t.volume,
    ...(t.upperLimit !== undefined ? { upperLimit: dec(t.upperLimit) } : {}),
    ...(t.lowerLimit !== undefined ? { lowerLimit: dec(t.lowerLimit) } : {}),
  };
}

export function barView(b: Bar): Port.BarView {
  return {
    instrument: b.instrument,
    time: iso(b.time),
    open: dec(b.open),
    high: dec(b.high),
    low: dec(b.low),
    close: dec(b.close),
    volume: b.volume,
  };
}

export function positionView(p: Position, unrealized: number, margin: number): Port.PositionView {
  const leg = (l: Position['long']): Port.PositionLegView => {
    const a = avgPrice(l);
    return { today: l.today, yesterday: l.yesterday, ...(a !== undefined ? { avgPrice: dec(a) } : {}) };
  };
  return {
    instrument: p.instrument,
    long: leg(p.long),
    short: leg(p.short),
    realizedPnl: dec(p.realizedPnl),
    unrealizedPnl: dec(unrealized),
    margin: dec(margin),
  };
}

export function alertView(a: Alert): Port.AlertView {
  return {
    id: a.id,
    time: iso(a.time),
    level: a.level,
    code: a.code,
    message: a.message,
    ...(a.instrument ? { instrument: a.instrument } : {}),
  };
}
