/**
 * The `.seqnums` file of a FIX session store, written so that a crash can never leave it torn.
 *
 * A write goes to `<file>.tmp`, is fsynced, then renamed over the file, and the directory is fsynced: a
 * reader sees the whole old content or the whole new content, never a truncated or half-written one —
 * after a SIGKILL as after a power loss. (jspurefix's own store truncates and rewrites the file in place,
 * asynchronously; a crash in between leaves it empty and the engine then starts again at 1.)
 *
 * Format: `<sender> : <target>\n` — the next sender and the next expected target number, as jspurefix's
 * and QuickFIX's stores write them (they pad the numbers; the parsers here and there trim). The trailing
 * newline tells our writes from a file written by jspurefix's store (none), whose sender number may lag
 * what was really sent: see {@link SeqNums.lagging}.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The two numbers of a session, as read back. */
export interface SeqNums {
  /** The next MsgSeqNum this side will send. */
  sender: number;
  /** The next MsgSeqNum this side expects from the peer. */
  target: number;
  /**
   * True when the file was not written by {@link writeSeqNumFile} (jspurefix's in-place store): its
   * sender number may be lower than what went out, so the reader should skip ahead.
   */
  lagging: boolean;
}

/** Renders the file content. */
export function formatSeqNums(sender: number, target: number): string {
  return `${sender} : ${target}\n`;
}

/**
 * Parses the file content; `undefined` when it is not two positive integers (empty, truncated, garbage).
 */
export function parseSeqNums(text: string): SeqNums | undefined {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const sender = Number(m[1]);
  const target = Number(m[2]);
  if (!Number.isSafeInteger(sender) || !Number.isSafeInteger(target) || sender < 1 || target < 1)
    return undefined;
  return { sender, target, lagging: !text.endsWith('\n') };
}

/** What is on disk: absent, unreadable (present but not parseable), or the numbers. */
export type SeqNumFileState =
  | { kind: 'absent' }
  | { kind: 'unreadable'; text: string }
  | ({ kind: 'ok' } & SeqNums);

/** Reads the file. Never throws for a missing or damaged file: the caller decides how to recover. */
export function readSeqNumFile(path: string): SeqNumFileState {
  if (!existsSync(path)) return { kind: 'absent' };
  const text = readFileSync(path, 'latin1');
  const parsed = parseSeqNums(text);
  return parsed ? { kind: 'ok', ...parsed } : { kind: 'unreadable', text: text.slice(0, 100) };
}

/**
 * Replaces the file atomically and synchronously (temp file, fsync, rename, directory fsync).
 * Synchronous on purpose: the caller relies on the number being on disk before it returns (see
 * durable-session-store.ts for the ordering this buys).
 * @param durable fsync the data and the directory (default true); false only where a power loss does not
 *   matter (tests). A SIGKILL never loses a completed write either way: the page cache survives it.
 */
export function writeSeqNumFile(path: string, sender: number, target: number, durable = true): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, formatSeqNums(sender, target), 0, 'latin1');
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (durable) fsyncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable. Some platforms cannot fsync a directory; the rename stands anyway. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here (e.g. Windows); atomicity against a process crash does not depend on it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
