import { describe, expect, it } from 'vitest';
import { beijingToEpoch, DEFAULT_AU_SPEC, makeCalendar } from '../../common/shfe/index.ts';
import { LiquidityModel } from './liquidity.ts';
import { Market } from './market.ts';
import { parseTicks, TickReplay } from './replay.ts';

const CSV = `time,symbol,price
2026-11-25T02:00:01Z,au2612,615.00
2026-11-25T02:00:00Z,au2612,614.00
bad line
2026-11-25T02:00:02Z,au2612,612.345
2026-11-25T02:00:03Z,au2701,620.00
`;

describe('CSV tick replay', () => {
  it('parses, orders and skips bad lines', () => {
    const { ticks, skipped } = parseTicks(CSV);
    expect(ticks.map((t) => [t.symbol, t.price])).toEqual([
      ['au2612', 61400],
      ['au2612', 61500],
      ['au2701', 62000],
    ]);
    expect(skipped).toBe(2);
  });
  it('drives the quotes of the liquidity model', () => {
    const { ticks } = parseTicks(CSV);
    const m = new Market(
      { spec: DEFAULT_AU_SPEC, calendar: makeCalendar() },
      { now: () => beijingToEpoch('2026-11-25', 600) },
    );
    const lm = new LiquidityModel(m, { seed: 1, replay: new TickReplay(ticks), tradeProbability: 0 });
    lm.step('au2612');
    const b = m.books.get('au2612')!;
    expect(b.bestBid()! <= 61400 && b.bestAsk()! >= 61400).toBe(true);
    expect(b.bestAsk()! - b.bestBid()!).toBeLessThanOrEqual(4);
    lm.step('au2612');
    expect(b.bestBid()! <= 61500 && b.bestAsk()! >= 61500).toBe(true);
  });
});
