import { describe, expect, it } from 'vitest';
import { beijingToEpoch, DEFAULT_AU_SPEC, makeCalendar, makeSpec } from '../../common/shfe/index.ts';
import { newAccount } from './accounts.ts';
import { LiquidityModel } from './liquidity.ts';
import { Market, type NewOrderCommand } from './market.ts';
import type { ExecEvent } from './types.ts';

const cal = makeCalendar();
const DAY = '2026-11-25';
function setup(opts: { alwaysOpen?: boolean; at?: number } = {}) {
  let now = opts.at ?? beijingToEpoch(DAY, 10 * 60);
  const m = new Market(
    { spec: DEFAULT_AU_SPEC, calendar: cal, alwaysOpen: opts.alwaysOpen ?? false, initialSettlement: 61200 },
    { now: () => now },
  );
  for (const id of ['A', 'B']) {
    m.putAccount(newAccount(id, id, 'x'));
    m.fund(id, 100_000_000); // 1,000,000 CNY
  }
  return { m, setNow: (t: number) => (now = t) };
}
const SYM = 'au2612';
let n = 0;
const cmd = (o: Partial<NewOrderCommand>): NewOrderCommand => ({
  clOrdId: `c${++n}`,
  symbol: SYM,
  side: 'buy',
  price: 61200,
  qty: 1,
  tif: 'day',
  offset: 'open',
  ...o,
});
const execs = (evs: { kind: string }[]) => evs.filter((e): e is ExecEvent => e.kind === 'exec');

describe('Market', () => {
  it('lists the contracts of the trading day with limits from the settlement', () => {
    const { m } = setup();
    expect([...m.instruments.keys()][0]).toBe('au2612');
    const i = m.instruments.get(SYM)!;
    expect(i.prevSettlement).toBe(61200);
    expect(i.upper).toBe(69768);
    expect(i.lower).toBe(52632);
  });

  it('rests, partially fills, fills, and keeps accounts consistent', () => {
    const { m } = setup();
    const r1 = m.submit('A', cmd({ side: 'sell', qty: 3, price: 61210 }));
    expect(execs(r1.events).map((e) => e.execType)).toEqual(['new']);
    const a = m.accounts.get('A')!;
    expect(a.frozen).toBe(3 * (Math.ceil((61210 * 1000 * 1600) / 10000) + 1000));
    const r2 = m.submit('B', cmd({ side: 'buy', qty: 2, price: 61210 }));
    expect(execs(r2.events).map((e) => [e.order.account, e.execType, e.lastQty])).toEqual([
      ['B', 'new', undefined],
      ['B', 'trade', 2],
      ['A', 'trade', 2],
    ]);
    expect(m.orderByClOrdId('A', r1.order!.clOrdId)?.status).toBe('partially-filled');
    m.submit('B', cmd({ side: 'buy', qty: 1, price: 61210 }));
    expect(m.orderByClOrdId('A', r1.order!.clOrdId)?.status).toBe('filled');
    expect(a.frozen).toBe(0);
    expect(a.positions[SYM]!.short.today).toBe(3);
    expect(m.accounts.get('B')!.positions[SYM]!.long.today).toBe(3);
    expect(a.fees).toBe(3000);
  });

  it('rejects with clear reasons: off tick, limits, unknown symbol, quantity, margin, position, duplicate', () => {
    const { m } = setup();
    const text = (c: Partial<NewOrderCommand>, acct = 'A') => {
      const e = execs(m.submit(acct, cmd(c)).events)[0]!;
      expect(e.execType).toBe('rejected');
      return `${e.order.rejectCode}: ${e.order.text}`;
    };
    expect(text({ price: 61201 })).toMatch(/^OFF_TICK: price 612.01 is off the tick grid/);
    expect(text({ price: 70000 })).toMatch(/^PRICE_LIMIT: .*526.32-697.68/);
    expect(text({ symbol: 'au2611' })).toMatch(
      /^UNKNOWN_SYMBOL: unknown symbol au2611: not listed on 2026-11-25/,
    );
    expect(text({ symbol: 'zz' })).toMatch(/^UNKNOWN_SYMBOL: malformed/);
    expect(text({ qty: 0 })).toMatch(/^BAD_QUANTITY/);
    expect(text({ qty: 200 })).toMatch(/^INSUFFICIENT_MARGIN: insufficient funds/);
    expect(text({ side: 'sell', offset: 'close-today' })).toMatch(
      /^INSUFFICIENT_POSITION: .*0 closable long/,
    );
    expect(text({ side: 'sell', offset: 'close' })).toMatch(/plain close closes yesterday/);
    m.submit('A', cmd({ clOrdId: 'dup', price: 61000 }));
    expect(text({ clOrdId: 'dup' })).toMatch(/^DUPLICATE_ORDER/);
    expect(text({}, 'nobody')).toMatch(/^UNKNOWN_ACCOUNT/);
  });

  it('enforces the sessions unless always open', () => {
    const night = beijingToEpoch(DAY, 12 * 60);
    const { m } = setup({ at: night });
    expect(execs(m.submit('A', cmd({})).events)[0]!.order.text).toMatch(/market closed \(break\)/);
    const open = setup({ at: night, alwaysOpen: true });
    expect(execs(open.m.submit('A', cmd({})).events)[0]!.execType).toBe('new');
  });

  it('FAK cancels the remainder, FOK all or nothing, cancel releases margin', () => {
    const { m } = setup();
    m.submit('A', cmd({ side: 'sell', qty: 1, price: 61210 }));
    const fak = execs(m.submit('B', cmd({ qty: 3, price: 61210, tif: 'fak' })).events);
    expect(fak.map((e) => e.execType)).toEqual(['new', 'trade', 'trade', 'canceled']);
    const b = m.accounts.get('B')!;
    expect(b.frozen).toBe(0);
    const fok = execs(m.submit('B', cmd({ qty: 3, price: 61210, tif: 'fok' })).events);
    expect(fok.map((e) => e.execType)).toEqual(['new', 'canceled']);
    expect(fok[1]!.order.text).toMatch(/FOK not filled/);
    const rest = m.submit('B', cmd({ qty: 2, price: 61000 }));
    expect(b.frozen).toBeGreaterThan(0);
    const c = m.cancel('B', { origClOrdId: rest.order!.clOrdId });
    expect(execs(c.events)[0]!.execType).toBe('canceled');
    expect(b.frozen).toBe(0);
    expect(m.cancel('B', { origClOrdId: rest.order!.clOrdId }).reject?.code).toBe('UNKNOWN_ORDER');
  });

  it('closes today first via close-today, realizes PnL, settles and rolls today into yesterday', () => {
    const { m, setNow } = setup();
    m.submit('A', cmd({ side: 'sell', qty: 2, price: 61200 }));
    m.submit('B', cmd({ side: 'buy', qty: 2, price: 61200 }));
    // B closes one today at +10 ticks
    m.submit('A', cmd({ side: 'buy', qty: 1, price: 61220 }));
    const close = execs(
      m.submit('B', cmd({ side: 'sell', qty: 1, price: 61220, offset: 'close-today' })).events,
    );
    expect(close.map((e) => e.execType)).toContain('trade');
    const b = m.accounts.get('B')!;
    expect(b.realized).toBe(20 * 1000); // 0.20 CNY/g × 1000 g
    expect(b.positions[SYM]!.long).toMatchObject({ today: 1, yesterday: 0 });
    const balanceBefore = b.balance;
    setNow(beijingToEpoch(DAY, 21 * 60)); // night session belongs to the next trading day
    m.roll();
    expect(m.tradingDay).toBe('2026-11-26');
    expect(b.positions[SYM]!.long).toMatchObject({ today: 0, yesterday: 1 });
    const settle = m.instruments.get(SYM)!.prevSettlement;
    expect(settle).toBe(61206); // VWAP of 2@612.00 and 1@612.20 = 612.0667, on the tick grid
    expect(b.balance - balanceBefore).toBe((settle - 61200) * 1000);
    // now a plain close works (closes yesterday)
    m.submit('A', cmd({ side: 'buy', qty: 1, price: settle }));
    expect(
      execs(m.submit('B', cmd({ side: 'sell', qty: 1, price: settle, offset: 'close' })).events).map(
        (e) => e.execType,
      ),
    ).toContain('trade');
    expect(b.positions[SYM]!.long).toMatchObject({ today: 0, yesterday: 0 });
  });

  it('restores working orders with their priority from a snapshot', () => {
    const { m } = setup();
    m.submit('A', cmd({ side: 'sell', qty: 1, price: 61210, clOrdId: 'first' }));
    m.submit('B', cmd({ side: 'sell', qty: 1, price: 61210, clOrdId: 'second' }));
    const state = m.snapshot();
    const m2 = new Market(m.cfg, { now: () => beijingToEpoch(DAY, 10 * 60) }, state);
    expect(m2.accounts.get('A')!.frozen).toBe(m.accounts.get('A')!.frozen);
    m2.putAccount(newAccount('C', 'C', 'x'));
    m2.fund('C', 100_000_000);
    const r = execs(m2.submit('C', cmd({ side: 'buy', qty: 1, price: 61210 })).events);
    expect(r.find((e) => e.execType === 'trade' && e.order.account !== 'C')?.order.clOrdId).toBe('first');
  });

  it('supplies seeded liquidity that fills client orders', () => {
    const { m } = setup();
    const lm = new LiquidityModel(m, { seed: 7 });
    for (let i = 0; i < 20; i++) lm.stepAll();
    const book = m.books.get(SYM)!;
    expect(book.depth('buy', 5)).toHaveLength(5);
    expect(book.depth('sell', 5)).toHaveLength(5);
    expect(book.bestBid()!).toBeLessThan(book.bestAsk()!);
    const ask = book.bestAsk()!;
    const r = execs(m.submit('A', cmd({ qty: 1, price: ask })).events);
    expect(r.map((e) => e.execType)).toEqual(['new', 'trade']);
    // same seed, same path
    const other = setup();
    const lm2 = new LiquidityModel(other.m, { seed: 7 });
    for (let i = 0; i < 20; i++) lm2.stepAll();
    expect(other.m.books.get(SYM)!.depth('buy', 5)).toEqual(
      book.depth('buy', 5).length ? other.m.books.get(SYM)!.depth('buy', 5) : [],
    );
    expect(makeSpec().tick).toBe(2);
  });
});
