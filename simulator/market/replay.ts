/**
 * Optional CSV tick replay as the source of the liquidity model's fair price: instead of the random walk,
 * each step moves an instrument to the next price of the file (quotes are still built around it by
 * {@link LiquidityModel}). Format, one tick a line, header optional:
 *   time,symbol,price            e.g. 2026-03-02T01:00:00.500Z,au2606,612.34
 * Times only order the rows; the replay advances one row per symbol per step (so `intervalMs` sets the
 * pace) and loops at the end. Rows with an unknown symbol or a bad price are skipped and counted.
 */
import { readFileSync } from 'node:fs';
import { type Price, parseDecimal2 } from '../../common/shfe/index.ts';

/** One tick. */
export interface ReplayTick {
  time: number;
  symbol: string;
  price: Price;
}

/** Parses the CSV text; returns ticks (in time order) and how many lines were skipped. */
export function parseTicks(text: string): { ticks: ReplayTick[]; skipped: number } {
  const ticks: ReplayTick[] = [];
  let skipped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^time\s*,/i.test(line)) continue;
    const [t, symbol, px] = line.split(',').map((s) => s.trim());
    const time = Date.parse(t ?? '');
    const price = parseDecimal2(px ?? '');
    if (!symbol || Number.isNaN(time) || price === undefined || price <= 0) {
      skipped++;
      continue;
    }
    ticks.push({ time, symbol, price });
  }
  ticks.sort((a, b) => a.time - b.time);
  return { ticks, skipped };
}

/** Walks the ticks of each symbol in order, looping. */
export class TickReplay {
  private readonly bySymbol = new Map<string, Price[]>();
  private readonly pos = new Map<string, number>();
  readonly skipped: number;

  constructor(ticks: ReplayTick[], skipped = 0) {
    for (const t of ticks) {
      const list = this.bySymbol.get(t.symbol) ?? [];
      list.push(t.price);
      this.bySymbol.set(t.symbol, list);
    }
    this.skipped = skipped;
  }

  /** Loads a CSV file. */
  static fromFile(path: string): TickReplay {
    const { ticks, skipped } = parseTicks(readFileSync(path, 'utf8'));
    return new TickReplay(ticks, skipped);
  }

  /** Symbols the file has prices for. */
  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** The next price of a symbol (undefined when the file has none). */
  next(symbol: string): Price | undefined {
    const list = this.bySymbol.get(symbol);
    if (!list || list.length === 0) return undefined;
    const i = this.pos.get(symbol) ?? 0;
    this.pos.set(symbol, (i + 1) % list.length);
    return list[i];
  }
}
