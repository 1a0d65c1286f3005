import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCalendar, sessionPhase } from '../../common/shfe/index.ts';
import { parseTicks } from '../../runtime/backtest/csv.ts';
import { countSignals, signalEvents } from './ema-cross.ts';
import { paceFeed } from './feeder.ts';
import { seededRandom } from './random.ts';
import { medianRun } from './replay-regions.ts';
import { fmt, percentileSorted, summarize } from './stats.ts';
import { measureThreadHop } from './thread-hop.ts';
import { ensureTickFile } from './tick-file.ts';
import { generateTicks, parseTickCsv, TICK_CSV_HEADER, tickToCsv } from './ticks.ts';

const dir = mkdtempSync(join(tmpdir(), 'aurum-bench-lib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('percentiles', () => {
  it('uses the nearest rank, so every figure is a measured value', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentileSorted(sorted, 50)).toBe(50);
    expect(percentileSorted(sorted, 99)).toBe(99);
    expect(percentileSorted(sorted, 100)).toBe(100);
    expect(percentileSorted([7], 99)).toBe(7);
    expect(percentileSorted([1, 2, 3], 50)).toBe(2);
    expect(() => percentileSorted([], 50)).toThrow(RangeError);
    expect(() => percentileSorted([1], 0)).toThrow(RangeError);
  });

  it('summarises unsorted samples without changing them', () => {
    const samples = [5, 1, 4, 2, 3];
    const s = summarize(samples);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ count: 5, min: 1, p50: 3, p99: 5, max: 5, mean: 3 });
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1234.5)).toBe('1235');
  });
});

describe('tick generator', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = [...generateTicks({ count: 500, seed: 7 })];
    const b = [...generateTicks({ count: 500, seed: 7 })];
    const c = [...generateTicks({ count: 500, seed: 8 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const r = seededRandom(1);
    expect(r()).toBe(seededRandom(1)());
  });

  it('writes SHFE gold snapshots: 0.02 grid, bid < ask, in session, time ordered, day volume rising', () => {
    const cal = makeCalendar();
    const ticks = [...generateTicks({ count: 70_000 })]; // more than one trading day
    const bad: string[] = [];
    let prev = ticks[0]!;
    let dayRolls = 0;
    for (const t of ticks) {
      const spread = t.askPrice - t.bidPrice;
      if (t.bidPrice % 2 !== 0 || t.askPrice % 2 !== 0) bad.push(`off grid ${t.time}`);
      if (spread !== 2 && spread !== 4) bad.push(`spread ${spread} at ${t.time}`);
      if (t.lastPrice !== t.bidPrice && t.lastPrice !== t.askPrice) bad.push(`last off touch ${t.time}`);
      if (Math.abs(t.lastPrice - 60_000) >= 6_000) bad.push(`price ${t.lastPrice} far from 600`); // within 10%
      if (t !== prev) {
        if (t.time <= prev.time) bad.push(`time order ${t.time}`);
        if (t.volume < prev.volume) dayRolls++;
      }
      prev = t;
    }
    // Session check on a sample: sessionPhase is the slow part.
    for (let i = 0; i < ticks.length; i += 97)
      if (sessionPhase(cal, ticks[i]!.time) !== 'continuous') bad.push(`out of session ${ticks[i]!.time}`);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(dayRolls).toBeGreaterThanOrEqual(1);
  });

  it('round-trips through CSV exactly and the runtime backtester reads the same file', () => {
    const ticks = [...generateTicks({ count: 300, seed: 3 })];
    const text = `${TICK_CSV_HEADER}\n${ticks.map(tickToCsv).join('\n')}\n`;
    expect(parseTickCsv(text)).toEqual(ticks);
    expect(parseTicks(text)).toEqual(ticks);
    expect(() => parseTickCsv('a,b\n')).toThrow(/not a tick file/);
  });

  it('caches the file under a name that carries every input', () => {
    const first = ensureTickFile({ count: 1000, seed: 5 }, dir);
    const again = ensureTickFile({ count: 1000, seed: 5 }, dir);
    const other = ensureTickFile({ count: 1000, seed: 6 }, dir);
    expect(first.generated).toBe(true);
    expect(again).toEqual({ path: first.path, generated: false });
    expect(other.path).not.toBe(first.path);
    expect(parseTickCsv(readFileSync(first.path, 'utf8'))).toHaveLength(1000);
  });
});

describe('signal referee', () => {
  it('signals on crossings only, after the warm-up', () => {
    const flat = Array.from({ length: 10 }, () => ({ lastPrice: 60_000 }));
    const up = Array.from({ length: 10 }, (_, i) => ({ lastPrice: 60_000 + 2 * (i + 1) }));
    const down = Array.from({ length: 20 }, (_, i) => ({ lastPrice: 60_020 - 4 * (i + 1) }));
    expect(countSignals(flat, 2, 3)).toEqual({ signals: 0, long: 0, short: 0 });
    expect(countSignals([...flat, ...up], 2, 3)).toEqual({ signals: 1, long: 1, short: 0 });
    expect(countSignals([...flat, ...up, ...down], 2, 3)).toEqual({ signals: 2, long: 1, short: 1 });
    // Nothing before the slow average has its samples.
    expect(countSignals([...up, ...down].slice(0, 5), 2, 30).signals).toBe(0);
  });

  it('lists each decision with its tick and last price, alternating sides', () => {
    const ticks = [...generateTicks({ count: 5_000, seed: 9 })];
    const events = signalEvents(ticks, 5, 20);
    expect(events.length).toBe(countSignals(ticks, 5, 20).signals);
    for (const e of events) expect(e.lastPrice).toBe(ticks[e.index]!.lastPrice);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.index).toBeGreaterThan(events[i - 1]!.index);
      expect(events[i]!.side).not.toBe(events[i - 1]!.side);
    }
  });

  it('trades often enough on the benchmark market for a good latency sample', () => {
    const { signals } = countSignals(generateTicks({ count: 20_000 }), 5, 20);
    expect(signals).toBeGreaterThan(500);
  });
});

describe('paced feed', () => {
  it('delivers every item once, in order, not before its scheduled time', async () => {
    const seen: number[] = [];
    let early = 0;
    const { ms } = await paceFeed(300, 20_000, (k, at) => {
      seen.push(k);
      if (performance.now() < at) early++;
    });
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(early).toBe(0);
    expect(ms).toBeGreaterThan(0);
  });
});

describe('thread hop (the floor)', () => {
  it('times n round trips through a parked worker, answered by port, not by the 100 ms bound', async () => {
    // As the command line (a 1 ms pause after each answer), then as the strategy host and the floor (a feeder
    // at 1,000/s, a 0.3 ms spin, the rest from the event loop).
    for (const o of [{}, { rate: 1_000, spinMs: 0.3 }]) {
      const r = await measureThreadHop('port', 20, o);
      expect(r.mode).toBe('port');
      expect(r.samplesUs).toHaveLength(20);
      for (const us of r.samplesUs) expect(Number.isFinite(us) && us > 0).toBe(true);
      // A lost answer counts as 100 ms: the median must be a real round trip.
      expect(summarize(r.samplesUs).p50).toBeLessThan(100_000);
      // Paced, not back to back (that would be tens of thousands per second).
      expect(r.perSecond).toBeGreaterThan(0);
      expect(r.perSecond).toBeLessThan(2_000);
    }
    await expect(measureThreadHop('port', 0)).rejects.toThrow(RangeError);
    await expect(measureThreadHop('wait', 5, { spinMs: 0.3 })).rejects.toThrow(RangeError);
  });
});

describe('median replay', () => {
  const run = (replayCpuSeconds: number, reportCpuSeconds: number) => ({
    ticks: 100,
    replaySeconds: 1,
    replayCpuSeconds,
    reportSeconds: 1,
    reportCpuSeconds,
  });
  it('picks the run with the median headline CPU time, whole (both regions from it)', () => {
    const runs = [run(3, 0.1), run(1, 5), run(2, 0.5)];
    // Headline (replay + report): 3.1, 6, 2.5 → the median is 3.1, the first run.
    expect(medianRun(runs)).toBe(runs[0]);
    expect(medianRun([run(1, 0), run(2, 0)])).toEqual(run(1, 0));
    expect(medianRun([])).toBeUndefined();
  });
});
