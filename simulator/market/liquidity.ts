/**
 * Other participants' liquidity: a seeded stochastic model shaped like gold. Per instrument a fair price
 * follows a mean-reverting random walk (about 1.5 ticks per step, pulled gently back to the previous
 * settlement so it stays well inside the daily limits); each step the house account re-quotes five levels
 * a side around it (spread 1–2 ticks, 1–30 lots a level, deeper levels thicker) and sometimes trades
 * (a FAK for a few lots at the touch), so the tape moves. Client orders that the new quotes cross are
 * filled — that is how investors' resting orders get filled. Deterministic for a given seed.
 */

import type { Market } from './market.ts';
import type { MarketEvent } from './types.ts';
import { HOUSE_ACCOUNT } from './types.ts';

/** Small, fast, seedable PRNG (mulberry32). Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Model parameters. */
export interface LiquidityOptions {
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Price levels quoted per side. Default 5. */
  levels?: number;
  /** Standard deviation of the fair-price step, in ticks. Default 1.5. */
  stepTicks?: number;
  /** Probability of a house trade per step. Default 0.35. */
  tradeProbability?: number;
  /** Replayed prices replace the random walk for the symbols they cover. */
  replay?: { next(symbol: string): number | undefined };
}

export class LiquidityModel {
  private readonly market: Market;
  private readonly rnd: () => number;
  private readonly levels: number;
  private readonly stepTicks: number;
  private readonly tradeP: number;
  /** Fair price per symbol, in ticks (float). */
  private readonly fair = new Map<string, number>();
  private readonly quotes = new Map<string, string[]>();
  private idSeq = 0;
  private readonly replay: LiquidityOptions['replay'];

  constructor(market: Market, o: LiquidityOptions = {}) {
    this.market = market;
    this.rnd = mulberry32(o.seed ?? 1);
    this.levels = o.levels ?? 5;
    this.stepTicks = o.stepTicks ?? 1.5;
    this.tradeP = o.tradeProbability ?? 0.35;
    this.replay = o.replay;
  }

  /** Standard normal draw (Box–Muller). */
  private gauss(): number {
    const u = Math.max(this.rnd(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rnd());
  }

  /** Moves one instrument one step: new fair price, re-quote, maybe trade. */
  step(symbol: string): MarketEvent[] {
    const inst = this.market.instruments.get(symbol);
    if (!inst || inst.halted) return [];
    const tick = this.market.spec.tick;
    const anchor = inst.prevSettlement / tick;
    let f = this.fair.get(symbol) ?? (inst.last ?? inst.prevSettlement) / tick;
    const replayed = this.replay?.next(symbol);
    if (replayed !== undefined) f = replayed / tick;
    else f += this.gauss() * this.stepTicks + (anchor - f) * 0.002;
    const lo = inst.lower / tick + this.levels + 2;
    const hi = inst.upper / tick - this.levels - 2;
    f = Math.min(hi, Math.max(lo, f));
    this.fair.set(symbol, f);

    for (const id of this.quotes.get(symbol) ?? []) this.market.cancelHouse(id, symbol);
    const ids: string[] = [];
    const events: MarketEvent[] = [];
    const half = this.rnd() < 0.6 ? 0.5 : 1; // spread 1 or 2 ticks
    const bid0 = Math.floor(f - half + 0.5);
    const ask0 = Math.max(bid0 + 1, Math.ceil(f + half - 0.5));
    for (let k = 0; k < this.levels; k++) {
      for (const [side, t] of [
        ['buy', bid0 - k],
        ['sell', ask0 + k],
      ] as const) {
        const id = `H${++this.idSeq}`;
        const qty = 1 + Math.floor(this.rnd() * (10 + 5 * k));
        const r = this.market.submit(HOUSE_ACCOUNT, {
          clOrdId: id,
          symbol,
          side,
          price: t * tick,
          qty,
          tif: 'day',
          offset: 'open',
        });
        events.push(...r.events);
        if (r.order && this.market.books.get(symbol)?.has(r.order.orderId)) ids.push(r.order.orderId);
      }
    }
    this.quotes.set(symbol, ids);
    if (this.rnd() < this.tradeP) {
      const book = this.market.books.get(symbol)!;
      const buy = this.rnd() < 0.5;
      const px = buy ? book.bestAsk() : book.bestBid();
      if (px !== undefined) {
        const qty = 1 + Math.floor(this.rnd() * 5);
        const r = this.market.submit(HOUSE_ACCOUNT, {
          clOrdId: `HT${++this.idSeq}`,
          symbol,
          side: buy ? 'buy' : 'sell',
          price: px,
          qty,
          tif: 'fak',
          offset: 'open',
        });
        events.push(...r.events);
      }
    }
    return events;
  }

  /** Moves the fair price of an instrument (admin "set price"); quotes follow on the next step. */
  setFair(symbol: string, price: number): void {
    this.fair.set(symbol, price / this.market.spec.tick);
  }

  /** Steps every listed instrument. */
  stepAll(): MarketEvent[] {
    const events: MarketEvent[] = [];
    for (const sym of this.market.instruments.keys()) events.push(...this.step(sym));
    return events;
  }
}
