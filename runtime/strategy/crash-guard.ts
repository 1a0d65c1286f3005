/**
 * Keeps a strategy from taking the whole runtime down again and again. Almost every way a strategy can fail
 * stops just that strategy (see host.ts), but two take the process with them: one allocation past what V8
 * allows a worker beyond its heap cap (V8 aborts the process, see ./fatal-reports.ts), and memory grabbed so
 * fast that the container's limit is hit first (the kernel kills the process). Restarted, the runtime would
 * start the same strategy and die again, and the investor could not even reach the API to stop it.
 *
 * So every run of the runtime leaves a record in the journal: when it started, whether it ended by a
 * shutdown of its own, whether it outlived the crash-loop window, and which strategy ran in which worker
 * thread. At the next start:
 * - a fatal-error report naming one of those threads holds back exactly that strategy (state failed, with
 *   why), and the others start as usual;
 * - without a report, a strategy that was starting (loading, onInit, onStart) when each of the last two runs
 *   ended abnormally is held back: a strategy that takes the process down as it starts (the kernel's OOM
 *   killer, say) is found after two restarts, and one kill that happens to fall into a start is forgiven;
 * - otherwise, after `holdAfter` abnormal ends in a row, each before the window was over, no strategy is
 *   started automatically: the runtime comes up for the investor, who starts them again by hand.
 * `decideStart` is the pure decision; `CrashGuard` keeps the record.
 */
import type { Journal } from '../journal/journal.ts';
import type { FatalReport } from './fatal-reports.ts';

/** What one run of the runtime leaves in the journal. */
export interface RunRecord {
  startedAt: number;
  /** Ended by a shutdown of its own (SIGTERM), not by a crash or a kill. */
  clean: boolean;
  /** Outlived the crash-loop window: an abnormal end after that is not part of a crash loop. */
  settled: boolean;
  /** Abnormal ends in a row, without a cause found, before this run started. */
  crashesBefore: number;
  /**
   * Worker thread id → the strategy it ran and its heap cap (MB); `upload` when the thread only checked an
   * investor's upload (a module not stored yet), whose abort must not hold back the version already there.
   */
  threads: Record<string, { strategy: string; oldMb: number; upload?: true }>;
  /** Strategies starting right now (loading, onInit, onStart). Absent in records of older versions. */
  starting?: string[];
  /** Strategies that were starting when the run before this one ended abnormally. */
  startingAtLastCrash?: string[];
}

/** Crash-loop settings (runtime configuration `crashGuard`). */
export interface CrashGuardOptions {
  /** Abnormal ends in a row, each within the window, after which no strategy starts by itself; 0 = never. */
  holdAfter: number;
  /** How long a run must last for its end not to count as part of a crash loop. */
  windowMs: number;
}

/** What to do at this start. */
export interface StartDecision {
  /** Strategies not to start, with the reason each is given. */
  hold: Map<string, string>;
  /** Abnormal ends in a row so far (stored in this run's record). */
  crashesBefore: number;
  /** Strategies that were starting when the previous run ended abnormally (stored in this run's record). */
  startingAtLastCrash: string[];
  /** What was found about the previous run, for the log and the investor's alerts. */
  findings: string[];
}

/** How many worker threads a run remembers (a runtime that uploads all day would otherwise grow it). */
const THREADS_KEPT = 256;

/**
 * Decides which strategies start. `meantToRun` are the strategies that would start (enabled, or left running
 * by the investor).
 */
export function decideStart(
  previous: RunRecord | undefined,
  reports: readonly FatalReport[],
  meantToRun: readonly string[],
  o: CrashGuardOptions,
  now: number,
): StartDecision {
  const hold = new Map<string, string>();
  const findings: string[] = [];
  /** The abort came from checking an upload: its cause is known, and it is no step towards a crash loop. */
  let uploadAborted = false;
  for (const r of reports) {
    const at = r.time ? ` at ${r.time}` : '';
    const t = r.threadId === 0 ? undefined : previous?.threads[String(r.threadId)];
    if (!t) {
      findings.push(
        `the previous run was aborted${at} by a fatal error on ${r.threadId === 0 ? 'the engine thread' : `thread ${r.threadId}`}: ${r.event}`,
      );
      continue;
    }
    if (t.upload) {
      uploadAborted = true;
      // The upload was never stored and its request got no answer: tell the investor here, hold nothing.
      findings.push(
        `an upload of strategy ${t.strategy} aborted the previous run${at} while it was being checked (${r.event}); the upload was not stored, and whatever version of ${t.strategy} was there before is unchanged`,
      );
      continue;
    }
    const why =
      r.trigger === 'OOMError'
        ? `one allocation larger than its ${t.oldMb} MB memory cap allows (V8 cannot stop just the worker then)`
        : 'a fatal error';
    const reason = `not restarted: the runtime was aborted${at} by "${r.event}" in this strategy's worker: ${why}. Fix the strategy, then start it again.`;
    hold.set(t.strategy, reason);
    findings.push(`strategy ${t.strategy} aborted the previous run${at} (${r.event}); it is not restarted`);
  }
  const abnormal = previous !== undefined && !previous.clean;
  const explained = hold.size > 0 || uploadAborted;
  const startingAtLastCrash = abnormal && !explained ? (previous.starting ?? []) : [];
  for (const name of startingAtLastCrash)
    if (previous?.startingAtLastCrash?.includes(name)) {
      hold.set(
        name,
        "not restarted: the runtime ended abnormally (killed, perhaps at the container's memory limit) while this strategy was starting (loading, onInit or onStart), in each of the last two runs. Fix the strategy, then start it again.",
      );
      findings.push(
        `strategy ${name} was starting when each of the last two runs ended abnormally; it is not restarted`,
      );
    }
  const loopCandidate = abnormal && !previous.settled && !explained && hold.size === 0;
  let crashesBefore = loopCandidate ? previous.crashesBefore + 1 : 0;
  if (loopCandidate) {
    const lasted = Math.max(0, Math.round((now - previous.startedAt) / 1000));
    findings.push(
      `the previous run ended abnormally (killed, or crashed without a report) at most ${lasted} s after it started: ${crashesBefore} such end(s) in a row`,
    );
  }
  if (o.holdAfter > 0 && crashesBefore >= o.holdAfter) {
    const window = Math.round(o.windowMs / 1000);
    for (const name of meantToRun)
      if (!hold.has(name))
        hold.set(
          name,
          `not restarted: the runtime ended abnormally ${crashesBefore} times in a row, each within ${window} s of starting, while this strategy was meant to run (a crash loop). Start it again by hand once the cause is found.`,
        );
    if (meantToRun.length > 0)
      findings.push(`crash loop: no strategy is started automatically (${meantToRun.join(', ')} held)`);
    crashesBefore = 0; // held: the next abnormal end is counted afresh
  }
  return { hold, crashesBefore, startingAtLastCrash, findings };
}

/** The journal's record of the current run. */
export class CrashGuard {
  static readonly KEY = 'runtime:run';
  readonly #journal: Journal;
  readonly #record: RunRecord;
  #settleTimer: NodeJS.Timeout | undefined;

  private constructor(journal: Journal, record: RunRecord) {
    this.#journal = journal;
    this.#record = record;
  }

  /**
   * Reads the previous run's record, decides, and journals this run's record (before any worker starts).
   * @param meantToRun strategies that would start
   */
  static begin(
    journal: Journal,
    reports: readonly FatalReport[],
    meantToRun: readonly string[],
    o: CrashGuardOptions,
    now: number,
  ): { guard: CrashGuard; decision: StartDecision } {
    const previous = journal.get<RunRecord>(CrashGuard.KEY);
    const decision = decideStart(previous, reports, meantToRun, o, now);
    const guard = new CrashGuard(journal, {
      startedAt: now,
      clean: false,
      settled: false,
      crashesBefore: decision.crashesBefore,
      threads: {},
      starting: [],
      startingAtLastCrash: decision.startingAtLastCrash,
    });
    guard.#save();
    guard.#settleTimer = setTimeout(() => {
      guard.#record.settled = true;
      if (journal.isOpen()) guard.#save();
    }, o.windowMs);
    guard.#settleTimer.unref();
    return { guard, decision };
  }

  /**
   * A worker thread is about to run a strategy's code (`upload`: only to check an upload). Journaled before the
   * code is handed over.
   */
  noteWorker(threadId: number, strategy: string, oldMb: number, upload = false): void {
    if (!this.#journal.isOpen()) return;
    const threads = this.#record.threads;
    threads[String(threadId)] = upload ? { strategy, oldMb, upload: true } : { strategy, oldMb };
    const ids = Object.keys(threads);
    for (let i = 0; i < ids.length - THREADS_KEPT; i++) delete threads[ids[i]!];
    this.#save();
  }

  /** A strategy begins or ends its start (loading, onInit, onStart). Journaled before it goes on. */
  noteStarting(strategy: string, starting: boolean): void {
    if (!this.#journal.isOpen()) return;
    const others = (this.#record.starting ?? []).filter((s) => s !== strategy);
    this.#record.starting = starting ? [...others, strategy] : others;
    this.#save();
  }

  /** The runtime is shutting down by itself. */
  markClean(): void {
    clearTimeout(this.#settleTimer);
    this.#record.clean = true;
    if (this.#journal.isOpen()) this.#save();
  }

  #save(): void {
    const j = this.#journal;
    j.tx(() => j.set(CrashGuard.KEY, this.#record));
  }
}
