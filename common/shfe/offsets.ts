/**
 * SHFE offsets. An order opens or closes a position; closes distinguish positions opened today
 * (close-today, 平今) from earlier ones (close-yesterday, 平昨). On SHFE a plain `close` means
 * close-yesterday. Platforms split a close automatically, today's position first.
 */

/** What an order does to a position. */
export type Offset = 'open' | 'close' | 'close-today' | 'close-yesterday';

/** All offsets. */
export const OFFSETS: readonly Offset[] = ['open', 'close', 'close-today', 'close-yesterday'];

/** Buy or sell. */
export type Side = 'buy' | 'sell';

/** One leg of a split close. */
export interface CloseLeg {
  /** `close-today` or `close-yesterday`. */
  offset: 'close-today' | 'close-yesterday';
  /** Lots, > 0. */
  lots: number;
}

/**
 * Splits a close of `lots` against a position with `todayLots` opened today and `yesterdayLots` from
 * earlier: close-today first, then close-yesterday. Returns `undefined` when the position is too small.
 * Legs with zero lots are omitted.
 */
export function splitClose(lots: number, todayLots: number, yesterdayLots: number): CloseLeg[] | undefined {
  if (!Number.isSafeInteger(lots) || lots <= 0) return undefined;
  if (lots > todayLots + yesterdayLots) return undefined;
  const t = Math.min(lots, todayLots);
  const legs: CloseLeg[] = [];
  if (t > 0) legs.push({ offset: 'close-today', lots: t });
  if (lots - t > 0) legs.push({ offset: 'close-yesterday', lots: lots - t });
  return legs;
}

/** The side that closes a position held on `positionSide` (a long is closed by selling). */
export function closingSide(positionSide: 'long' | 'short'): Side {
  return positionSide === 'long' ? 'sell' : 'buy';
}

/** The position side an order acts on: open buy → long, close buy → short. */
export function positionSideOf(side: Side, offset: Offset): 'long' | 'short' {
  if (offset === 'open') return side === 'buy' ? 'long' : 'short';
  return side === 'buy' ? 'short' : 'long';
}
