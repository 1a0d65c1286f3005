/**
 * One line of a strategy's log as the engine keeps it (the last few hundred per strategy, in memory and in the
 * API): at most {@link MAX_LOG_CHARS} characters of it. Applied once, where a line enters: `ctx.log` and the
 * strategy's console in its worker, the worker's raw stdout and stderr on the engine's side.
 */
export const MAX_LOG_CHARS = 4000;

export function logLine(message: unknown): string {
  const text = String(message);
  return text.length <= MAX_LOG_CHARS
    ? text
    : `${text.slice(0, MAX_LOG_CHARS)}… (${text.length - MAX_LOG_CHARS} more characters not kept)`;
}
