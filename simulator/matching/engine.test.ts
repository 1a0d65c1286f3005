import { describe, expect, it } from 'vitest';
import { type BookOrderInput, type BookSide, type BookTif, OrderBook } from './engine.ts';

const o = (
  id: string,
  side: BookSide,
  price: number,
  qty: number,
  tif: BookTif = 'day',
  account = 'a',
  stp = false,
): BookOrderInput => ({
  id,
  side,
  price,
  qty,
  tif,
  account,
  stp,
});

describe('OrderBook', () => {
  it('rests, then matches with price-time priority at the maker price', () => {
    const b = new OrderBook();
    b.submit(o('s1', 'sell', 102, 5));
    b.submit(o('s2', 'sell', 100, 3));
    b.submit(o('s3', 'sell', 100, 4));
    expect(b.bestAsk()).toBe(100);
    const r = b.submit(o('b1', 'buy', 102, 10, 'day', 'b'));
    expect(r.fills.map((f) => [f.makerId, f.price, f.qty])).toEqual([
      ['s2', 100, 3],
      ['s3', 100, 4],
      ['s1', 102, 3],
    ]);
    expect(r).toMatchObject({ filled: 10, resting: 0, cancelled: 0 });
    expect(b.get('s1')?.remaining).toBe(2);
    expect(b.depth('sell')).toEqual([{ price: 102, qty: 2, orders: 1 }]);
  });
  it('partially fills and rests the remainder of a day order', () => {
    const b = new OrderBook();
    b.submit(o('s1', 'sell', 100, 2));
    const r = b.submit(o('b1', 'buy', 101, 5, 'day', 'b'));
    expect(r).toMatchObject({ filled: 2, resting: 3 });
    expect(b.bestBid()).toBe(101);
    expect(b.bestAsk()).toBeUndefined();
  });
  it('FAK cancels the remainder, FOK all or nothing', () => {
    const b = new OrderBook();
    b.submit(o('s1', 'sell', 100, 2));
    expect(b.submit(o('f1', 'buy', 100, 5, 'fok', 'b'))).toMatchObject({
      filled: 0,
      cancelled: 5,
      cancelReason: 'fok',
    });
    expect(b.get('s1')?.remaining).toBe(2);
    expect(b.submit(o('i1', 'buy', 100, 5, 'fak', 'b'))).toMatchObject({
      filled: 2,
      cancelled: 3,
      cancelReason: 'fak',
    });
    expect(b.size).toBe(0);
    b.submit(o('s2', 'sell', 100, 2));
    b.submit(o('s3', 'sell', 101, 3));
    expect(b.submit(o('f2', 'buy', 101, 5, 'fok', 'b'))).toMatchObject({ filled: 5, cancelled: 0 });
  });
  it('cancels resting orders and drops empty levels', () => {
    const b = new OrderBook();
    b.submit(o('b1', 'buy', 99, 1));
    b.submit(o('b2', 'buy', 98, 1));
    expect(b.cancel('b1')?.remaining).toBe(1);
    expect(b.cancel('b1')).toBeUndefined();
    expect(b.bestBid()).toBe(98);
    expect(b.depth('buy', 5)).toEqual([{ price: 98, qty: 1, orders: 1 }]);
  });
  it('prevents self-trades when asked, cancelling the newest', () => {
    const b = new OrderBook();
    b.submit(o('s1', 'sell', 100, 1, 'day', 'x'));
    b.submit(o('s2', 'sell', 100, 1, 'day', 'me'));
    b.submit(o('s3', 'sell', 100, 1, 'day', 'x'));
    const r = b.submit(o('b1', 'buy', 100, 3, 'day', 'me', true));
    expect(r).toMatchObject({ filled: 1, cancelled: 2, cancelReason: 'stp', resting: 0 });
    expect(b.has('s2')).toBe(true);
    expect(b.submit(o('f1', 'buy', 100, 2, 'fok', 'me', true))).toMatchObject({
      filled: 0,
      cancelReason: 'fok',
    });
  });
  it('keeps its depth right while levels over a wide range of prices empty and refill', () => {
    // More distinct prices than the book keeps spare empty levels for, revisited in a scrambled order.
    const b = new OrderBook();
    const ref = new Map<number, number>();
    const live: Array<[string, number]> = [];
    for (let i = 0; i < 3000; i++) {
      const price = 1000 + ((i * 37) % 400);
      const id = `b${i}`;
      b.submit(o(id, 'buy', price, 1 + (i % 3)));
      ref.set(price, (ref.get(price) ?? 0) + 1 + (i % 3));
      live.push([id, price]);
      if (i % 3 !== 0) {
        const [cid, cp] = live.splice((i * 7) % live.length, 1)[0]!;
        const left = (ref.get(cp) ?? 0) - b.cancel(cid)!.remaining;
        if (left === 0) ref.delete(cp);
        else ref.set(cp, left);
      }
      if (i % 97 === 0 || i === 2999) {
        const want = [...ref].sort((x, y) => y[0] - x[0]).map(([p, q]) => [p, q]);
        expect(b.depth('buy', 1000).map((l) => [l.price, l.qty])).toEqual(want);
        expect(b.bestBid()).toBe(want[0]?.[0]);
      }
    }
    // Selling through every level empties the side; a level rests again where one was before.
    const total = [...ref.values()].reduce((x, y) => x + y, 0);
    expect(b.submit(o('s', 'sell', 1, total, 'day', 'z')).filled).toBe(total);
    expect(b.bestBid()).toBeUndefined();
    expect(b.depth('buy')).toEqual([]);
    b.submit(o('again', 'buy', 1000, 2));
    expect(b.depth('buy')).toEqual([{ price: 1000, qty: 2, orders: 1 }]);
  });
  it('rejects duplicate ids and bad quantities', () => {
    const b = new OrderBook();
    b.submit(o('b1', 'buy', 99, 1));
    expect(() => b.submit(o('b1', 'buy', 99, 1))).toThrow(/duplicate/);
    expect(() => b.submit(o('b2', 'buy', 99, 0))).toThrow();
    expect(() => b.submit(o('b3', 'buy', 99.5, 1))).toThrow();
  });

  it('keeps its invariants and agrees with a naive reference over a random run', () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const b = new OrderBook();
    // Reference: flat arrays, scanned fully each time.
    type R = { id: string; account: string; side: BookSide; price: number; rem: number; seq: number };
    let ref: R[] = [];
    const live: string[] = [];
    for (let i = 0; i < 4000; i++) {
      if (rnd() < 0.3 && live.length > 0) {
        const id = live.splice(Math.floor(rnd() * live.length), 1)[0]!;
        const got = b.cancel(id);
        const r = ref.find((x) => x.id === id);
        expect(got?.remaining).toBe(r?.rem);
        ref = ref.filter((x) => x.id !== id);
      } else {
        const side: BookSide = rnd() < 0.5 ? 'buy' : 'sell';
        const price = 90 + Math.floor(rnd() * 20);
        const qty = 1 + Math.floor(rnd() * 5);
        const tif: BookTif = rnd() < 0.8 ? 'day' : rnd() < 0.5 ? 'fak' : 'fok';
        const account = rnd() < 0.5 ? 'p' : 'q';
        const stp = rnd() < 0.3;
        const id = `o${i}`;
        // reference matching
        const opp = ref
          .filter((x) => x.side !== side && (side === 'buy' ? x.price <= price : x.price >= price))
          .sort((x, y) => (side === 'buy' ? x.price - y.price : y.price - x.price) || x.seq - y.seq);
        let avail = 0;
        for (const x of opp) {
          if (stp && x.account === account) break;
          avail += x.rem;
        }
        const res = b.submit({ id, side, price, qty, tif, account, stp });
        const expFills: Array<[string, number, number]> = [];
        if (!(tif === 'fok' && avail < qty)) {
          let left = qty;
          for (const x of opp) {
            if (left === 0 || (stp && x.account === account)) break;
            const q = Math.min(left, x.rem);
            x.rem -= q;
            left -= q;
            expFills.push([x.id, x.price, q]);
          }
          ref = ref.filter((x) => x.rem > 0);
          if (left > 0 && tif === 'day' && res.cancelReason !== 'stp') {
            ref.push({ id, account, side, price, rem: left, seq: i });
            live.push(id);
          }
        }
        expect(res.fills.map((f) => [f.makerId, f.price, f.qty])).toEqual(expFills);
        expect(res.filled + res.resting + res.cancelled).toBe(qty);
      }
      // invariants
      const bb = b.bestBid();
      const ba = b.bestAsk();
      if (bb !== undefined && ba !== undefined) expect(bb).toBeLessThan(ba);
      expect(b.size).toBe(ref.length);
    }
    const resting = b.restingOrders();
    expect(resting.every((r) => r.remaining > 0)).toBe(true);
    for (const side of ['buy', 'sell'] as const) {
      const sum = ref.filter((x) => x.side === side).reduce((s, x) => s + x.rem, 0);
      expect(b.depth(side, 1000).reduce((s, l) => s + l.qty, 0)).toBe(sum);
    }
  });
});
