/**
 * What `ctx.setTimer` accepts, live (the strategy's worker, and the engine's thread that runs the timers) and in
 * the backtester alike, so a strategy meets the same rules in both.
 */

export const MIN_TIMER_MS = 100;
/** Node's timers cannot wait longer (about 24.8 days): a longer delay fires every millisecond instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_TIMERS = 64;

/**
 * Throws (in the strategy's callback) when `ctx.setTimer(name, ms)` is not a timer the runtime runs.
 * @param timers the strategy's timers so far, by name
 */
export function checkTimer(
  name: unknown,
  ms: unknown,
  timers: { has(name: string): boolean; size: number },
): void {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('ctx.setTimer: the name must be a non-empty string');
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms > MAX_TIMER_MS)
    throw new RangeError(
      `ctx.setTimer(${JSON.stringify(name)}): the period must be a number of milliseconds up to ${MAX_TIMER_MS} (about 24.8 days); got ${String(ms)}`,
    );
  if (!timers.has(name) && timers.size >= MAX_TIMERS)
    throw new RangeError(
      `ctx.setTimer(${JSON.stringify(name)}): at most ${MAX_TIMERS} timers per strategy; clear one first`,
    );
}

/** The period a timer runs at: at least {@link MIN_TIMER_MS}. */
export function timerPeriod(ms: number): number {
  return Math.min(Math.max(ms, MIN_TIMER_MS), MAX_TIMER_MS);
}
