/**
 * The journal's background checkpointer (see checkpointer.ts): its own connection to the journal file,
 * copying committed WAL pages into the database until told to stop. A PASSIVE checkpoint never takes the
 * writer's lock, so the engine's commits go on while it copies and fsyncs.
 *
 * SQLite starts the WAL over (instead of growing it) only when a writer finds it wholly copied, so while
 * commits keep coming this checks again after `busyMs` rather than waiting a whole `intervalMs`: it
 * catches up in the first lull between commits.
 */
import { DatabaseSync } from 'node:sqlite';
import { workerData } from 'node:worker_threads';
import { CLOSED, STOP } from './checkpointer-flags.ts';

const { path, control, intervalMs, busyMs } = workerData as {
  path: string;
  control: SharedArrayBuffer;
  intervalMs: number;
  busyMs: number;
};
const flags = new Int32Array(control);
let db: DatabaseSync | undefined;
try {
  db = new DatabaseSync(path);
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  let wait = intervalMs;
  while (Atomics.load(flags, STOP) === 0) {
    Atomics.wait(flags, STOP, 0, wait);
    if (Atomics.load(flags, STOP) !== 0) break;
    const r = checkpoint.get() as { log: number; checkpointed: number };
    wait = r.log > r.checkpointed ? busyMs : intervalMs;
  }
} finally {
  db?.close();
  Atomics.store(flags, CLOSED, 1);
  Atomics.notify(flags, CLOSED);
}
