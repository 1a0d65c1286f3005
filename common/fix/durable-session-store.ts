/**
 * A jspurefix session store whose sequence numbers survive a crash at any instant, so that a side that
 * restarts can always log on again without resetting sequence numbers (ResetSeqNumFlag=N).
 *
 * Why jspurefix's `file` store is not enough: it persists `.seqnums` from the transmitter's `encoded`
 * event, which fires after the encoded bytes were pushed to the socket, with an asynchronous in-place
 * rewrite (truncate + write, no fsync). A SIGKILL can leave a sender number lower than what the peer
 * received — the peer then refuses our Logon as "MsgSeqNum too low", forever — or an empty file, from
 * which jspurefix starts again at 1.
 *
 * What this store does instead:
 *
 * - Sender number: reserved ahead. The file never holds the next number to send but a number not used
 *   yet: whenever the next number reaches the reserved one, a block of {@link DurableStoreOptions.reserve}
 *   numbers is reserved with one synchronous, atomic, fsynced write (seqnum-file.ts). jspurefix calls
 *   `setSenderSeqNum(n + 1)` synchronously in the `encoded` handler of message n, which runs before the
 *   next message is encoded, so when message n + 1 reaches the socket the file already holds more than
 *   n + 1; `initialize()` reserves before the Logon goes out. Hence at any crash point the file holds a
 *   number higher than anything the peer has received, and the restarted side starts there. The unused
 *   numbers of the block are a gap for the peer, which is legal FIX: the peer sends a ResendRequest and
 *   the resender answers with the stored messages and SequenceReset-GapFill for the rest (jspurefix's
 *   FixMsgAsciiStoreResend fills every number it has no message for). Cost: one small fsynced write per
 *   block, and a gap of at most one block after every restart, clean or not (a clean stop cannot prove
 *   that nothing else went out, so it keeps the reservation too).
 *   The sender number never goes down except through `reset()`: jspurefix also calls `setSenderSeqNum`
 *   after sending a gap fill or a resent message (PossDupFlag=Y), with that old number.
 * - Target number: persisted late, never early. jspurefix advances it before the application handles the
 *   message; we write it on a timer ({@link DurableStoreOptions.targetFlushMs}), so what is on disk is at
 *   most what was handled. After a crash the peer resends what followed (PossDupFlag=Y): the runtime
 *   ignores duplicate execution reports (same ExecID, order state already past), the counter's handlers
 *   see the same. A persisted target higher than handled would lose messages silently.
 * - Messages: kept in the usual `.body`/`.header` files (jspurefix's stream provider), for resend. A
 *   retransmission (PossDupFlag=Y) is not stored again, so it cannot replace the original under its number.
 * - Damaged or foreign file: a `.seqnums` written by jspurefix's own store (no trailing newline) may lag,
 *   so the sender skips one block ahead; an unreadable one (or a missing one next to stored messages)
 *   restarts from the highest stored number plus one block, and asks the peer for everything (target 1).
 *
 * One process owns a store directory: a store created later for the same session (a reconnect) takes
 * over the files, and the earlier instance stops writing, so a late timer of a dead connection cannot
 * write an older reservation over a newer one.
 */
import { existsSync, rmSync } from 'node:fs';
import {
  FileSessionStore,
  FileSessionStreamProvider,
  type IFixMsgStoreRecord,
  type IFixSessionStore,
  type IFixSessionStoreFactory,
  type ISessionStreamProvider,
  type SessionId,
} from './jspurefix.ts';
import { readSeqNumFile, writeSeqNumFile } from './seqnum-file.ts';

/** Tuning of a {@link DurableSessionStore}. */
export interface DurableStoreOptions {
  /** Sender numbers reserved per write; also the largest gap a restart leaves. Default 1000. */
  reserve?: number;
  /** How often a changed target number is written, ms. Default 1000. */
  targetFlushMs?: number;
  /** fsync each `.seqnums` write (and its directory). Default true; false only in tests. */
  durable?: boolean;
}

const DEFAULTS = { reserve: 1000, targetFlushMs: 1000, durable: true };

/** Which store currently owns each `.seqnums` path in this process. */
const owners = new Map<string, DurableSessionStore>();

/** PossDupFlag=Y anywhere in an encoded message (SOH or `|` delimited). */
function isPossDup(encoded: string): boolean {
  return encoded.includes('\x0143=Y\x01') || encoded.includes('|43=Y|') || encoded.includes('|43=Y\x01');
}

/** The store. Created by {@link DurableSessionStoreFactory}; jspurefix drives it. */
export class DurableSessionStore implements IFixSessionStore {
  readonly sessionId: SessionId;
  readonly #o: Required<DurableStoreOptions>;
  readonly #path: string;
  readonly #files: MessageFiles;
  readonly #messages: FileSessionStore;
  #sender = 1;
  #target = 1;
  /** The sender number on disk: higher than any number that may have been sent. */
  #reserved = 1;
  /** The target number on disk. */
  #savedTarget = 1;
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(sessionId: SessionId, directory: string, options: DurableStoreOptions = {}) {
    this.sessionId = sessionId;
    this.#o = { ...DEFAULTS, ...options };
    this.#path = sessionId.getFilePath(directory, 'seqnums');
    this.#files = new MessageFiles(sessionId, directory);
    this.#messages = new FileSessionStore(sessionId, this.#files, true);
  }

  get senderSeqNum(): number {
    return this.#sender;
  }
  set senderSeqNum(value: number) {
    this.#advanceSender(value);
  }
  get targetSeqNum(): number {
    return this.#target;
  }
  set targetSeqNum(value: number) {
    this.#setTarget(value);
  }
  get creationTime(): Date {
    return this.#messages.creationTime;
  }

  async initialize(): Promise<void> {
    this.#claim();
    await this.#messages.initialize();
    const { sender, target } = await this.#recover();
    this.#sender = sender;
    this.#target = target;
    this.#savedTarget = target;
    // Before anything is sent: the Logon itself must be covered by the reservation.
    this.#reserve();
  }

  setSenderSeqNum(value: number): Promise<void> {
    this.#advanceSender(value);
    return Promise.resolve();
  }

  setTargetSeqNum(value: number): Promise<void> {
    this.#setTarget(value);
    return Promise.resolve();
  }

  nextSenderSeqNum(): Promise<number> {
    this.#advanceSender(this.#sender + 1);
    return Promise.resolve(this.#sender);
  }

  nextTargetSeqNum(): Promise<number> {
    this.#setTarget(this.#target + 1);
    return Promise.resolve(this.#target);
  }

  async reset(): Promise<void> {
    // The numbers first and synchronously: a reset is followed at once by messages numbered from 1.
    this.#sender = 1;
    this.#target = 1;
    this.#savedTarget = 1;
    this.#reserved = 1;
    this.#reserve();
    if (this.#owns()) await this.#messages.reset();
  }

  put(record: IFixMsgStoreRecord): Promise<void> {
    // A retransmission carries an old number: storing it would replace the original message.
    if (!this.#owns() || (record.encoded && isPossDup(record.encoded))) return Promise.resolve();
    return this.#messages.put(record);
  }

  get(seqNum: number): Promise<IFixMsgStoreRecord | null> {
    return this.#messages.get(seqNum);
  }

  getRange(fromSeqNum: number, toSeqNum: number): Promise<IFixMsgStoreRecord[]> {
    return this.#messages.getRange(fromSeqNum, toSeqNum);
  }

  /** Writes the target number now if it changed (the sender number is always on disk already). */
  flush(): Promise<void> {
    this.#flushTarget();
    return this.#messages.flush();
  }

  /** Flushes and releases the files; later calls on this instance write nothing. */
  async dispose(): Promise<void> {
    this.#flushTarget();
    this.#release();
    await this.#messages.dispose();
  }

  // ---- internals ----

  async #recover(): Promise<{ sender: number; target: number }> {
    const file = readSeqNumFile(this.#path);
    if (file.kind === 'ok')
      return { sender: file.lagging ? file.sender + this.#o.reserve : file.sender, target: file.target };
    const highest = await this.#highestStored();
    if (file.kind === 'absent' && highest === 0) return { sender: 1, target: 1 };
    // Damaged, or lost next to messages we sent: above anything stored, and ask the peer for everything.
    return { sender: highest + 1 + this.#o.reserve, target: 1 };
  }

  async #highestStored(): Promise<number> {
    let highest = 0;
    for (const line of await this.#files.readHeaderLines()) {
      const seq = Number.parseInt(line.split(',')[0] ?? '', 10);
      if (seq > highest) highest = seq;
    }
    return highest;
  }

  #advanceSender(value: number): void {
    if (value <= this.#sender) return;
    this.#sender = value;
    // The next message may reach the socket before we are called again: keep it covered.
    if (this.#sender + 1 > this.#reserved) this.#reserve();
  }

  #reserve(): void {
    this.#reserved = this.#sender + this.#o.reserve;
    this.#write(this.#target);
  }

  #setTarget(value: number): void {
    this.#target = value;
    if (value !== this.#savedTarget && !this.#flushTimer && this.#owns()) {
      this.#flushTimer = setTimeout(() => this.#flushTarget(), this.#o.targetFlushMs);
      this.#flushTimer.unref();
    }
  }

  #flushTarget(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#target !== this.#savedTarget) this.#write(this.#target);
  }

  #write(target: number): void {
    if (!this.#owns()) return;
    writeSeqNumFile(this.#path, this.#reserved, target, this.#o.durable);
    this.#savedTarget = target;
  }

  #claim(): void {
    const previous = owners.get(this.#path);
    owners.set(this.#path, this);
    if (previous && previous !== this) previous.#retire();
  }

  #owns(): boolean {
    return owners.get(this.#path) === this;
  }

  #release(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#owns()) owners.delete(this.#path);
  }

  /** Superseded by a newer store for the same session: stop writing, close the body file. */
  #retire(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#messages.dispose().catch(() => {});
  }
}

/**
 * jspurefix's file provider for the message files only: `.seqnums` belongs to the store, so the inner
 * {@link FileSessionStore} neither reads it (it would fall back to 1 on a damaged file) nor rewrites it in
 * place, and a reset keeps it (it is rewritten, atomically, right away).
 */
class MessageFiles implements ISessionStreamProvider {
  readonly #files: FileSessionStreamProvider;
  readonly #resettable: string[];
  constructor(sessionId: SessionId, directory: string) {
    this.#files = new FileSessionStreamProvider(sessionId, directory);
    this.#resettable = ['body', 'header', 'session'].map((ext) => sessionId.getFilePath(directory, ext));
  }
  openBody(): void {
    this.#files.openBody();
  }
  appendBody(data: Buffer): Promise<number> {
    return this.#files.appendBody(data);
  }
  readBody(offset: number, length: number): Promise<Buffer> {
    return this.#files.readBody(offset, length);
  }
  getBodySize(): number {
    return this.#files.getBodySize();
  }
  appendHeaderLine(line: string): Promise<void> {
    return this.#files.appendHeaderLine(line);
  }
  readHeaderLines(): Promise<string[]> {
    return this.#files.readHeaderLines();
  }
  readSeqNums(): Promise<string | null> {
    return Promise.resolve(null);
  }
  writeSeqNums(): Promise<void> {
    return Promise.resolve();
  }
  readSessionTime(): Promise<string | null> {
    return this.#files.readSessionTime();
  }
  writeSessionTime(content: string): Promise<void> {
    return this.#files.writeSessionTime(content);
  }
  async reset(): Promise<void> {
    await this.#files.dispose(); // closes the body file; the next append reopens (and recreates) it
    for (const f of this.#resettable) if (existsSync(f)) rmSync(f, { force: true });
  }
  flush(): Promise<void> {
    return this.#files.flush();
  }
  dispose(): Promise<void> {
    return this.#files.dispose();
  }
}

/**
 * Creates a {@link DurableSessionStore} per session under `directory`; plugged into jspurefix as the
 * config's `sessionStoreFactory` (launcher.ts), which takes precedence over the description's `store`.
 */
export class DurableSessionStoreFactory implements IFixSessionStoreFactory {
  readonly directory: string;
  readonly options: DurableStoreOptions;
  constructor(directory: string, options: DurableStoreOptions = {}) {
    this.directory = directory;
    this.options = options;
  }
  create(sessionId: SessionId): IFixSessionStore {
    return new DurableSessionStore(sessionId, this.directory, this.options);
  }
}
