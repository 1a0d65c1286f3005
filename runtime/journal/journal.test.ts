import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../domain/types.ts';
import { openJournal } from './journal.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'aurum-journal-'));
  dirs.push(d);
  return join(d, 'j.db');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const order = (clOrdId: string): Order => ({
  clOrdId,
  instrument: 'au2606',
  side: 'buy',
  offset: 'open',
  price: 61200,
  quantity: 1,
  filledQuantity: 0,
  filledNotional: 0,
  status: 'pendingNew',
  timeInForce: 'day',
  origin: 'test',
  createdAt: 1,
  updatedAt: 1,
});

describe('Journal', () => {
  it('client order ids are unique across reopen (restart)', () => {
    const p = tmp();
    const a = openJournal(p);
    const ids = [a.tx(() => a.nextClOrdId()), a.tx(() => a.nextClOrdId())];
    a.close();
    const b = openJournal(p);
    ids.push(b.tx(() => b.nextClOrdId()));
    b.close();
    expect(new Set(ids).size).toBe(3);
    expect(ids[2]!.split('-')[0]).toBe(ids[0]!.split('-')[0]);
  });

  it('client order ids never repeat even when the last commits are lost (new boot epoch per open)', () => {
    const p = tmp();
    const a = openJournal(p);
    const first = a.tx(() => a.nextClOrdId());
    a.tx(() => a.nextClOrdId());
    a.close();
    // What an OS crash under synchronous=NORMAL can do: the last commits (the orders with those ids) rolled back.
    // Whatever was rolled back, the next process counts under an epoch fsynced at its start.
    const b = openJournal(p);
    const again = b.tx(() => b.nextClOrdId());
    b.close();
    expect(again).not.toBe(first);
    expect(again.split('-')[0]).toBe(first.split('-')[0]);
    expect(again.split('-')[2]).toBe(first.split('-')[2]);
    expect(again.split('-')[1]).not.toBe(first.split('-')[1]);
  });

  it('an id used in a rolled-back transaction is skipped, never handed out again', () => {
    const j = openJournal(tmp());
    let lost = '';
    expect(() =>
      j.tx(() => {
        lost = j.nextClOrdId();
        throw new Error('risk refused after the id was taken');
      }),
    ).toThrow();
    expect(j.tx(() => j.nextClOrdId())).not.toBe(lost);
    j.close();
  });

  it('a rolled-back transaction leaves nothing behind', () => {
    const j = openJournal(tmp());
    expect(() =>
      j.tx(() => {
        j.saveOrder(order('X-1'), 'orderNew');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(j.orders()).toEqual([]);
    j.close();
  });

  it('recovers orders, fills and state after reopen; a fill is recorded once', () => {
    const p = tmp();
    const j = openJournal(p);
    j.tx(() => j.saveOrder(order('X-1'), 'orderNew'));
    const fill = {
      tradeId: 'T1',
      clOrdId: 'X-1',
      instrument: 'au2606',
      side: 'buy' as const,
      offset: 'open' as const,
      price: 61200,
      quantity: 1,
      commission: 1000,
      time: 2,
      origin: 'test',
    };
    expect(j.tx(() => j.recordFill(fill))).toBe(true);
    expect(j.tx(() => j.recordFill(fill))).toBe(false);
    j.tx(() => j.set('strategy:ema', { n: 3 }));
    j.close();
    const k = openJournal(p);
    expect(k.orders().map((o) => o.clOrdId)).toEqual(['X-1']);
    expect(k.fills()).toHaveLength(1);
    expect(k.get('strategy:ema')).toEqual({ n: 3 });
    expect(k.events().map((e) => e.kind)).toEqual(['orderNew', 'fill']);
    k.close();
    expect(k.isOpen()).toBe(false);
  });

  it('keeps cancel request ids one row each, and still reads the whole-map key older journals wrote', () => {
    const p = tmp();
    const j = openJournal(p);
    j.tx(() => j.set('cancels', { 'OLD-1': 'OLD-0' })); // as written before the cancels table existed
    j.tx(() => j.saveCancel('X-2', 'X-1'));
    j.tx(() => j.saveCancel('X-4', 'X-3'));
    j.close();
    const k = openJournal(p);
    expect(k.cancels()).toEqual([
      ['OLD-1', 'OLD-0'],
      ['X-2', 'X-1'],
      ['X-4', 'X-3'],
    ]);
    k.close();
  });

  describe('WAL checkpoints', () => {
    /** Commits ~1,500 pages of events: more than SQLite's inline threshold (1,000), fewer than the fallback. */
    const fill = (j: ReturnType<typeof openJournal>) => {
      for (let i = 0; i < 500; i++) j.tx(() => j.append('pad', { i, pad: 'x'.repeat(3000) }));
    };
    const until = async (ok: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return ok();
    };

    it('copies committed pages into the database on a thread of its own, then leaves no WAL at close', async () => {
      const p = tmp();
      const j = openJournal(p);
      const before = statSync(p).size;
      fill(j);
      // The committing connection no longer checkpoints at 1,000 pages: only the background thread can
      // have grown the database file by the ~1.5 MB of pages the commits put in the WAL.
      expect(await until(() => statSync(p).size > before + 1_000_000, 10_000)).toBe(true);
      expect(j.events(0, 1_000)).toHaveLength(500);
      j.close();
      expect(existsSync(`${p}-wal`)).toBe(false);
      const k = openJournal(p);
      expect(k.events(0, 1_000)).toHaveLength(500);
      k.close();
    });

    it('inline, as SQLite does by default: the commit that crosses 1,000 pages checkpoints', () => {
      const p = tmp();
      const j = openJournal(p, { checkpoints: 'inline' });
      const before = statSync(p).size;
      fill(j);
      expect(statSync(p).size).toBeGreaterThan(before + 1_000_000);
      j.close();
      expect(existsSync(`${p}-wal`)).toBe(false);
    });
  });
});
