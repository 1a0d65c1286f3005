/**
 * Positions per instrument and side, split into today's and yesterday's lots (SHFE close-today rules), with
 * realized and unrealized PnL. Positions change only by applying fills (or by adopting the counter's numbers
 * during reconciliation). All amounts are integers: cost in cents/g × lots, PnL in fen.
 */
import { type ContractSpec, DEFAULT_AU_SPEC, margin, positionSideOf } from '../../common/shfe/index.ts';
import type { CounterPosition, Fill, Price } from '../domain/types.ts';

/** One side (long or short) of a position. */
export interface PositionLeg {
  today: number;
  yesterday: number;
  /** Sum of entry price × lots of the lots still open (cents/g × lots). */
  cost: number;
  /**
   * The lots were adopted from the counter before any price was known, so `cost` is not theirs yet: they carry no
   * unrealized PnL and are priced at the first price seen (a tick or a fill). Absent otherwise.
   */
  costUnknown?: true;
}

/** A position in one instrument. */
export interface Position {
  instrument: string;
  long: PositionLeg;
  short: PositionLeg;
  /** Fen. */
  realizedPnl: number;
  /** Fen. */
  commission: number;
}

const emptyLeg = (): PositionLeg => ({ today: 0, yesterday: 0, cost: 0 });

/** Lots held on a leg. */
export const legLots = (l: PositionLeg): number => l.today + l.yesterday;

/** Average entry price of a leg in cents/g (rounded to the nearest cent), or undefined when flat or unknown. */
export function avgPrice(l: PositionLeg): Price | undefined {
  const lots = legLots(l);
  return lots > 0 && !l.costUnknown ? Math.round(l.cost / lots) : undefined;
}

/** The book of positions of one account. */
export class PositionBook {
  readonly #spec: Pick<ContractSpec, 'multiplier' | 'marginBps'>;
  readonly #positions = new Map<string, Position>();
  /** Legs waiting for a price: kept so that the tick path asks nothing while there are none. */
  #unknownCosts = 0;

  /** @param spec contract multiplier and margin rate (default SHFE gold) */
  constructor(spec: Pick<ContractSpec, 'multiplier' | 'marginBps'> = DEFAULT_AU_SPEC) {
    this.#spec = spec;
  }

  /** The position in `instrument` (created flat on first use). */
  get(instrument: string): Position {
    let p = this.#positions.get(instrument);
    if (!p) {
      p = { instrument, long: emptyLeg(), short: emptyLeg(), realizedPnl: 0, commission: 0 };
      this.#positions.set(instrument, p);
    }
    return p;
  }

  /**
   * The position in `instrument` if it ever had one, without creating it: asking about a contract (a risk
   * check of an order that is then refused, say) must not add it to the book.
   */
  find(instrument: string): Position | undefined {
    return this.#positions.get(instrument);
  }

  /** Every instrument that ever held a position or paid a fee. */
  all(): Position[] {
    return [...this.#positions.values()];
  }

  /**
   * Applies a fill. Opening adds today's lots; close-today takes today's, close-yesterday (and a plain
   * close, as SHFE treats it) takes yesterday's. Realized PnL uses the average entry price.
   * @returns the realized PnL of this fill in fen (0 for opens)
   */
  applyFill(fill: Fill): number {
    const p = this.get(fill.instrument);
    p.commission += fill.commission;
    const sideName = positionSideOf(fill.side, fill.offset);
    const leg = sideName === 'long' ? p.long : p.short;
    if (leg.costUnknown) {
      priceLeg(leg, fill.price);
      this.#countUnknown();
    }
    if (fill.offset === 'open') {
      leg.today += fill.quantity;
      leg.cost += fill.price * fill.quantity;
      return 0;
    }
    const lotsBefore = legLots(leg);
    let qty = fill.quantity;
    // Take from the named bucket first; if the counter closed more than we knew of, take from the other.
    const first: 'today' | 'yesterday' = fill.offset === 'close-today' ? 'today' : 'yesterday';
    const second = first === 'today' ? 'yesterday' : 'today';
    const a = Math.min(qty, leg[first]);
    leg[first] -= a;
    qty -= a;
    const b = Math.min(qty, leg[second]);
    leg[second] -= b;
    const closed = a + b;
    if (closed === 0 || lotsBefore === 0) return 0;
    const removedCost = Math.round((leg.cost * closed) / lotsBefore);
    leg.cost -= removedCost;
    if (legLots(leg) === 0) leg.cost = 0;
    const gross = (fill.price * closed - removedCost) * this.#spec.multiplier;
    const realized = sideName === 'long' ? gross : -gross;
    p.realizedPnl += realized;
    return realized;
  }

  /** Unrealized PnL of a position at `last` (fen). */
  unrealized(instrument: string, last: Price | undefined): number {
    const p = this.#positions.get(instrument);
    if (!p || last === undefined) return 0;
    const m = this.#spec.multiplier;
    const long = p.long.costUnknown ? 0 : (last * legLots(p.long) - p.long.cost) * m;
    const short = p.short.costUnknown ? 0 : (p.short.cost - last * legLots(p.short)) * m;
    return long + short;
  }

  /** True while some adopted lots wait for a price (see {@link PositionLeg.costUnknown}). */
  hasUnknownCosts(): boolean {
    return this.#unknownCosts > 0;
  }

  /**
   * Prices the adopted lots of `instrument` whose entry cost is unknown at `price` (the first one seen).
   * @returns whether any lots were priced (the caller persists the book then)
   */
  priceUnknownCosts(instrument: string, price: Price): boolean {
    const p = this.#positions.get(instrument);
    if (!p) return false;
    let priced = false;
    for (const leg of [p.long, p.short])
      if (leg.costUnknown) {
        priceLeg(leg, price);
        priced = true;
      }
    if (priced) this.#countUnknown();
    return priced;
  }

  /** Margin held by a position at `last` (fen). */
  margin(instrument: string, last: Price | undefined): number {
    const p = this.#positions.get(instrument);
    if (!p || last === undefined) return 0;
    return margin(last, legLots(p.long) + legLots(p.short), this.#spec);
  }

  /** Settlement: today's lots become yesterday's (at the start of a new trading day). */
  rollDay(): void {
    for (const p of this.#positions.values()) {
      for (const leg of [p.long, p.short]) {
        leg.yesterday += leg.today;
        leg.today = 0;
      }
      p.realizedPnl = 0;
      p.commission = 0;
    }
  }

  /**
   * Adopts the counter's lots for one instrument (reconciliation: the counter is the truth). The entry cost
   * is kept per lot where we had one, else taken at `fallbackPrice`.
   */
  adopt(cp: CounterPosition, fallbackPrice: Price | undefined): void {
    const p = this.get(cp.instrument);
    const fix = (leg: PositionLeg, today: number, yesterday: number) => {
      const before = legLots(leg);
      const known = before > 0 && !leg.costUnknown;
      const avg = known ? leg.cost / before : fallbackPrice;
      leg.today = today;
      leg.yesterday = yesterday;
      // Without any price (reconciled before the first tick) a cost of 0 would make the lots look like a
      // fortune won or lost, enough to trip the daily loss limit: they wait for the first price instead.
      if (avg === undefined && today + yesterday > 0) {
        leg.cost = 0;
        leg.costUnknown = true;
      } else {
        leg.cost = Math.round((avg ?? 0) * (today + yesterday));
        delete leg.costUnknown;
      }
    };
    fix(p.long, cp.longToday, cp.longYesterday);
    fix(p.short, cp.shortToday, cp.shortYesterday);
    this.#countUnknown();
  }

  /** Our lots in the counter's shape, for comparing. */
  asCounterPosition(instrument: string): CounterPosition {
    const p = this.find(instrument);
    return {
      instrument,
      longToday: p?.long.today ?? 0,
      longYesterday: p?.long.yesterday ?? 0,
      shortToday: p?.short.today ?? 0,
      shortYesterday: p?.short.yesterday ?? 0,
    };
  }

  /** A deep copy for persistence. */
  snapshot(): Position[] {
    return structuredClone(this.all());
  }

  /** Restores from {@link snapshot}. */
  restore(positions: Position[]): void {
    this.#positions.clear();
    for (const p of positions) this.#positions.set(p.instrument, structuredClone(p));
    this.#countUnknown();
  }

  #countUnknown(): void {
    let n = 0;
    for (const p of this.#positions.values())
      n += (p.long.costUnknown ? 1 : 0) + (p.short.costUnknown ? 1 : 0);
    this.#unknownCosts = n;
  }
}

/** Takes the lots of a leg whose entry cost is unknown at `price`. */
function priceLeg(leg: PositionLeg, price: Price): void {
  leg.cost = price * legLots(leg);
  delete leg.costUnknown;
}
