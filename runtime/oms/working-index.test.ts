import { describe, expect, it } from 'vitest';
import { RuntimeConfigSchema } from '../../common/runtime-config.ts';
import { makeCalendar } from '../../common/shfe/index.ts';
import type { ExecutionReport, Order, Tick } from '../domain/types.ts';
import { FakeGateway } from '../gateway/fake-gateway.ts';
import { type Journal, openJournal } from '../journal/journal.ts';
import { RiskEngine } from '../risk/risk-engine.ts';
import { OrderManager } from './order-manager.ts';
import { PositionBook } from './positions.ts';
import { isWorking } from './state-machine.ts';
import { WorkingIndex } from './working-index.ts';

const T = Date.UTC(2026, 2, 2, 2, 0, 0);
const INSTRUMENTS = ['au2606', 'au2608'];

/** A manager over `journal` with a fake counter; the clock moves one second per call so no rate limit bites. */
function manager(journal: Journal) {
  const gw = new FakeGateway();
  gw.funds = { ...gw.funds, balance: 1e12, available: 1e12 };
  let t = T;
  const now = () => (t += 1000);
  const tick = (instrument: string): Tick => ({
    instrument,
    time: t,
    lastPrice: 61200,
    volume: 0,
    upperLimit: 69000,
    lowerLimit: 53000,
  });
  const risk = new RiskEngine(
    RuntimeConfigSchema.shape.risk.parse({
      maxPositionLots: 10_000,
      maxCancelsPerDay: 499,
      tradingHours: 'always',
    }),
    { instruments: INSTRUMENTS, calendar: makeCalendar() },
  );
  let n = 0;
  const oms = new OrderManager({
    journal,
    gateway: gw,
    risk,
    book: new PositionBook(),
    lastTick: tick,
    now,
    onEvent: () => {},
    newId: () => `a${++n}`,
  });
  gw.onEvent((e) => {
    if (e.type === 'execution') oms.onExecution(e.report);
    if (e.type === 'cancelReject') oms.onCancelReject(e.reject);
  });
  gw.start();
  oms.recover();
  return { gw, oms };
}

/** The index must always say what a scan of every order says. */
function expectConsistent(oms: OrderManager): void {
  const scan = (i?: string) =>
    oms
      .orders()
      .filter((o) => isWorking(o.status) && (!i || o.instrument === i))
      .map((o) => `${o.clOrdId}:${o.status}:${o.quantity - o.filledQuantity}`);
  const indexed = (i?: string) =>
    oms.workingOrderList(i).map((o) => `${o.clOrdId}:${o.status}:${o.quantity - o.filledQuantity}`);
  expect(indexed()).toEqual(scan());
  for (const i of INSTRUMENTS) expect(indexed(i)).toEqual(scan(i));
  expect(oms.workingOrders().map((w) => w.leaves)).toEqual(scan().map((s) => Number(s.split(':')[2])));
}

/** Small deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const report = (o: Order, over: Partial<ExecutionReport>): ExecutionReport => ({
  execType: 'new',
  clOrdId: o.clOrdId,
  orderId: `V${o.clOrdId}`,
  execId: `E-${o.clOrdId}-${o.filledQuantity}-${over.execType ?? 'new'}`,
  status: 'new',
  instrument: o.instrument,
  side: o.side,
  quantity: o.quantity,
  cumQty: o.filledQuantity,
  leavesQty: o.quantity - o.filledQuantity,
  time: T,
  ...over,
});

describe('WorkingIndex', () => {
  it('adds working orders, keeps them in creation order through transitions, drops terminal ones', () => {
    const idx = new WorkingIndex();
    const o = (id: string, instrument: string, status: Order['status']) =>
      ({ clOrdId: id, instrument, status }) as Order;
    const a = o('A', 'au2606', 'pendingNew');
    const b = o('B', 'au2608', 'new');
    const c = o('C', 'au2606', 'new');
    for (const x of [a, b, c]) idx.track(x);
    a.status = 'pendingCancel';
    idx.track(a);
    expect(idx.list().map((x) => x.clOrdId)).toEqual(['A', 'B', 'C']);
    expect(idx.list('au2606').map((x) => x.clOrdId)).toEqual(['A', 'C']);
    a.status = 'cancelled';
    idx.track(a);
    b.status = 'filled';
    idx.track(b);
    idx.track(b); // a repeated terminal update is harmless
    expect(idx.list().map((x) => x.clOrdId)).toEqual(['C']);
    expect(idx.list('au2608')).toEqual([]);
    expect(idx.size).toBe(1);
    expect(idx.has('C') && !idx.has('A')).toBe(true);
  });

  it('stays consistent with the order list through fills, cancels, rejects and restart recovery', async () => {
    const journal = openJournal(':memory:');
    let { gw, oms } = manager(journal);
    await oms.refreshFunds();
    const rand = rng(20260302);
    const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
    const seen = {
      ...{ submit: 0, ack: 0, partial: 0, fill: 0, cancel: 0 },
      ...{ cancelled: 0, cancelReject: 0, reject: 0, restart: 0 },
    };
    const pendingCancels: Array<{ cancelClOrdId: string; order: Order }> = [];
    for (let step = 0; step < 400; step++) {
      const working = oms.workingOrderList();
      const r = rand();
      const o = pick(working);
      if (r < 0.25 || !o) {
        // Buys below and sells above the last price, so they never cross each other (no self-trade refusal).
        const side = rand() < 0.5 ? 'buy' : 'sell';
        const price =
          side === 'buy' ? 61190 - 2 * Math.floor(rand() * 5) : 61210 + 2 * Math.floor(rand() * 5);
        const res = oms.submit({
          instrument: pick(INSTRUMENTS)!,
          side,
          offset: 'open',
          price,
          quantity: 1 + Math.floor(rand() * 4),
          origin: 'walk',
        });
        expect(res.ok).toBe(true);
        seen.submit++;
      } else if (r < 0.35) {
        gw.emit({ type: 'execution', report: report(o, {}) });
        seen.ack++;
      } else if (r < 0.5) {
        const left = o.quantity - o.filledQuantity;
        const qty = left > 1 && rand() < 0.5 ? 1 : left;
        gw.emit({
          type: 'execution',
          report: report(o, {
            execType: 'trade',
            status: qty === left ? 'filled' : 'partiallyFilled',
            lastQty: qty,
            lastPx: o.price,
            cumQty: o.filledQuantity + qty,
          }),
        });
        if (qty === left) seen.fill++;
        else seen.partial++;
      } else if (r < 0.65) {
        if (oms.cancel(o.clOrdId).ok) {
          pendingCancels.push(gw.cancels.at(-1)!);
          seen.cancel++;
        }
      } else if (r < 0.8 && pendingCancels.length > 0) {
        const c = pendingCancels.splice(Math.floor(rand() * pendingCancels.length), 1)[0]!;
        const cur = oms.get(c.order.clOrdId)!;
        if (rand() < 0.7) {
          gw.emit({
            type: 'execution',
            report: report(cur, {
              execType: 'cancelled',
              clOrdId: c.cancelClOrdId,
              origClOrdId: cur.clOrdId,
              status: 'cancelled',
            }),
          });
          seen.cancelled++;
        } else {
          gw.emit({
            type: 'cancelReject',
            reject: { clOrdId: c.cancelClOrdId, origClOrdId: cur.clOrdId, text: 'too late' },
          });
          seen.cancelReject++;
        }
      } else if (r < 0.9) {
        if (o.status === 'pendingNew') {
          gw.emit({ type: 'execution', report: report(o, { execType: 'rejected', status: 'rejected' }) });
          seen.reject++;
        }
      } else if (r < 0.93) {
        // Restart: a new manager recovers from the journal alone; the old in-memory one is dropped.
        const before = oms.workingOrderList().map((x) => x.clOrdId);
        ({ gw, oms } = manager(journal));
        await oms.refreshFunds();
        expect(oms.workingOrderList().map((x) => x.clOrdId)).toEqual(before);
        // Cancels sent before the restart are still recognised through the journaled cancel ids.
        seen.restart++;
      }
      expectConsistent(oms);
    }
    for (const [k, v] of Object.entries(seen)) expect(v, k).toBeGreaterThan(2);

    // Last restart: the counter never saw the orders still pending-new (closed as not sent) and has
    // cancelled the others (closed from its status): reconciliation leaves nothing working.
    ({ gw, oms } = manager(journal));
    expect(oms.workingOrderList().length).toBeGreaterThan(0);
    for (const o of oms.workingOrderList())
      if (o.status !== 'pendingNew')
        gw.counterOrders.set(o.clOrdId, report(o, { execType: 'status', status: 'cancelled', leavesQty: 0 }));
    await oms.reconcile();
    expectConsistent(oms);
    expect(oms.workingOrderList()).toEqual([]);
    expect(oms.cancelAll()).toBe(0);
  });

  it('cancelAll walks only working orders of the contract (and origin) asked for', async () => {
    const { gw, oms } = manager(openJournal(':memory:'));
    await oms.refreshFunds();
    const open = { side: 'buy' as const, offset: 'open' as const, price: 61190, quantity: 1 };
    oms.submit({ ...open, instrument: 'au2606', origin: 's1' });
    oms.submit({ ...open, instrument: 'au2606', origin: 's2' });
    oms.submit({ ...open, instrument: 'au2608', origin: 's1' });
    const [first] = gw.sent as [Order];
    gw.emit({
      type: 'execution',
      report: report(first, { execType: 'trade', status: 'filled', lastQty: 1, lastPx: 61190, cumQty: 1 }),
    });
    expect(oms.cancelAll('au2606', 's1')).toBe(0); // its only au2606 order is filled
    expect(oms.cancelAll('au2606')).toBe(1);
    expect(oms.cancelAll(undefined, 's1')).toBe(1);
    expect(gw.cancels.map((c) => [c.order.instrument, c.order.origin])).toEqual([
      ['au2606', 's2'],
      ['au2608', 's1'],
    ]);
    expectConsistent(oms);
  });
});
