/**
 * The contract specification as configuration: everything the exchange sets from time to time (limits,
 * margins, fees) is data, with defaults taken from SHFE's published numbers (see shared/design/domain.md).
 */
import type { Money, Price } from './price.ts';

/** Per-lot fees in fen, by offset. */
export interface FeeSchedule {
  /** Opening a position, per lot. Default 1000 fen (10 CNY). */
  openFen: Money;
  /** Closing a position opened today, per lot. Default 0. */
  closeTodayFen: Money;
  /** Closing a position opened on an earlier trading day, per lot. Default 1000 fen (10 CNY). */
  closeYesterdayFen: Money;
}

/** The rules of one futures product (e.g. SHFE gold `au`). */
export interface ContractSpec {
  /** Product code, lower case, as it prefixes instrument ids. Default `au`. */
  product: string;
  /** Exchange code. Default `SHFE`. */
  exchange: string;
  /** Grams per lot. Default 1000. */
  multiplier: number;
  /** Minimum price increment in cents per gram. Default 2 (0.02 CNY/g). */
  tick: Price;
  /** Daily price limit in basis points of the previous settlement. Default 1400 (14%, since 2025-10-21). */
  limitBps: number;
  /** Margin rate in basis points of notional. Default 1600 (16%). */
  marginBps: number;
  /** Per-lot fees. */
  fees: FeeSchedule;
  /** Maximum lots in one order. Default 1000. */
  maxOrderLots: number;
  /** Day of the contract month on which it last trades (moved to the next trading day on a holiday). Default 15. */
  lastTradingDayOfMonth: number;
}

/** SHFE gold defaults. Treat the rates as configuration: override with {@link makeSpec}. */
export const DEFAULT_AU_SPEC: Readonly<ContractSpec> = Object.freeze({
  product: 'au',
  exchange: 'SHFE',
  multiplier: 1000,
  tick: 2,
  limitBps: 1400,
  marginBps: 1600,
  fees: Object.freeze({ openFen: 1000, closeTodayFen: 0, closeYesterdayFen: 1000 }),
  maxOrderLots: 1000,
  lastTradingDayOfMonth: 15,
});

/**
 * Builds a spec from partial overrides over {@link DEFAULT_AU_SPEC}, validating every number.
 * @throws RangeError when a value is not a sensible non-negative integer
 */
export function makeSpec(
  overrides: Partial<Omit<ContractSpec, 'fees'>> & { fees?: Partial<FeeSchedule> } = {},
): ContractSpec {
  const spec: ContractSpec = {
    ...DEFAULT_AU_SPEC,
    ...overrides,
    fees: { ...DEFAULT_AU_SPEC.fees, ...overrides.fees },
  };
  const ints: Array<[string, number, number]> = [
    ['multiplier', spec.multiplier, 1],
    ['tick', spec.tick, 1],
    ['limitBps', spec.limitBps, 1],
    ['marginBps', spec.marginBps, 0],
    ['maxOrderLots', spec.maxOrderLots, 1],
    ['lastTradingDayOfMonth', spec.lastTradingDayOfMonth, 1],
    ['fees.openFen', spec.fees.openFen, 0],
    ['fees.closeTodayFen', spec.fees.closeTodayFen, 0],
    ['fees.closeYesterdayFen', spec.fees.closeYesterdayFen, 0],
  ];
  for (const [name, v, min] of ints) {
    if (!Number.isSafeInteger(v) || v < min)
      throw new RangeError(`contract spec ${name} must be an integer >= ${min}, got ${v}`);
  }
  if (!/^[a-z]{1,2}$/.test(spec.product))
    throw new RangeError(`contract spec product must be 1-2 lower-case letters, got ${spec.product}`);
  return spec;
}
