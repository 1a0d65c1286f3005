/**
 * How much memory one strategy's worker may use, from the pod's memory limit. V8 caps a worker's heap
 * (resourceLimits) and terminates the worker alone when the strategy exceeds it — but only if the cap is
 * reached before the container's limit, or the kernel kills the whole runtime (OOMKilled) instead. So the
 * caps are sized to fit the limit: what the runtime itself needs is kept back, and the rest is shared among
 * the strategies. Pure, but for containerMemoryLimit (which reads the process's cgroup).
 *
 * Measured 2026-12-03 (runtime image in a 192 MiB container, docs/runtime.md "Memory"): the runtime with no
 * strategy uses ~100 MiB, each running sample strategy adds 11–15 MiB.
 */

/** Kept back for the runtime itself (engine, FIX session, API, journal): the measured ~100 MiB and a margin. */
export const RUNTIME_RESERVE_MIB = 112;
/**
 * A worker's footprint besides its heap (thread, isolate, code): a sample strategy's worker measured 11–15 MiB
 * in all, of which ~7 MB heap (idle worker, JavaScript copy: 7.2 MB; 10 MB when it runs TypeScript).
 */
export const WORKER_OVERHEAD_MIB = 6;
/**
 * The smallest old generation a strategy is started with: the worker's own modules take ~5 MB of it before the
 * strategy allocates anything.
 */
export const MIN_STRATEGY_HEAP_MB = 12;
const MAX_YOUNG_MB = 16;

export type StrategyMemory =
  | { ok: true; oldMb: number; youngMb: number; limited: boolean }
  | { ok: false; message: string };

/**
 * The heap caps of each of `strategies` strategies under a container memory limit of `limitBytes`
 * (`undefined` when there is none: then the configured maximum).
 * @param maxOldMb the configured cap (`strategyMemoryMb`), never exceeded
 */
export function strategyMemory(o: {
  limitBytes: number | undefined;
  strategies: number;
  maxOldMb: number;
}): StrategyMemory {
  if (o.limitBytes === undefined)
    return { ok: true, oldMb: o.maxOldMb, youngMb: MAX_YOUNG_MB, limited: false };
  const limitMib = Math.floor(o.limitBytes / 2 ** 20);
  const share = Math.floor((limitMib - RUNTIME_RESERVE_MIB) / Math.max(1, o.strategies));
  const caps = capsFor(share, o.maxOldMb);
  if (caps.oldMb < MIN_STRATEGY_HEAP_MB) {
    let needed = Math.max(0, share);
    while (capsFor(needed, o.maxOldMb).oldMb < MIN_STRATEGY_HEAP_MB) needed++;
    return {
      ok: false,
      message:
        `the pod's memory limit (${limitMib} MiB) leaves ${Math.max(0, share)} MiB per strategy for ` +
        `${o.strategies} strategies, and a strategy needs at least ${needed} MiB: choose a larger resource ` +
        'profile or run fewer strategies',
    };
  }
  return { ...caps, ok: true, limited: caps.oldMb < o.maxOldMb };
}

/** One strategy's share (MiB) split into its young generation (a quarter, 4–16 MB) and its old generation. */
function capsFor(share: number, maxOldMb: number): { oldMb: number; youngMb: number } {
  const youngMb = Math.max(4, Math.min(MAX_YOUNG_MB, Math.floor(share / 4)));
  return { youngMb, oldMb: Math.min(maxOldMb, share - youngMb - WORKER_OVERHEAD_MIB) };
}

/**
 * The container's memory limit in bytes, or undefined when there is none. Read anew on each call: an
 * in-place resize of the pod changes it without a restart.
 */
export function containerMemoryLimit(): number | undefined {
  const limit = process.constrainedMemory();
  // No limit reads as 0 or as a huge number (cgroup "max" / 2^63 rounded), depending on the cgroup version.
  return limit > 0 && limit < 2 ** 52 ? limit : undefined;
}
