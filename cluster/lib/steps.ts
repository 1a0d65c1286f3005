/**
 * Runs named steps in order, printing each with its duration. A failure names the step, the log file to
 * read and the fix to try, then stops.
 */

/** An error that knows where to look and what to do. */
export class StepError extends Error {
  readonly log?: string;
  readonly fix?: string;
  constructor(message: string, opts: { log?: string; fix?: string } = {}) {
    super(message);
    this.log = opts.log;
    this.fix = opts.fix;
  }
}

/** One step of a procedure; `run` may return a short note printed after the step name. */
export interface Step<C> {
  name: string;
  run: (ctx: C) => unknown;
}

/** Output sink (injected so tests can capture). */
export interface StepOutput {
  info: (line: string) => void;
  error: (line: string) => void;
}

const consoleOut: StepOutput = { info: (l) => console.log(l), error: (l) => console.error(l) };

/**
 * Runs `steps` in order. Returns true when all succeeded; on failure prints the step, log and fix.
 * @param now clock in ms (default Date.now)
 */
export async function runSteps<C>(
  steps: readonly Step<C>[],
  ctx: C,
  out: StepOutput = consoleOut,
  now: () => number = Date.now,
): Promise<boolean> {
  for (const step of steps) {
    const t0 = now();
    try {
      const result = await step.run(ctx);
      const note = typeof result === 'string' ? result : undefined;
      out.info(`✓ ${step.name} (${((now() - t0) / 1000).toFixed(1)}s)${note ? ` — ${note}` : ''}`);
    } catch (e) {
      const secs = ((now() - t0) / 1000).toFixed(1);
      out.error(`✗ step "${step.name}" failed after ${secs}s: ${e instanceof Error ? e.message : String(e)}`);
      if (e instanceof StepError) {
        if (e.log) out.error(`  log: ${e.log}`);
        if (e.fix) out.error(`  fix: ${e.fix}`);
      }
      return false;
    }
  }
  return true;
}
