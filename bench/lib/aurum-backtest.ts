/**
 * Aurum's replay speed: the runtime's own backtester (runtime/backtest) running the sample strategy
 * in-process over the benchmark ticks as fast as it can, with its matching engine filling the orders.
 */
import { performance } from 'node:perf_hooks';
import { replayBacktest } from '../../runtime/backtest/backtest.ts';
import { buildReport } from '../../runtime/backtest/report.ts';
import type { Tick } from '../../runtime/domain/types.ts';
import { EMA_CROSS_FILE } from './aurum-live.ts';
import { type ChildResult, runJsonChild } from './json-child.ts';
import type { RegionTimes } from './replay-regions.ts';

/** One replay's figures, in the shape the Python peers report. */
export interface ReplayResult extends RegionTimes {
  engine: string;
  /** What the report region holds, for the printout. */
  report: string;
  /** Go-long / go-short decisions (the strategy logs one line per decision). */
  signals: number;
  orders: number;
  fills: number;
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/**
 * Replays `ticks` once. The ticks are parsed beforehand (not timed, as for the peers). The replay region is
 * `replayBacktest` (strategy load, replay, the strategy's log lines); the report region is `buildReport`
 * on its record. The two in a row are exactly what `runBacktest` does.
 */
export async function replayAurum(ticks: Tick[], fast: number, slow: number): Promise<ReplayResult> {
  const c0 = cpuNow();
  const t0 = performance.now();
  const record = await replayBacktest({
    strategyFile: EMA_CROSS_FILE,
    ticks,
    params: { fast, slow, lots: 1, useTicks: true },
  });
  const c1 = cpuNow();
  const t1 = performance.now();
  const report = buildReport(record);
  const c2 = cpuNow();
  const t2 = performance.now();
  return {
    engine: 'Aurum',
    ticks: ticks.length,
    replaySeconds: (t1 - t0) / 1000,
    replayCpuSeconds: c1 - c0,
    reportSeconds: (t2 - t1) / 1000,
    reportCpuSeconds: c2 - c1,
    report: 'runBacktest report: trades, equity curve, drawdown, summary',
    signals: report.logs.filter((l) => l.includes(' crossed ')).length,
    orders: report.summary.orders,
    fills: report.summary.trades,
  };
}

const CHILD = new URL('./aurum-replay-child.ts', import.meta.url).pathname;

/**
 * {@link replayAurum} over a tick file, in a fresh Node process (aurum-replay-child.ts) run with the same
 * Node binary, the way the Python peers each run in a process of their own. Its one flag, --expose-gc, lets
 * it collect the parse's garbage before the timed region, as the peers do.
 */
export function replayAurumInOwnProcess(
  file: string,
  fast: number,
  slow: number,
  timeoutMs = 600_000,
): ChildResult<ReplayResult> {
  return runJsonChild<ReplayResult>(
    process.execPath,
    ['--expose-gc', CHILD, file, String(fast), String(slow)],
    {
      timeout: timeoutMs,
    },
  );
}
