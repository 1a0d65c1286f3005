/**
 * Golden reports: the backtester must give byte-identical reports (every trade, log line, equity point and
 * summary figure) to the ones captured before its hot path was optimised. The cases cover the paths the
 * optimisations touch: orders filled on arrival, orders resting and filled by later quotes, partial fills
 * against thin liquidity, cancels, closes split over today/yesterday across several trading days, bars
 * built from ticks, bars from a file, and timers.
 *
 * Small cases keep the whole report in testdata/ (readable diffs); larger ones keep its SHA-256 plus the
 * summary. `AURUM_GOLDEN_WRITE=1 npx vitest run --project unit runtime/backtest/backtest.golden` rewrites
 * them — only ever from code whose reports are known to be right.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tick } from '../domain/types.ts';
import { type BacktestOptions, type BacktestReport, runBacktest } from './backtest.ts';
import { syntheticChannelBars, syntheticTicks } from './synthetic.ts';

const root = resolve(import.meta.dirname, '../..');
const dataDir = join(import.meta.dirname, 'testdata');
const EMA = join(root, 'examples/strategies/ema-cross.js');
const BREAKOUT = join(root, 'examples/strategies/breakout.js');
const ORDER_MIX = join(import.meta.dirname, 'testdata/order-mix.js');
const write = process.env.AURUM_GOLDEN_WRITE === '1';

/** The report without what legitimately differs between runs: wall-clock speed and the absolute path. */
function normalized(r: BacktestReport): unknown {
  return {
    ...r,
    strategy: relative(root, r.strategy),
    summary: { ...r.summary, ticksPerSecond: 0 },
  };
}

function stripQuotes(ticks: Tick[]): Tick[] {
  return ticks.map((t) => ({
    instrument: t.instrument,
    time: t.time,
    lastPrice: t.lastPrice,
    volume: t.volume,
  }));
}

interface Case {
  name: string;
  /** Keep the whole report (small cases) rather than its digest. */
  full: boolean;
  options(): BacktestOptions;
}

const cases: Case[] = [
  {
    name: 'ema-ticks-small',
    full: true,
    options: () => ({
      strategyFile: EMA,
      ticks: syntheticTicks({ count: 1_500, seed: 3 }),
      params: { fast: 5, slow: 20, useTicks: true },
    }),
  },
  {
    name: 'ema-ticks',
    full: false,
    options: () => ({
      strategyFile: EMA,
      ticks: syntheticTicks({ count: 20_000, seed: 3 }),
      params: { fast: 5, slow: 20, useTicks: true },
    }),
  },
  {
    name: 'ema-bars',
    full: false,
    options: () => ({
      strategyFile: EMA,
      ticks: syntheticTicks({ count: 20_000, seed: 3 }),
      params: { fast: 5, slow: 20 },
    }),
  },
  {
    // No slippage: sells sit one tick above the bid and rest until a later quote trades through them.
    name: 'ema-resting',
    full: false,
    options: () => ({
      strategyFile: EMA,
      ticks: syntheticTicks({ count: 20_000, seed: 7 }),
      params: { fast: 3, slow: 8, useTicks: true, slippageTicks: 0 },
    }),
  },
  {
    name: 'ema-resting-small',
    full: true,
    options: () => ({
      strategyFile: EMA,
      ticks: syntheticTicks({ count: 600, seed: 7 }),
      params: { fast: 3, slow: 8, useTicks: true, slippageTicks: 0 },
    }),
  },
  {
    // A week at one tick per 30 s: day rolls, close-yesterday, closes split by maxOrderLots.
    name: 'ema-multiday',
    full: false,
    options: () => ({
      strategyFile: EMA,
      ticks: syntheticTicks({ count: 20_000, seed: 11, intervalMs: 30_000 }),
      params: { fast: 5, slow: 20, useTicks: true, lots: 3, maxOrderLots: 2 },
    }),
  },
  {
    // Ticks without a quote: the assumed liquidity (2 lots) at last ± a tick, so 3-lot orders fill partly.
    name: 'ema-no-quotes',
    full: false,
    options: () => ({
      strategyFile: EMA,
      ticks: stripQuotes(syntheticTicks({ count: 20_000, seed: 5 })),
      params: { fast: 4, slow: 12, useTicks: true, lots: 3, slippageTicks: 1 },
      defaultSize: 2,
    }),
  },
  {
    // FAK/FOK and day orders filled, partly filled, refused or resting, while others rest or not, cancels.
    name: 'order-mix',
    full: false,
    options: () => ({
      strategyFile: ORDER_MIX,
      ticks: syntheticTicks({ count: 20_000, seed: 13, intervalMs: 30_000 }),
    }),
  },
  {
    // The same without quotes: the assumed liquidity (3 lots) at last ± a tick.
    name: 'order-mix-no-quotes',
    full: false,
    options: () => ({
      strategyFile: ORDER_MIX,
      ticks: stripQuotes(syntheticTicks({ count: 20_000, seed: 17 })),
      defaultSize: 3,
    }),
  },
  {
    name: 'breakout-bars-timer',
    full: true,
    options: () => ({
      strategyFile: BREAKOUT,
      bars: syntheticChannelBars(240),
      params: { window: 10, reportSeconds: 600 },
    }),
  },
];

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

describe('backtest golden reports (identical to the reports before optimisation)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const report = normalized(await runBacktest(c.options())) as BacktestReport;
      const file = join(dataDir, `${c.name}.json`);
      const golden = c.full
        ? report
        : {
            digest: digest(report),
            summary: report.summary,
            trades: report.trades.length,
            logs: report.logs.length,
          };
      if (write) {
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(file, `${JSON.stringify(golden, null, 2)}\n`);
        return;
      }
      expect(existsSync(file), `${file} missing: capture it with AURUM_GOLDEN_WRITE=1`).toBe(true);
      const want = JSON.parse(readFileSync(file, 'utf8'));
      if (c.full) expect(report).toEqual(want);
      else {
        // Summary first: a readable diff when something moved; then the digest of everything else.
        expect(report.summary).toEqual(want.summary);
        expect([report.trades.length, report.logs.length]).toEqual([want.trades, want.logs]);
        expect(digest(report)).toBe(want.digest);
      }
    });
  }
});
