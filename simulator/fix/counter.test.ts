import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newOrderSingle,
  orderCancelRequest,
  parseExecutionReport,
  parseMdSnapshot,
} from '../../common/fix/messages.ts';
import type { Received, TestClient } from '../../common/fix/testing.ts';
import { connectAs, startTestSimulator } from '../testing.ts';

type Ctx = Awaited<ReturnType<typeof startTestSimulator>>;
let ctx: Ctx;
let alice: TestClient;
let bob: TestClient;
const stops: Array<() => void> = [];
let n = 0;
const id = () => `t${++n}`;
const SYM = 'au2612';
const order = (o: Partial<Parameters<typeof newOrderSingle>[0]> = {}) =>
  newOrderSingle({
    clOrdId: id(),
    symbol: SYM,
    side: 'buy',
    price: 61200,
    qty: 1,
    transactTime: new Date(),
    ...o,
  });
const er = (c: TestClient, clOrdId: string, execType: string, from = 0) =>
  c
    .waitFor(
      (r: Received) => r.msgType === '8' && r.body.ClOrdID === clOrdId && r.body.ExecType === execType,
      10_000,
      from,
    )
    .then((r) => parseExecutionReport(r.body)!);

beforeAll(async () => {
  ctx = await startTestSimulator();
  const a = await connectAs(ctx.fixPort, 'ALICE', '80001', 'alice-pw');
  const b = await connectAs(ctx.fixPort, 'BOB', '80002', 'bob-pw');
  alice = a.client;
  bob = b.client;
  stops.push(a.endpoint.stop, b.endpoint.stop);
});
afterAll(async () => {
  for (const s of stops) s();
  await ctx?.sim.stop();
});

describe('counter over FIX', () => {
  it('answers market data with a snapshot and incremental updates', async () => {
    alice.sendMsg('V', {
      MDReqID: 'md1',
      SubscriptionRequestType: '1',
      MarketDepth: 5,
      MDReqGrp: { NoMDEntryTypes: [{ MDEntryType: '0' }, { MDEntryType: '1' }] },
      InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: { Symbol: SYM } }] },
    });
    const snap = parseMdSnapshot((await alice.waitFor((r) => r.msgType === 'W')).body);
    expect(snap.symbol).toBe(SYM);
    const clOrdId = id();
    bob.sendMsg('D', order({ clOrdId, side: 'sell', price: 61300, qty: 4 }));
    await er(bob, clOrdId, '0');
    const inc = await alice.waitFor((r) => r.msgType === 'X');
    expect(inc.body.MDIncGrp.NoMDEntries[0]).toMatchObject({
      MDEntryType: '1',
      MDEntryPx: 613,
      MDEntrySize: 4,
    });
    bob.sendMsg(
      'F',
      orderCancelRequest({
        clOrdId: id(),
        origClOrdId: clOrdId,
        symbol: SYM,
        side: 'sell',
        transactTime: new Date(),
      }),
    );
    await er(bob, clOrdId, '4');
  });

  it('fills an order partially then fully, reporting both sides', async () => {
    const ask = id();
    bob.sendMsg('D', order({ clOrdId: ask, side: 'sell', price: 61210, qty: 3 }));
    await er(bob, ask, '0');
    const b1 = id();
    alice.sendMsg('D', order({ clOrdId: b1, price: 61210, qty: 2 }));
    const fill1 = await er(alice, b1, 'F');
    expect(fill1).toMatchObject({ lastQty: 2, lastPx: 61210, cumQty: 2, ordStatus: '2' });
    const part = await er(bob, ask, 'F');
    expect(part).toMatchObject({ ordStatus: '1', cumQty: 2, leavesQty: 1 });
    const b2 = id();
    const from = bob.received.length;
    alice.sendMsg('D', order({ clOrdId: b2, price: 61210, qty: 1 }));
    await er(alice, b2, 'F');
    expect(await er(bob, ask, 'F', from)).toMatchObject({
      ordStatus: '2',
      cumQty: 3,
      leavesQty: 0,
      avgPx: 61210,
    });
  });

  it('rejects bad orders with the right reason and a clear Text(58), session stays up', async () => {
    const cases: Array<[Parameters<typeof order>[0], RegExp, number?]> = [
      [{ price: 61201 }, /off the tick grid/],
      [{ symbol: 'au2611' }, /unknown symbol au2611/, 1],
      [{ symbol: 'XAUUSD' }, /malformed symbol/, 1],
      [{ price: 80000 }, /outside today's limits/, 16],
      [{ qty: 5000 }, /quantity 5000/, 13],
      [{ side: 'sell', offset: 'close-today', qty: 50 }, /insufficient position: 50 lots/],
      [{ side: 'sell', offset: 'close' }, /plain close closes yesterday/],
    ];
    for (const [o, text, reason] of cases) {
      const c = id();
      alice.sendMsg('D', order({ ...o, clOrdId: c }));
      const r = await er(alice, c, '8').catch((e) => {
        throw new Error(`${JSON.stringify(o)}: ${e.message} ${JSON.stringify(alice.received.slice(-3))}`);
      });
      expect(r.text).toMatch(text);
      if (reason !== undefined) expect(r.ordRejReason).toBe(reason);
    }
    // market order: not supported on SHFE
    const mkt = id();
    alice.sendMsg('D', { ...order({ clOrdId: mkt }), OrdType: '1' });
    expect((await er(alice, mkt, '8')).text).toMatch(/limit orders only/);
    // insufficient margin
    const poor = await connectAs(ctx.fixPort, 'POOR', '80003', 'poor-pw');
    stops.push(poor.endpoint.stop);
    const p = id();
    poor.client.sendMsg('D', order({ clOrdId: p }));
    expect((await er(poor.client, p, '8')).text).toMatch(
      /insufficient funds: order needs 97930.00 CNY margin\+fee, available 1000.00 CNY/,
    );
    // modify is not supported: cancel, then new
    alice.sendMsg('G', {
      OrigClOrdID: 'x',
      ClOrdID: id(),
      Instrument: { Symbol: SYM },
      Side: '1',
      TransactTime: new Date(),
      OrdType: '2',
      Price: 612,
      OrderQtyData: { OrderQty: 1 },
    });
    const cxl = await alice.waitFor((r) => r.msgType === '9');
    expect(cxl.body).toMatchObject({ CxlRejResponseTo: '2' });
    expect(cxl.body.Text).toMatch(/not supported on SHFE: cancel/);
    // cancel of an unknown order
    alice.sendMsg(
      'F',
      orderCancelRequest({
        clOrdId: id(),
        origClOrdId: 'nope',
        symbol: SYM,
        side: 'buy',
        transactTime: new Date(),
      }),
    );
    expect(
      (await alice.waitFor((r) => r.msgType === '9' && r.body.OrigClOrdID === 'nope')).body.Text,
    ).toMatch(/unknown order nope/);
    // unknown symbol in market data
    alice.sendMsg('V', {
      MDReqID: 'bad',
      SubscriptionRequestType: '0',
      MarketDepth: 5,
      InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: { Symbol: 'au9999' } }] },
    });
    expect((await alice.waitFor((r) => r.msgType === 'Y')).body.Text).toMatch(/unknown symbol au9999/);
    expect(alice.stopped).toBe(false);
  });

  it('rejects orders outside the trading session', async () => {
    const admin = `http://127.0.0.1:${ctx.sim.adminPort}`;
    await fetch(`${admin}/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '2026-11-25T04:00:00Z' }),
    }); // 12:00 Beijing
    const c = id();
    alice.sendMsg('D', order({ clOrdId: c }));
    const r = await er(alice, c, '8');
    expect(r.text).toMatch(/market closed \(break\)/);
    expect(r.ordRejReason).toBe(2);
    await fetch(`${admin}/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '2026-11-25T02:00:00Z' }),
    });
  });

  it('reports order status, positions and funds, and mass-cancels', async () => {
    const c = id();
    alice.sendMsg('D', order({ clOrdId: c, price: 61000, qty: 1 }));
    await er(alice, c, '0');
    alice.sendMsg('H', { ClOrdID: c, Side: '1', Instrument: { Symbol: SYM } });
    expect(await er(alice, c, 'I')).toMatchObject({ ordStatus: '0', leavesQty: 1 });
    alice.sendMsg('AN', {
      PosReqID: 'p1',
      PosReqType: 0,
      Account: '80001',
      AccountType: 1,
      ClearingBusinessDate: new Date(),
      TransactTime: new Date(),
    });
    const pos = await alice.waitFor((r) => r.msgType === 'AP');
    expect(pos.body.PositionQty.NoPositions).toContainEqual(
      expect.objectContaining({ PosType: 'ITD', LongQty: 3 }),
    );
    alice.sendMsg('BB', { CollInquiryID: 'c1' });
    const coll = await alice.waitFor((r) => r.msgType === 'BA');
    expect(coll.body.Text).toMatch(/balance=\d+\.\d\d equity=.* available=.* margin=.* frozen=/);
    alice.sendMsg('x', { SecurityReqID: 's1', SecurityListRequestType: 4 });
    const sl = await alice.waitFor((r) => r.msgType === 'y');
    expect(sl.body.SecListGrp.NoRelatedSym[0].Instrument.Symbol).toBe(SYM);
    alice.sendMsg('q', { ClOrdID: id(), MassCancelRequestType: '7', TransactTime: new Date() });
    const rep = await alice.waitFor((r) => r.msgType === 'r');
    expect(rep.body.TotalAffectedOrders).toBeGreaterThanOrEqual(1);
    await er(alice, c, '4');
  });
});
