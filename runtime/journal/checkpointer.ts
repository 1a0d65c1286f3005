/**
 * Keeps SQLite's WAL checkpoints off the thread that commits. Left to itself, the connection that commits
 * also checkpoints: once the WAL holds ~1,000 pages (about 150 order commits), the commit that crosses the
 * line copies them into the database and fsyncs (with `synchronous=NORMAL` too), a stall of milliseconds
 * for whichever order or fill is being journaled then, and for every tick queued behind it. Measured on the
 * benchmark's tick-to-order path at 1,000 ticks/s (docs/performance.md, 2026-12-03): p99 2.1–5.9 ms and
 * p99.9 6.9–9.7 ms with the checkpoints inline, 1.9–2.4 ms and 2.4–3.3 ms with them here.
 *
 * So a thread of its own checkpoints on a second connection, and the journal's connection does so only as
 * a fallback: SQLite starts the WAL over only when a writer finds it wholly copied, which a steady stream of
 * commits can put off indefinitely, and should this thread die. Durability is unchanged: a commit is in the
 * WAL before it returns either way; checkpoints only move pages into the database file.
 */
import { Worker } from 'node:worker_threads';
import { CLOSED, STOP } from './checkpointer-flags.ts';

/** The journal connection's own checkpoint threshold while the background thread runs (~40 MB of WAL). */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;
/** SQLite's default threshold, restored when the background thread is gone. */
export const INLINE_CHECKPOINT_PAGES = 1_000;

const WORKER_URL = new URL('./checkpointer-worker.ts', import.meta.url);
/** How long `stop` waits for a checkpoint in progress to finish before leaving the thread behind. */
const STOP_WAIT_MS = 5_000;

export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #flags = new Int32Array(new SharedArrayBuffer(8));
  #stopping = false;

  /**
   * @param path the journal file (WAL mode)
   * @param onExit called if the thread ends before `stop` (it failed): the caller checkpoints inline again
   */
  constructor(path: string, onExit: (error?: Error) => void, intervalMs = 200, busyMs = 2) {
    this.#worker = new Worker(WORKER_URL, {
      workerData: { path, control: this.#flags.buffer, intervalMs, busyMs },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 },
    });
    let failure: Error | undefined;
    this.#worker.on('error', (e) => {
      failure = e;
    });
    this.#worker.on('exit', () => {
      if (!this.#stopping) onExit(failure ?? new Error('checkpointer thread exited'));
    });
    this.#worker.unref();
  }

  /** Stops the thread and waits (synchronously) until its connection is closed. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    Atomics.store(this.#flags, STOP, 1);
    Atomics.notify(this.#flags, STOP);
    Atomics.wait(this.#flags, CLOSED, 0, STOP_WAIT_MS);
  }
}
