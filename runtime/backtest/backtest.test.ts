import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../common/shfe/index.ts';
import { runBacktest } from './backtest.ts';
import { CsvError, formatTicks, parseBars, parseTicks } from './csv.ts';
import { syntheticChannelBars, syntheticTicks } from './synthetic.ts';

const root = resolve(import.meta.dirname, '../..');
const EMA = join(root, 'examples/strategies/ema-cross.js');
const BREAKOUT = join(root, 'examples/strategies/breakout.js');

describe('backtest', () => {
  it('replays the EMA sample over ticks against the matching engine: trades, PnL curve, drawdown', async () => {
    const ticks = syntheticTicks({ count: 20_000, seed: 3 });
    const r = await runBacktest({ strategyFile: EMA, ticks, params: { fast: 5, slow: 20 } });
    expect(r.summary.ticks).toBe(20_000);
    expect(r.summary.bars).toBeGreaterThan(150);
    expect(r.summary.trades).toBeGreaterThan(2);
    expect(r.equityCurve.length).toBe(r.summary.bars + 1);
    const eq = r.equityCurve.map((p) => parseMoney(p.equity)!);
    let peak = eq[0]!;
    let dd = 0;
    for (const e of eq) {
      peak = Math.max(peak, e);
      dd = Math.max(dd, peak - e);
    }
    expect(parseMoney(r.summary.maxDrawdown)).toBe(dd);
    // Every trade is on the tick grid; positions alternate long/short, never above the configured lots.
    for (const t of r.trades) expect(parseMoney(t.price)! % 2).toBe(0);
    // Deterministic: same input, same report.
    const again = await runBacktest({ strategyFile: EMA, ticks, params: { fast: 5, slow: 20 } });
    expect(again.trades).toEqual(r.trades);
  });

  it('replays bars (the breakout sample) and honours its timer', async () => {
    const bars = syntheticChannelBars(120);
    const r = await runBacktest({ strategyFile: BREAKOUT, bars, params: { window: 10, reportSeconds: 600 } });
    expect(r.summary.bars).toBe(120);
    expect(r.summary.trades).toBeGreaterThan(0);
    expect(r.logs.some((l) => l.includes('channel'))).toBe(true);
  });

  it('writes log lines as a template literal would, whatever the strategy passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-bt-'));
    try {
      const file = join(dir, 'logs.js');
      writeFileSync(
        file,
        `export default { onStart(ctx) {
          for (const m of ['plain', '', undefined, null, 42.5, { toString: () => 'obj' }]) ctx.log(m);
          ctx.warn(['a', 'b']);
        } };`,
      );
      const ticks = syntheticTicks({ count: 2 });
      const r = await runBacktest({ strategyFile: file, ticks });
      const at = new Date(ticks[0]!.time).toISOString();
      expect(r.logs).toEqual(
        ['plain', '', 'undefined', 'null', '42.5', 'obj', 'WARN a,b'].map((m) => `${at} ${m}`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds a strategy to the live rules for timers: a bad period fails the backtest as it would fail live', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-bt-'));
    try {
      const file = join(dir, 'timer.js');
      writeFileSync(file, "export default { onStart(ctx) { ctx.setTimer('often', Number('x')); } };");
      await expect(runBacktest({ strategyFile: file, ticks: syntheticTicks({ count: 2 }) })).rejects.toThrow(
        /ctx\.setTimer\("often"\): the period must be a number of milliseconds up to 2147483647 .+; got NaN/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses invalid parameters with the reason', async () => {
    await expect(runBacktest({ strategyFile: EMA, ticks: [], params: { fast: 1 } })).rejects.toThrow(
      /"fast" must be >= 2/,
    );
  });

  it('CSV: round-trips ticks exactly, parses bars, reports the bad line', () => {
    const ticks = syntheticTicks({ count: 5 });
    expect(parseTicks(formatTicks(ticks))).toEqual(ticks);
    expect(() => parseTicks('time,last\n2026-03-02T01:00:00Z,612.345\n', 'au2606')).toThrow(CsvError);
    expect(() => parseTicks('time,last\n2026-03-02T01:00:00Z,612.345\n', 'au2606')).toThrow(
      /line 2: bad last price/,
    );
    const bars = parseBars(
      'time,instrument,open,high,low,close\n2026-03-02T01:00:00Z,au2606,612.00,612.50,611.80,612.20\n',
    );
    expect(bars[0]).toMatchObject({ open: 61200, high: 61250, low: 61180, close: 61220 });
  });

  it('CLI: prints a summary and writes the JSON report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-bt-'));
    try {
      const csv = join(dir, 'ticks.csv');
      writeFileSync(csv, formatTicks(syntheticTicks({ count: 3000, seed: 5 })));
      const out = join(dir, 'report.json');
      const stderr = execFileSync(
        process.execPath,
        [
          join(root, 'runtime/backtest/cli.ts'),
          '--strategy',
          EMA,
          '--ticks',
          csv,
          '--params',
          '{"fast":3,"slow":8}',
          '--out',
          out,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      void stderr;
      const report = JSON.parse(readFileSync(out, 'utf8'));
      expect(report.summary.ticks).toBe(3000);
      expect(report.params).toMatchObject({ fast: 3, slow: 8 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
