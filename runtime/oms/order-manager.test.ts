import { describe, expect, it, vi } from 'vitest';
import { RuntimeConfigSchema } from '../../common/runtime-config.ts';
import { makeCalendar } from '../../common/shfe/index.ts';
import type { ExecutionReport, Order, Tick } from '../domain/types.ts';
import { FakeGateway } from '../gateway/fake-gateway.ts';
import { openJournal } from '../journal/journal.ts';
import { RiskEngine } from '../risk/risk-engine.ts';
import { type OmsEvent, OrderManager } from './order-manager.ts';
import { PositionBook } from './positions.ts';

const T = Date.UTC(2026, 2, 2, 2, 0, 0);

function setup(journal = openJournal(':memory:')) {
  const gw = new FakeGateway();
  const tick: Tick = {
    instrument: 'au2606',
    time: T,
    lastPrice: 61200,
    volume: 0,
    upperLimit: 69000,
    lowerLimit: 53000,
  };
  const events: OmsEvent[] = [];
  let n = 0;
  const risk = new RiskEngine(RuntimeConfigSchema.shape.risk.parse({ maxOrdersPerSecond: 100 }), {
    instruments: ['au2606'],
    calendar: makeCalendar(),
  });
  const oms = new OrderManager({
    journal,
    gateway: gw,
    risk,
    book: new PositionBook(),
    lastTick: () => tick,
    now: () => T + n * 10,
    onEvent: (e) => events.push(e),
    newId: () => `a${++n}`,
  });
  gw.onEvent((e) => {
    if (e.type === 'execution') oms.onExecution(e.report);
    if (e.type === 'cancelReject') oms.onCancelReject(e.reject);
  });
  gw.start();
  oms.recover();
  return { gw, oms, events, journal };
}

const exec = (o: Order, over: Partial<ExecutionReport>): ExecutionReport => ({
  execType: 'new',
  clOrdId: o.clOrdId,
  orderId: `V${o.clOrdId}`,
  execId: `E${Math.random()}`,
  status: 'new',
  instrument: o.instrument,
  side: o.side,
  quantity: o.quantity,
  cumQty: 0,
  leavesQty: o.quantity,
  time: T,
  ...over,
});

const buy = {
  instrument: 'au2606',
  side: 'buy' as const,
  offset: 'open' as const,
  price: 61200,
  quantity: 3,
  origin: 'test',
};

describe('OrderManager', () => {
  it('journals before sending, then applies ack, partial fill, fill; a replayed fill changes nothing', async () => {
    const { gw, oms, journal } = setup();
    const r = await oms.refreshFunds();
    expect(r.available).toBe(100_000_000);
    const res = oms.submit(buy);
    expect(res.ok).toBe(true);
    const o = gw.sent[0]!;
    expect(journal.getOrder(o.clOrdId)?.status).toBe('pendingNew');
    gw.emit({ type: 'execution', report: exec(o, {}) });
    expect(oms.get(o.clOrdId)?.status).toBe('new');
    const fill1 = exec(o, {
      execType: 'trade',
      execId: 'X1',
      status: 'partiallyFilled',
      lastQty: 1,
      lastPx: 61200,
      cumQty: 1,
    });
    gw.emit({ type: 'execution', report: fill1 });
    gw.emit({ type: 'execution', report: fill1 });
    expect(oms.get(o.clOrdId)).toMatchObject({ status: 'partiallyFilled', filledQuantity: 1 });
    gw.emit({
      type: 'execution',
      report: exec(o, {
        execType: 'trade',
        execId: 'X2',
        status: 'filled',
        lastQty: 2,
        lastPx: 61198,
        cumQty: 3,
      }),
    });
    expect(oms.get(o.clOrdId)).toMatchObject({ status: 'filled', filledQuantity: 3 });
    expect(journal.fills()).toHaveLength(2);
    expect(journal.get<unknown[]>('positions')).toHaveLength(1);
  });

  it('splits a close into close-today first, then close-yesterday', async () => {
    const { gw, oms } = setup();
    await oms.refreshFunds();
    oms.submit({ ...buy, quantity: 2 });
    const o = gw.sent[0]!;
    gw.emit({
      type: 'execution',
      report: exec(o, {
        execType: 'trade',
        execId: 'F1',
        status: 'filled',
        lastQty: 2,
        lastPx: 61200,
        cumQty: 2,
      }),
    });
    oms.setTradingDay('2026-03-02');
    oms.setTradingDay('2026-03-03'); // the 2 lots are now yesterday's
    oms.submit({ ...buy, price: 61202, quantity: 1 });
    const o2 = gw.sent[1]!;
    gw.emit({
      type: 'execution',
      report: exec(o2, {
        execType: 'trade',
        execId: 'F2',
        status: 'filled',
        lastQty: 1,
        lastPx: 61202,
        cumQty: 1,
      }),
    });
    const res = oms.submit({ ...buy, side: 'sell', offset: 'close', quantity: 3, price: 61190 });
    expect(res.ok).toBe(true);
    expect(gw.sent.slice(2).map((s) => [s.offset, s.quantity])).toEqual([
      ['close-today', 1],
      ['close-yesterday', 2],
    ]);
  });

  it('a cancel goes through pending-cancel; a cancel reject returns the order to working', async () => {
    const { gw, oms } = setup();
    await oms.refreshFunds();
    oms.submit(buy);
    const o = gw.sent[0]!;
    gw.emit({ type: 'execution', report: exec(o, {}) });
    expect(oms.cancel(o.clOrdId).ok).toBe(true);
    expect(oms.get(o.clOrdId)?.status).toBe('pendingCancel');
    const c = gw.cancels[0]!;
    gw.emit({
      type: 'cancelReject',
      reject: { clOrdId: c.cancelClOrdId, origClOrdId: o.clOrdId, text: 'too late' },
    });
    expect(oms.get(o.clOrdId)?.status).toBe('new');
    oms.cancel(o.clOrdId);
    const c2 = gw.cancels[1]!;
    gw.emit({
      type: 'execution',
      report: exec(o, {
        execType: 'cancelled',
        clOrdId: c2.cancelClOrdId,
        origClOrdId: o.clOrdId,
        status: 'cancelled',
      }),
    });
    expect(oms.get(o.clOrdId)?.status).toBe('cancelled');
    expect(oms.cancel(o.clOrdId)).toMatchObject({ ok: false, code: 'ORDER_NOT_WORKING' });
  });

  it('an order the counter acknowledged and the exchange then refused ends rejected, with the reason, journaled', async () => {
    const { gw, oms, events, journal } = setup();
    await oms.refreshFunds();
    oms.submit(buy);
    const o = gw.sent[0]!;
    gw.emit({ type: 'execution', report: exec(o, {}) });
    expect(oms.get(o.clOrdId)?.status).toBe('new');
    gw.emit({
      type: 'execution',
      report: exec(o, { execType: 'rejected', status: 'rejected', text: 'exchange: price outside limits' }),
    });
    expect(oms.get(o.clOrdId)).toMatchObject({ status: 'rejected', text: 'exchange: price outside limits' });
    expect(journal.getOrder(o.clOrdId)?.status).toBe('rejected');
    const alerts = events.flatMap((e) => (e.type === 'alert' ? [e.alert.code] : []));
    expect(alerts).not.toContain('ILLEGAL_TRANSITION');
    expect(oms.cancel(o.clOrdId)).toMatchObject({ ok: false, code: 'ORDER_NOT_WORKING' });
  });

  it('bulk cancel per contract and all', async () => {
    const { gw, oms } = setup();
    await oms.refreshFunds();
    oms.submit({ ...buy, quantity: 1 });
    oms.submit({ ...buy, quantity: 1, price: 61198 });
    for (const o of gw.sent) gw.emit({ type: 'execution', report: exec(o, {}) });
    expect(oms.cancelAll('au2608')).toBe(0);
    expect(oms.cancelAll('au2606')).toBe(2);
    expect(oms.cancelAll()).toBe(0); // both already pending cancel
  });

  it('refuses when the counter is disconnected, and says so', async () => {
    const { gw, oms } = setup();
    await oms.refreshFunds();
    gw.setState('disconnected');
    expect(oms.submit(buy)).toMatchObject({ ok: false, code: 'NOT_CONNECTED' });
    expect(gw.sent).toHaveLength(0);
  });

  it('a refused order leaves no position behind for its contract, not even in the journaled book', async () => {
    const { oms, journal } = setup();
    await oms.refreshFunds();
    expect(oms.submit({ ...buy, instrument: 'au2001' })).toMatchObject({
      ok: false,
      code: 'INVALID_INSTRUMENT',
    });
    expect(oms.submit({ ...buy, instrument: 'au2001', side: 'sell', offset: 'close' })).toMatchObject({
      ok: false,
    });
    expect(oms.submit({ ...buy, side: 'sell', offset: 'close' })).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_POSITION',
    });
    expect(oms.dailyPnl()).toBe(0);
    expect(oms.riskContext('au2001').position).toMatchObject({ longToday: 0, shortYesterday: 0 });
    expect(journal.get('positions') ?? []).toEqual([]);
    oms.setTradingDay('2026-03-03');
    expect(journal.get('positions')).toEqual([]);
  });

  it('restart recovery: an order journaled but unknown to the counter is closed, not resent; missed fills are booked', async () => {
    const journal = openJournal(':memory:');
    const a = setup(journal);
    await a.oms.refreshFunds();
    a.oms.submit({ ...buy, quantity: 1 });
    a.oms.submit({ ...buy, quantity: 2, price: 61198 });
    const [o1, o2] = a.gw.sent as [Order, Order];
    // "restart": a new manager over the same journal; the counter knows only o2, filled while we were down.
    const b = setup(journal);
    b.gw.counterOrders.set(
      o2.clOrdId,
      exec(o2, { execType: 'status', status: 'filled', cumQty: 2, leavesQty: 0, avgPx: 61198 }),
    );
    b.gw.positions = [
      { instrument: 'au2606', longToday: 2, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
    ];
    const mismatches = await b.oms.reconcile();
    expect(mismatches).toBe(2);
    expect(b.oms.get(o1.clOrdId)?.status).toBe('rejected');
    expect(b.oms.get(o2.clOrdId)).toMatchObject({ status: 'filled', filledQuantity: 2 });
    expect(b.gw.sent).toHaveLength(0);
    expect(b.events.some((e) => e.type === 'alert' && e.alert.code === 'RECONCILE_NOT_SENT')).toBe(true);
    // Positions agree with the counter after booking the missed fill: no position mismatch.
    expect(b.events.some((e) => e.type === 'alert' && e.alert.code === 'RECONCILE_POSITION')).toBe(false);
  });

  it('a fill booked by the reconciliation is not booked again when its execution report is replayed', async () => {
    const { gw, oms } = setup();
    await oms.refreshFunds();
    oms.submit({ ...buy, quantity: 2 });
    const o = gw.sent[0]!;
    gw.emit({ type: 'execution', report: exec(o, {}) });
    gw.counterOrders.set(
      o.clOrdId,
      exec(o, { execType: 'status', status: 'filled', cumQty: 2, leavesQty: 0, avgPx: 61200 }),
    );
    gw.positions = [
      { instrument: 'au2606', longToday: 2, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
    ];
    await oms.reconcile();
    expect(oms.get(o.clOrdId)).toMatchObject({ status: 'filled', filledQuantity: 2 });
    // The counter resends the two fills it reported while we were away, under their own ExecIDs.
    for (const cumQty of [1, 2])
      gw.emit({
        type: 'execution',
        report: exec(o, {
          execType: 'trade',
          status: cumQty === 2 ? 'filled' : 'partiallyFilled',
          execId: `T${cumQty}`,
          lastQty: 1,
          lastPx: 61200,
          cumQty,
          leavesQty: 2 - cumQty,
        }),
      });
    expect(oms.get(o.clOrdId)).toMatchObject({ status: 'filled', filledQuantity: 2 });
    expect(oms.fills().map((f) => f.quantity)).toEqual([2]);
  });

  it('reports a position mismatch and adopts the counter numbers', async () => {
    const { gw, oms, events } = setup();
    gw.positions = [
      { instrument: 'au2606', longToday: 0, longYesterday: 3, shortToday: 0, shortYesterday: 0 },
    ];
    expect(await oms.reconcile()).toBe(1);
    expect(events.find((e) => e.type === 'alert')).toMatchObject({ alert: { code: 'RECONCILE_POSITION' } });
  });
  it('commits extra writes (the strategy state an order came from) with the decision, accepted or refused', async () => {
    const { oms, journal } = setup();
    await oms.refreshFunds();
    oms.submit(buy, () => journal.set('strategy:s:state', { n: 1 }));
    expect(journal.get('strategy:s:state')).toEqual({ n: 1 });
    const r = oms.submit({ ...buy, price: 61201 }, () => journal.set('strategy:s:state', { n: 2 }));
    expect(r).toMatchObject({ ok: false, code: 'PRICE_OFF_TICK' });
    expect(journal.get('strategy:s:state')).toEqual({ n: 2 });
  });

  it('an order costs one commit before the hand-over: strategy state, order and risk counters together', async () => {
    const { gw, oms, journal } = setup();
    await oms.refreshFunds();
    const tx = vi.spyOn(journal, 'tx');
    const atSend: Array<{ commits: number; durable: unknown }> = [];
    const send = gw.sendOrder.bind(gw);
    gw.sendOrder = (o) => {
      atSend.push({
        commits: tx.mock.calls.length,
        durable: {
          order: journal.getOrder(o.clOrdId)?.status,
          state: journal.get('strategy:s:state'),
          ordersToday: journal.get<{ ordersToday: number }>('risk:counters')?.ordersToday,
        },
      });
      send(o);
    };
    oms.submit(buy, () => journal.set('strategy:s:state', { n: 1 }));
    expect(atSend).toEqual([
      { commits: 1, durable: { order: 'pendingNew', state: { n: 1 }, ordersToday: 1 } },
    ]);
    expect(tx).toHaveBeenCalledTimes(1); // nothing more after the hand-over either
  });

  it("a reversal's orders cost one commit: each is checked against the ones before it, all durable before the first is sent", async () => {
    const { gw, oms, journal } = setup();
    await oms.refreshFunds();
    const tx = vi.spyOn(journal, 'tx');
    const atSend: Array<{ commits: number; durable: Array<string | undefined>; ordersToday?: number }> = [];
    const send = gw.sendOrder.bind(gw);
    gw.sendOrder = (o) => {
      atSend.push({
        commits: tx.mock.calls.length,
        durable: journal.orders().map((x) => x.status),
        ordersToday: journal.get<{ ordersToday: number }>('risk:counters')?.ordersToday,
      });
      send(o);
    };
    const results = oms.submitAll([
      { intent: buy, alsoJournal: () => journal.set('strategy:s:state', { n: 1 }) },
      // Would trade with the buy just accepted: refused, which it can only be if it sees that order working.
      {
        intent: { ...buy, side: 'sell', price: 61180 },
        alsoJournal: () => journal.set('strategy:s:state', { n: 2 }),
      },
      { intent: { ...buy, price: 61180, quantity: 1 } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'SELF_TRADE', 'ok']);
    expect(tx).toHaveBeenCalledTimes(1);
    expect(atSend).toEqual([
      { commits: 1, durable: ['pendingNew', 'pendingNew'], ordersToday: 2 },
      { commits: 1, durable: ['pendingNew', 'pendingNew'], ordersToday: 2 },
    ]);
    expect(gw.sent.map((o) => [o.side, o.price, o.quantity])).toEqual([
      ['buy', 61200, 3],
      ['buy', 61180, 1],
    ]);
    expect(journal.get('strategy:s:state')).toEqual({ n: 2 });
    expect(journal.events().map((e) => e.kind)).toEqual([
      'riskAccepted',
      'orderNew',
      'riskRejected',
      'riskAccepted',
      'orderNew',
    ]);
  });

  it('when the commit of several orders fails, none is sent and none is left working', async () => {
    const { gw, oms, journal } = setup();
    await oms.refreshFunds();
    expect(() =>
      oms.submitAll([
        { intent: buy },
        {
          intent: { ...buy, price: 61180 },
          alsoJournal: () => {
            throw new Error('disk full');
          },
        },
      ]),
    ).toThrow('disk full');
    expect(gw.sent).toEqual([]);
    expect(oms.workingOrders()).toEqual([]);
    expect(oms.orders()).toEqual([]);
    expect(journal.orders()).toEqual([]);
    // Nothing half-done stays behind: the next order goes through as usual.
    expect(oms.submit(buy).ok).toBe(true);
    expect(gw.sent).toHaveLength(1);
    expect(oms.workingOrders()).toHaveLength(1);
  });

  it('a cancel costs one commit, writes only its own cancel entry, and counts it before it is sent', async () => {
    const { gw, oms, journal } = setup();
    await oms.refreshFunds();
    oms.submit({ ...buy, quantity: 1 });
    oms.submit({ ...buy, quantity: 1, price: 61198 });
    const [a, b] = gw.sent as [Order, Order];
    const tx = vi.spyOn(journal, 'tx');
    const set = vi.spyOn(journal, 'set');
    const saveCancel = vi.spyOn(journal, 'saveCancel');
    const cancelsAtSend: unknown[] = [];
    const cancelOrder = gw.cancelOrder.bind(gw);
    gw.cancelOrder = (id, o) => {
      cancelsAtSend.push(
        journal.get<{ cancelsToday: Record<string, number> }>('risk:counters')?.cancelsToday,
      );
      cancelOrder(id, o);
    };
    expect(oms.cancel(a.clOrdId).ok).toBe(true);
    expect(oms.cancel(b.clOrdId).ok).toBe(true);
    expect(tx).toHaveBeenCalledTimes(2);
    expect(cancelsAtSend).toEqual([{ au2606: 1 }, { au2606: 2 }]);
    expect(saveCancel.mock.calls).toEqual(gw.cancels.map((c) => [c.cancelClOrdId, c.order.clOrdId]));
    expect(set.mock.calls.map(([k]) => k)).toEqual(['risk:counters', 'risk:counters']); // no whole cancel map
    expect(journal.getOrder(a.clOrdId)?.status).toBe('pendingCancel');
    // A restarted manager still maps the counter's answer (sent with the cancel's own id) to the order.
    const restarted = setup(journal);
    restarted.oms.onExecution(
      exec(a, {
        execType: 'cancelled',
        clOrdId: gw.cancels[0]!.cancelClOrdId,
        status: 'cancelled',
      }),
    );
    expect(restarted.oms.get(a.clOrdId)?.status).toBe('cancelled');
  });
});
