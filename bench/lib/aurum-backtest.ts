/**
 * Aurum's replay speed: the runtime's own backtester (runtime/backtest) running the sample strategy
 * in-process over the benchmark ticks as fast as it can, with its matching engine filling the orders.
 */
import { performance } from 'node:perf_hooks';
import { runBacktest } from '../../runtime/backtest/backtest.ts';
import type { Tick } from '../../runtime/domain/types.ts';
import { EMA_CROSS_FILE } from './aurum-live.ts';

/** One replay's figures, in the shape the Python peers report. */
export interface ReplayResult {
  engine: string;
  ticks: number;
  replaySeconds: number;
  replayCpuSeconds: number;
  ticksPerSecond: number;
  ticksPerCpuSecond: number;
  /** Go-long / go-short decisions (the strategy logs one line per decision). */
  signals: number;
  orders: number;
  fills: number;
}

/**
 * Replays `ticks` once. The ticks are parsed beforehand (not timed, as for the peers); the timed part is
 * the whole `runBacktest` call: strategy load, replay, report.
 */
export async function replayAurum(ticks: Tick[], fast: number, slow: number): Promise<ReplayResult> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runBacktest({
    strategyFile: EMA_CROSS_FILE,
    ticks,
    params: { fast, slow, lots: 1, useTicks: true },
  });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return {
    engine: 'Aurum',
    ticks: ticks.length,
    replaySeconds: wall,
    replayCpuSeconds: cpu,
    ticksPerSecond: ticks.length / wall,
    ticksPerCpuSecond: ticks.length / cpu,
    signals: r.logs.filter((l) => l.includes(' crossed ')).length,
    orders: r.summary.orders,
    fills: r.summary.trades,
  };
}
