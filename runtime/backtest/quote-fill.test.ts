import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../simulator/matching/index.ts';
import { fillAgainstQuote } from './quote-fill.ts';

describe('fillAgainstQuote', () => {
  it('agrees with the matching engine on a book holding only the market quote', () => {
    let seed = 7;
    const rnd = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    for (let i = 0; i < 20_000; i++) {
      const ask = { price: 1000 + 2 * Math.floor(rnd() * 5), left: pick([0, 1, 2, 5]) };
      const bid = { price: ask.price - pick([2, 4]), left: pick([0, 1, 3]) };
      const buy = rnd() < 0.5;
      const limit = pick([990, 996, 998, 1000, 1002, 1004, 1008, 1012, 0, 1001.5]);
      const lots = pick([1, 2, 3, 6, 0, 1.5]);
      const tif = pick(['day', 'fak', 'fok', 'ioc']);
      const book = new OrderBook();
      if (ask.left > 0)
        book.submit({ id: 'a', account: 'market', side: 'sell', price: ask.price, qty: ask.left });
      if (bid.left > 0)
        book.submit({ id: 'b', account: 'market', side: 'buy', price: bid.price, qty: bid.left });
      const order = {
        id: 'o',
        account: 'me',
        side: buy ? 'buy' : 'sell',
        price: limit,
        qty: lots,
        stp: true,
      } as const;
      const got = fillAgainstQuote(buy, limit, lots, tif, buy ? ask : bid);
      const label = JSON.stringify({ ask, bid, order, tif, got });
      let r: ReturnType<OrderBook['submit']>;
      try {
        r = book.submit({ ...order, tif: tif as 'day' });
      } catch {
        expect(got, label).toBeUndefined(); // the book refuses it: left to the book, which throws
        continue;
      }
      if (got === undefined) {
        expect(r.resting, label).toBeGreaterThan(0);
        continue;
      }
      expect(r.resting, label).toBe(0);
      expect(r.filled, label).toBe(got);
      expect(r.cancelled, label).toBe(lots - got);
      for (const f of r.fills) expect(f.price, label).toBe(buy ? ask.price : bid.price);
    }
  });
});
