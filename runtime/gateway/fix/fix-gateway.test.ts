import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../common/fix/testing.ts';
import { createLogger } from '../../../common/log.ts';
import type { Order } from '../../domain/types.ts';
import type { GatewayEvent } from '../gateway.ts';
import { FixGateway, plainTransportError } from './fix-gateway.ts';
import { startStubCounter } from './stub-counter.ts';

const stops: Array<() => unknown> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

const until = async (cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

const order = (clOrdId: string): Order => ({
  clOrdId,
  instrument: 'au2606',
  side: 'buy',
  offset: 'open',
  price: 61200,
  quantity: 2,
  filledQuantity: 0,
  filledNotional: 0,
  status: 'pendingNew',
  timeInForce: 'day',
  origin: 't',
  createdAt: 0,
  updatedAt: 0,
});

function gateway(ports: number[], password = 'pw') {
  const gw = new FixGateway({
    endpoints: ports.map((port) => ({ host: '127.0.0.1', port })),
    senderCompId: 'ALICE',
    targetCompId: 'COUNTER',
    accountId: '8001',
    password,
    initialBackoffMs: 100,
    maxBackoffMs: 400,
    connectTimeoutSeconds: 1,
    requestTimeoutMs: 3000,
    logger: createLogger('gw', { level: 'silent' }),
  });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  stops.push(() => gw.stop());
  return { gw, events };
}

describe('FixGateway against a FIX acceptor', () => {
  it('fails over to the second endpoint, logs on, subscribes, trades and answers reconciliation queries', async () => {
    const [dead, live] = [await freePort(), await freePort()];
    const counter = startStubCounter(live);
    stops.push(counter.stop);
    counter.st.positions = [{ symbol: 'au2606', sod: [2, 0], itd: [1, 0] }];
    const { gw, events } = gateway([dead, live]);
    gw.subscribe(['au2606']);
    gw.start();
    await until(() => gw.status().state === 'loggedOn');
    expect(gw.status().endpoint).toBe(`127.0.0.1:${live}`);
    const states = events
      .filter((e) => e.type === 'connection')
      .map((e) => (e.type === 'connection' ? `${e.status.state}@${e.status.endpoint?.split(':')[1]}` : ''));
    expect(states).toContain(`disconnected@${dead}`);
    await until(() => events.some((e) => e.type === 'tick'));
    expect(events.find((e) => e.type === 'tick')).toMatchObject({
      tick: { instrument: 'au2606', lastPrice: 61200, upperLimit: 68400 },
    });

    gw.sendOrder(order('X-1'));
    await until(() => events.some((e) => e.type === 'execution' && e.report.execType === 'new'));
    counter.fill('X-1', 1);
    await until(() => events.some((e) => e.type === 'execution' && e.report.execType === 'trade'));
    expect(events.find((e) => e.type === 'execution' && e.report.execType === 'trade')).toMatchObject({
      report: { lastQty: 1, lastPx: 61200, cumQty: 1, status: 'partiallyFilled' },
    });

    const st = await gw.requestOrderStatus([order('X-1'), order('NEVER-SENT')]);
    expect(st.map((r) => [r.clOrdId, r.status, r.cumQty, r.text])).toEqual([
      ['X-1', 'partiallyFilled', 1, undefined],
      ['NEVER-SENT', 'rejected', 0, 'unknown order'],
    ]);
    expect(await gw.requestPositions()).toEqual([
      { instrument: 'au2606', longToday: 2, longYesterday: 2, shortToday: 0, shortYesterday: 0 },
    ]);
    expect(await gw.requestFunds()).toMatchObject({ balance: 100_000_000, available: 90_000_000 });
    gw.cancelOrder('X-2', { ...order('X-1'), orderId: 'O1' });
    await until(() => events.some((e) => e.type === 'execution' && e.report.execType === 'cancelled'));
  });

  it('reconnects with backoff after the counter goes away and comes back', async () => {
    const port = await freePort();
    let counter = startStubCounter(port);
    const { gw, events } = gateway([port]);
    gw.start();
    await until(() => gw.status().state === 'loggedOn');
    counter.stop();
    await until(() => gw.status().state !== 'loggedOn');
    expect(() => gw.sendOrder(order('Y-1'))).toThrow('counter not connected');
    await new Promise((r) => setTimeout(r, 500));
    counter = startStubCounter(port);
    stops.push(counter.stop);
    await until(() => gw.status().state === 'loggedOn');
    const n = events.filter((e) => e.type === 'connection' && e.status.state === 'loggedOn').length;
    expect(n).toBe(2);
    const reasons = events.flatMap((e) =>
      e.type === 'connection' && e.status.state === 'disconnected' ? [e.status.lastError ?? ''] : [],
    );
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r).not.toMatch(/unexpected state|transport failed\?/);
  });

  it("puts the FIX engine's word for a dropped connection in plain words, and passes others through", () => {
    expect(plainTransportError('unexpected state - transport failed? = DetectBrokenNetworkConnection')).toBe(
      'the connection was closed by the counter or the network while the session was open',
    );
    expect(plainTransportError('connect ECONNREFUSED 127.0.0.1:1')).toBe('connect ECONNREFUSED 127.0.0.1:1');
  });

  it('a wrong password never logs on and says why', async () => {
    const port = await freePort();
    const counter = startStubCounter(port, 'secret');
    stops.push(counter.stop);
    const { gw } = gateway([port], 'wrong');
    gw.start();
    await until(() => gw.status().state === 'disconnected' && !!gw.status().lastError);
    expect(gw.status().state).not.toBe('loggedOn');
  });
});
