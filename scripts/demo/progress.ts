/**
 * Progress output for `npm run demo`: numbered steps with elapsed times, a heartbeat line while a step
 * waits, and a clear failure message naming the step and what to look at.
 */

/** Where progress lines go (injected so tests can capture them). */
export type Sink = (line: string) => void;

/** One step of the demo. */
export interface Step {
  title: string;
  run: (note: Sink) => Promise<void> | void;
}

/** Thrown by a step to stop the demo with a message for the user (no stack trace). */
export class DemoError extends Error {}

/**
 * Runs the steps in order, printing `[i/n] title` before and `✓ (12.3s)` after each; stops at the first
 * failure. Returns true when every step succeeded.
 * @param now clock in ms (default Date.now)
 */
export async function runSteps(
  steps: readonly Step[],
  out: Sink,
  now: () => number = Date.now,
): Promise<boolean> {
  const started = now();
  for (const [i, step] of steps.entries()) {
    const t0 = now();
    out(`\n[${i + 1}/${steps.length}] ${step.title}`);
    try {
      await step.run((line) => out(`      ${line}`));
    } catch (e) {
      const msg =
        e instanceof DemoError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      out(`  ✗ ${step.title} failed after ${secs(now() - t0)}: ${msg}`);
      return false;
    }
    out(`  ✓ ${secs(now() - t0)}`);
  }
  out(`\nDone in ${secs(now() - started)}.`);
  return true;
}

/** `12.3s` or `2m05s`. */
export function secs(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/**
 * Polls `probe` every `intervalMs` until it returns a value (returned); notes the probe's `describe()` line
 * whenever it changes, so a long wait shows what it is waiting on. Throws DemoError on timeout.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<{ done?: T; state: string }> | { done?: T; state: string },
  note: Sink,
  { timeoutMs = 600_000, intervalMs = 2000 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    let state = '';
    try {
      const r = await probe();
      if (r.done !== undefined) {
        if (r.state && r.state !== last) note(r.state);
        return r.done;
      }
      state = r.state;
    } catch (e) {
      state = `(${(e as Error).message.split('\n')[0]})`;
    }
    if (state && state !== last) note(state);
    last = state;
    if (Date.now() > deadline) throw new DemoError(`timed out waiting for ${what}; last state: ${last}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
