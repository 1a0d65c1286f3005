/**
 * The journal: an SQLite file on the pod's volume (node:sqlite) in which every order, execution, risk
 * decision and strategy state change is written — and committed — BEFORE the runtime acts on it.
 *
 * Durability choice: WAL with `synchronous=NORMAL` by default (`journal.synchronous` in the runtime
 * configuration; `FULL` stays selectable). In WAL mode `NORMAL` loses nothing when the PROCESS dies (SIGKILL,
 * OOM kill, a crash: every commit is in the WAL in the OS page cache; runtime/kill.test.ts proves it), but
 * an OS crash or power loss may roll back the last commits (the WAL is fsynced at checkpoints, not per
 * commit). `FULL` fsyncs the WAL on every commit: nothing is ever rolled back, at the price of an fsync
 * (a millisecond or more, and much more on a busy disk) between a strategy's decision and the order
 * reaching the counter. The deployed default trades the OS-crash window for that latency:
 *  - client order ids can never repeat, even if the last commits are lost: every open durably (an fsync
 *    whatever the setting) starts a new boot epoch, and ids are `<journal id>-<boot epoch>-<counter>`, so
 *    a counter rolled back by an OS crash continues under a new epoch;
 *  - an order that reached the counter but whose record was rolled back is found by the start-up
 *    reconciliation with the counter (it asks the counter for the account's orders), not by the journal.
 * Ticks are not journaled.
 *
 * Client order ids: `<journal id>-<boot epoch>-<n>`. The journal id is random, minted when the file is created,
 * so ids stay unique even across a wiped volume; the boot epoch is committed with an fsync before this process
 * can mint any id, so `n` is a counter in memory, from 1 at every start: no statement per order for it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ClOrdId, Fill, Order } from '../domain/types.ts';
import {
  BackgroundCheckpointer,
  FALLBACK_CHECKPOINT_PAGES,
  INLINE_CHECKPOINT_PAGES,
} from './checkpointer.ts';

/** One journal record, as read back. */
export interface JournalEvent {
  seq: number;
  time: number;
  kind: string;
  clOrdId?: string;
  data: unknown;
}

/** Options for {@link openJournal}. */
export interface JournalOptions {
  /** `NORMAL` (default, see the module comment) or `FULL`. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Clock, default Date.now. */
  now?: () => number;
  /**
   * Where WAL checkpoints run: `background` (default for a file: a thread of their own, see
   * checkpointer.ts) or `inline` (SQLite's default: in whichever commit crosses its threshold).
   */
  checkpoints?: 'background' | 'inline';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL,
  kind TEXT NOT NULL, clOrdId TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (clOrdId TEXT PRIMARY KEY, status TEXT NOT NULL, data TEXT NOT NULL,
  updatedAt INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS fills (tradeId TEXT PRIMARY KEY, clOrdId TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cancels (cancelId TEXT PRIMARY KEY, clOrdId TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, data TEXT NOT NULL);
`;

/** The journal of one runtime. Synchronous API on purpose: a write returns only once it is durable. */
export class Journal {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  /** `<journal id>-<boot epoch>-`: the part of every client order id fixed for this process's life. */
  readonly #prefix: string;
  #open = true;
  /** Client order ids minted by this process (see nextClOrdId). */
  #idCount = 0;
  readonly #stmts;
  readonly #checkpointer: BackgroundCheckpointer | undefined;

  constructor(path: string, opts: JournalOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#now = opts.now ?? Date.now;
    this.#db.exec('PRAGMA journal_mode=WAL');
    // The boot epoch below is committed with FULL (fsynced) whatever the setting; then the chosen one.
    this.#db.exec('PRAGMA synchronous=FULL');
    this.#db.exec('PRAGMA busy_timeout=5000');
    this.#db.exec(SCHEMA);
    const getMeta = this.#db.prepare('SELECT value FROM meta WHERE key = ?');
    let prefix = (getMeta.get('idPrefix') as { value: string } | undefined)?.value;
    if (!prefix) {
      prefix = randomBytes(3).toString('hex').toUpperCase();
      this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('idPrefix', prefix);
    }
    const epoch = Number((getMeta.get('bootEpoch') as { value: string } | undefined)?.value ?? '0') + 1;
    this.#db
      .prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
      .run('bootEpoch', String(epoch));
    this.#db.exec(`PRAGMA synchronous=${opts.synchronous ?? 'NORMAL'}`);
    if (path !== ':memory:' && (opts.checkpoints ?? 'background') === 'background') {
      this.#db.exec(`PRAGMA wal_autocheckpoint=${FALLBACK_CHECKPOINT_PAGES}`);
      this.#checkpointer = new BackgroundCheckpointer(path, () => {
        if (this.#open) this.#db.exec(`PRAGMA wal_autocheckpoint=${INLINE_CHECKPOINT_PAGES}`);
      });
    }
    this.#prefix = `${prefix}-${epoch.toString(36).toUpperCase()}-`;
    this.#stmts = {
      getMeta,
      setMeta: this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      event: this.#db.prepare('INSERT INTO events (time, kind, clOrdId, data) VALUES (?, ?, ?, ?)'),
      // An update in place keeps the row (and its rowid): `orders()` stays oldest first. INSERT OR REPLACE
      // would delete and re-insert, moving every updated order to the end.
      upsertOrder: this.#db.prepare(
        `INSERT INTO orders (clOrdId, status, data, updatedAt) VALUES (?, ?, ?, ?)
         ON CONFLICT(clOrdId) DO UPDATE SET status = excluded.status, data = excluded.data,
         updatedAt = excluded.updatedAt`,
      ),
      getOrder: this.#db.prepare('SELECT data FROM orders WHERE clOrdId = ?'),
      allOrders: this.#db.prepare('SELECT data FROM orders ORDER BY rowid'),
      fillExists: this.#db.prepare('SELECT 1 FROM fills WHERE tradeId = ?'),
      insertFill: this.#db.prepare('INSERT INTO fills (tradeId, clOrdId, data) VALUES (?, ?, ?)'),
      allFills: this.#db.prepare('SELECT data FROM fills ORDER BY rowid'),
      insertCancel: this.#db.prepare('INSERT OR REPLACE INTO cancels (cancelId, clOrdId) VALUES (?, ?)'),
      allCancels: this.#db.prepare('SELECT cancelId, clOrdId FROM cancels ORDER BY rowid'),
      saveSession: this.#db.prepare('INSERT OR REPLACE INTO sessions (key, data) VALUES (?, ?)'),
      removeSession: this.#db.prepare('DELETE FROM sessions WHERE key = ?'),
      allSessions: this.#db.prepare('SELECT key, data FROM sessions ORDER BY rowid'),
      kvGet: this.#db.prepare('SELECT value FROM kv WHERE key = ?'),
      kvSet: this.#db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)'),
      events: this.#db.prepare(
        'SELECT seq, time, kind, clOrdId, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
      ),
    };
  }

  /** True until {@link close}. */
  isOpen(): boolean {
    return this.#open;
  }

  /** Runs `fn` in one transaction (one fsync). */
  tx<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      this.#db.exec('COMMIT');
      return r;
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * The next client order id. Never repeated, whatever happens to the transaction it is used in: an id of a
   * rolled-back transaction is skipped, not reused, and the next start counts under a new boot epoch.
   */
  nextClOrdId(): ClOrdId {
    return `${this.#prefix}${++this.#idCount}`;
  }

  /** Appends one record to the event log. */
  append(kind: string, data: unknown, clOrdId?: string): void {
    this.#stmts.event.run(this.#now(), kind, clOrdId ?? null, JSON.stringify(data));
  }

  /** Writes the order's current state (and a log record of why). */
  saveOrder(order: Order, kind: string, data?: unknown): void {
    this.#stmts.upsertOrder.run(order.clOrdId, order.status, JSON.stringify(order), order.updatedAt);
    this.append(kind, data ?? order, order.clOrdId);
  }

  /** The stored order, if any. */
  getOrder(clOrdId: ClOrdId): Order | undefined {
    const row = this.#stmts.getOrder.get(clOrdId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Order) : undefined;
  }

  /** Every order ever journaled, oldest first. */
  orders(): Order[] {
    return (this.#stmts.allOrders.all() as Array<{ data: string }>).map((r) => JSON.parse(r.data) as Order);
  }

  /** Records a fill once; returns false when its trade id was already journaled (a replayed report). */
  recordFill(fill: Fill): boolean {
    if (this.#stmts.fillExists.get(fill.tradeId)) return false;
    this.#stmts.insertFill.run(fill.tradeId, fill.clOrdId, JSON.stringify(fill));
    this.append('fill', fill, fill.clOrdId);
    return true;
  }

  /** True when the trade id is already journaled. */
  hasFill(tradeId: string): boolean {
    return this.#stmts.fillExists.get(tradeId) !== undefined;
  }

  /** Every fill, oldest first. */
  fills(): Fill[] {
    return (this.#stmts.allFills.all() as Array<{ data: string }>).map((r) => JSON.parse(r.data) as Fill);
  }

  /**
   * Records which order a cancel request (its own client order id) cancels: one row per cancel, so a cancel
   * writes only its own entry, however many came before it.
   */
  saveCancel(cancelId: ClOrdId, clOrdId: ClOrdId): void {
    this.#stmts.insertCancel.run(cancelId, clOrdId);
  }

  /**
   * Every cancel request id → the order it cancels, oldest first. Includes the map that journals written
   * before the `cancels` table kept whole under the `cancels` key, so an upgraded runtime still recognises
   * the answers to cancels it sent before the upgrade.
   */
  cancels(): Array<[ClOrdId, ClOrdId]> {
    const legacy = Object.entries(this.get<Record<string, string>>('cancels') ?? {});
    const rows = this.#stmts.allCancels.all() as Array<{ cancelId: string; clOrdId: string }>;
    return [...legacy, ...rows.map((r): [ClOrdId, ClOrdId] => [r.cancelId, r.clOrdId])];
  }

  /** Stores an API login session under its token's hash (runtime/api/journal-sessions.ts). */
  saveSession(key: string, json: string): void {
    this.#stmts.saveSession.run(key, json);
  }

  removeSession(key: string): void {
    this.#stmts.removeSession.run(key);
  }

  /** Every stored login session, oldest first. */
  sessions(): Array<{ key: string; data: string }> {
    return this.#stmts.allSessions.all() as Array<{ key: string; data: string }>;
  }

  /** Reads a JSON value (strategy state, position snapshot, trading day). */
  get<T>(key: string): T | undefined {
    const row = this.#stmts.kvGet.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Writes a JSON value. */
  set(key: string, value: unknown): void {
    this.#stmts.kvSet.run(key, JSON.stringify(value));
  }

  /** Writes a value that is already JSON text (e.g. a strategy state serialised in its worker). */
  setJson(key: string, json: string): void {
    this.#stmts.kvSet.run(key, json);
  }

  /** Event log records after `afterSeq`. */
  events(afterSeq = 0, limit = 10_000): JournalEvent[] {
    return (this.#stmts.events.all(afterSeq, limit) as Array<Record<string, unknown>>).map((r) => ({
      seq: Number(r.seq),
      time: Number(r.time),
      kind: String(r.kind),
      ...(r.clOrdId ? { clOrdId: String(r.clOrdId) } : {}),
      data: JSON.parse(String(r.data)),
    }));
  }

  /** Closes the file. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    // The checkpointer's connection first, so that closing this last one checkpoints and removes the WAL.
    this.#checkpointer?.stop();
    this.#db.close();
  }
}

/** Opens (creating if needed) the journal at `path`. */
export function openJournal(path: string, opts?: JournalOptions): Journal {
  return new Journal(path, opts);
}
