/**
 * Daily price limits, margin and fees — pure arithmetic on integers.
 */

import type { Offset } from './offsets.ts';
import { ceilToTick, floorToTick, type Money, type Price } from './price.ts';
import type { ContractSpec } from './spec.ts';

/** Limit-up and limit-down prices of a trading day. */
export interface PriceLimits {
  /** Highest price an order may carry (inclusive), on the tick grid. */
  upper: Price;
  /** Lowest price an order may carry (inclusive), on the tick grid. */
  lower: Price;
}

/**
 * Limit-up / limit-down from the previous settlement: ± `limitBps` of it, rounded inward to the tick grid.
 * @param prevSettlement previous trading day's settlement price (cents/g)
 */
export function priceLimits(
  prevSettlement: Price,
  spec: Pick<ContractSpec, 'limitBps' | 'tick'>,
): PriceLimits {
  const band = Math.floor((prevSettlement * spec.limitBps) / 10_000);
  return {
    upper: floorToTick(prevSettlement + band, spec.tick),
    lower: Math.max(spec.tick, ceilToTick(prevSettlement - band, spec.tick)),
  };
}

/** Notional of `lots` at `price` in fen (cents/g × g). */
export function notional(price: Price, lots: number, spec: Pick<ContractSpec, 'multiplier'>): Money {
  return price * spec.multiplier * lots;
}

/** Margin for `lots` at `price`, in fen, rounded up to the fen. */
export function margin(
  price: Price,
  lots: number,
  spec: Pick<ContractSpec, 'multiplier' | 'marginBps'>,
): Money {
  return Math.ceil((notional(price, lots, spec) * spec.marginBps) / 10_000);
}

/** Fee in fen for `lots` with an offset (a plain `close` is charged as close-yesterday, as SHFE treats it). */
export function fee(offset: Offset, lots: number, spec: Pick<ContractSpec, 'fees'>): Money {
  switch (offset) {
    case 'open':
      return spec.fees.openFen * lots;
    case 'close-today':
      return spec.fees.closeTodayFen * lots;
    default:
      return spec.fees.closeYesterdayFen * lots;
  }
}

/**
 * Profit in fen of a position of `lots` (positive long, negative short) from `from` to `to`.
 * @param lots signed lots
 */
export function pnl(from: Price, to: Price, lots: number, spec: Pick<ContractSpec, 'multiplier'>): Money {
  return (to - from) * spec.multiplier * lots;
}
