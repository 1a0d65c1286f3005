import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { beijingToEpoch, DEFAULT_AU_SPEC, makeCalendar } from '../../common/shfe/index.ts';
import { newAccount } from '../market/accounts.ts';
import { Market } from '../market/market.ts';
import { Store } from './store.ts';

describe('Store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurum-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips the market state through SQLite', () => {
    const now = () => beijingToEpoch('2026-11-25', 600);
    const cfg = { spec: DEFAULT_AU_SPEC, calendar: makeCalendar() };
    const path = join(dir, 'sim.db');
    const s1 = new Store(path);
    const m = new Market(cfg, { now });
    m.putAccount(newAccount('A', 'A', 'h'));
    m.fund('A', 50_000_000);
    m.submit('A', {
      clOrdId: 'x1',
      symbol: 'au2612',
      side: 'buy',
      price: 61000,
      qty: 2,
      tif: 'day',
      offset: 'open',
    });
    s1.flush(m.takeDirty());
    s1.close();
    const s2 = new Store(path);
    const state = s2.load()!;
    expect(state.tradingDay).toBe('2026-11-25');
    const m2 = new Market(cfg, { now }, state);
    expect(m2.orderByClOrdId('A', 'x1')?.status).toBe('new');
    expect(m2.books.get('au2612')!.bestBid()).toBe(61000);
    expect(m2.accounts.get('A')).toEqual(m.accounts.get('A'));
    expect(m2.instruments.get('au2612')).toEqual(m.instruments.get('au2612'));
    // order ids keep counting after a restart
    const r = m2.submit('A', {
      clOrdId: 'x2',
      symbol: 'au2612',
      side: 'buy',
      price: 61000,
      qty: 1,
      tif: 'day',
      offset: 'open',
    });
    expect(r.order!.orderId).not.toBe(m2.orderByClOrdId('A', 'x1')!.orderId);
    s2.close();
  });
});
