/**
 * The two timed regions of the replay-throughput comparison. Every engine times both the same way:
 * - "replay only": its replay of the ticks, the strategy deciding and its simulated venue filling, with
 *   what the engine keeps of the run as it goes (orders, fills, the strategy's log lines);
 * - "replay + report": that, then the report the engine's user reads after a backtest (Aurum: the report
 *   `runBacktest` returns; vn.py: `calculate_result` + `calculate_statistics`; NautilusTrader: `end()`, whose
 *   post-run portfolio analysis a plain `run()` includes, and the trader's fills, positions and account
 *   reports).
 * Parsing the tick file is in neither, for anyone.
 */

/** How an engine's replay was timed; CPU seconds are the replaying process's, all threads. */
export interface RegionTimes {
  ticks: number;
  replaySeconds: number;
  replayCpuSeconds: number;
  /** The report after the replay. */
  reportSeconds: number;
  reportCpuSeconds: number;
}

export type Region = 'replay only' | 'replay + report';

/** The headline's region first: it is what a user of each product gets from a backtest. */
export const REGIONS: readonly Region[] = ['replay + report', 'replay only'];

export function cpuSeconds(r: RegionTimes, region: Region): number {
  return region === 'replay only' ? r.replayCpuSeconds : r.replayCpuSeconds + r.reportCpuSeconds;
}

export function wallSeconds(r: RegionTimes, region: Region): number {
  return region === 'replay only' ? r.replaySeconds : r.replaySeconds + r.reportSeconds;
}

export function ticksPerCpuSecond(r: RegionTimes, region: Region): number {
  return r.ticks / cpuSeconds(r, region);
}

export function ticksPerWallSecond(r: RegionTimes, region: Region): number {
  return r.ticks / wallSeconds(r, region);
}

/**
 * The run whose headline CPU time is the median of the runs (the lower middle one of an even number), so
 * that both of its regions come from one and the same replay. Undefined for no runs.
 */
export function medianRun<T extends RegionTimes>(runs: readonly T[]): T | undefined {
  const sorted = [...runs].sort((a, b) => cpuSeconds(a, REGIONS[0]!) - cpuSeconds(b, REGIONS[0]!));
  return sorted[(sorted.length - 1) >> 1];
}
