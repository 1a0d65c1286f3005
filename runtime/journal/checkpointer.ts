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

/** The journal connection's own checkpoint threshold while the background thread runs (~40 MB of WAL). */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;
/** SQLite's default threshold, restored when the background thread is gone. */
export const INLINE_CHECKPOINT_PAGES = 1_000;

/** How long `stop` waits for a checkpoint in progress to finish before leaving the thread behind. */
const STOP_WAIT_MS = 5_000;
/** Slots of the shared Int32Array: set by the journal to stop; set by the thread once its connection is closed. */
const STOP = 0;
const CLOSED = 1;

/**
 * The thread's code: plain JavaScript, evaluated, so the thread never loads Node's TypeScript stripper (about
 * 20 MiB resident per thread that imports a .ts file). A PASSIVE checkpoint never takes the writer's lock, so
 * the engine's commits go on while it copies and fsyncs. While commits keep coming it checks again after
 * `busyMs` rather than a whole `intervalMs`, to catch up in the first lull between them.
 */
const WORKER_SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const { workerData } = require('node:worker_threads');
const { path, control, intervalMs, busyMs, STOP, CLOSED } = workerData;
const flags = new Int32Array(control);
let db;
try {
  db = new DatabaseSync(path);
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  let wait = intervalMs;
  while (Atomics.load(flags, STOP) === 0) {
    Atomics.wait(flags, STOP, 0, wait);
    if (Atomics.load(flags, STOP) !== 0) break;
    const r = checkpoint.get();
    wait = r.log > r.checkpointed ? busyMs : intervalMs;
  }
} finally {
  if (db) db.close();
  Atomics.store(flags, CLOSED, 1);
  Atomics.notify(flags, CLOSED);
}
`;

export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #flags = new Int32Array(new SharedArrayBuffer(8));
  #stopping = false;

  /**
   * @param path the journal file (WAL mode)
   * @param onExit called if the thread ends before `stop` (it failed): the caller checkpoints inline again
   */
  constructor(path: string, onExit: (error?: Error) => void, intervalMs = 200, busyMs = 2) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, control: this.#flags.buffer, intervalMs, busyMs, STOP, CLOSED },
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
