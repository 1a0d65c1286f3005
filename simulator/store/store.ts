/**
 * Persistence with node:sqlite (built into Node 24): accounts, the trading day's orders, instrument state
 * and counters, written through after every command in one transaction, so a restart mid-day loses
 * nothing. FIX sequence numbers and sent messages are persisted by jspurefix's file store beside it.
 * WAL mode + synchronous=NORMAL: a crash can lose at most the last transaction, never corrupt.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Account } from '../market/accounts.ts';
import type { MarketState } from '../market/market.ts';
import type { ClientOrder, InstrumentState } from '../market/types.ts';

/** What the market reports as changed. */
export interface DirtySet {
  accounts: Account[];
  orders: ClientOrder[];
  instruments: InstrumentState[];
  meta: { tradingDay: string; seq: number } | undefined;
}

export class Store {
  private readonly db: DatabaseSync;

  /** @param path database file (`:memory:` for tests) */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS instruments (symbol TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, trading_day TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS orders_day ON orders (trading_day, seq);
    `);
  }

  /** The persisted market state, or undefined for a fresh store. */
  load(): MarketState | undefined {
    const meta = Object.fromEntries(
      (this.db.prepare('SELECT k, v FROM meta').all() as { k: string; v: string }[]).map((r) => [r.k, r.v]),
    );
    if (!meta.tradingDay) return undefined;
    const docs = <T>(sql: string, ...args: string[]) =>
      (this.db.prepare(sql).all(...args) as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);
    return {
      tradingDay: meta.tradingDay,
      seq: Number(meta.seq ?? 0),
      accounts: docs<Account>('SELECT doc FROM accounts'),
      instruments: docs<InstrumentState>('SELECT doc FROM instruments'),
      orders: docs<ClientOrder>('SELECT doc FROM orders WHERE trading_day = ? ORDER BY seq', meta.tradingDay),
    };
  }

  /** Writes changed records in one transaction; a trading-day change prunes older orders. */
  flush(d: DirtySet): void {
    if (!d.meta && d.accounts.length === 0 && d.orders.length === 0 && d.instruments.length === 0) return;
    const putA = this.db.prepare('INSERT OR REPLACE INTO accounts (id, doc) VALUES (?, ?)');
    const putI = this.db.prepare('INSERT OR REPLACE INTO instruments (symbol, doc) VALUES (?, ?)');
    const putO = this.db.prepare(
      'INSERT OR REPLACE INTO orders (order_id, trading_day, seq, doc) VALUES (?, ?, ?, ?)',
    );
    const putM = this.db.prepare('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)');
    this.db.exec('BEGIN');
    try {
      for (const a of d.accounts) putA.run(a.id, JSON.stringify(a));
      for (const i of d.instruments) putI.run(i.symbol, JSON.stringify(i));
      for (const o of d.orders) putO.run(o.orderId, o.tradingDay, o.seq, JSON.stringify(o));
      if (d.meta) {
        putM.run('tradingDay', d.meta.tradingDay);
        putM.run('seq', String(d.meta.seq));
        this.db.prepare('DELETE FROM orders WHERE trading_day < ?').run(d.meta.tradingDay);
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Deletes instruments no longer listed. */
  dropInstrumentsExcept(symbols: string[]): void {
    const keep = new Set(symbols);
    const rows = this.db.prepare('SELECT symbol FROM instruments').all() as { symbol: string }[];
    for (const r of rows)
      if (!keep.has(r.symbol)) this.db.prepare('DELETE FROM instruments WHERE symbol = ?').run(r.symbol);
  }

  close(): void {
    this.db.close();
  }
}
