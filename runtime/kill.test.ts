/**
 * The kill test: the runtime (a child process) trades against a FIX counter and is SIGKILLed at random
 * moments, again and again; after a final restart and reconciliation, the journal must agree with the
 * counter: no order the counter saw is missing from the journal (none lost), no order reached the counter
 * twice (none duplicated), and every order's status and filled quantity match.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OrdStatus } from '../common/fix/fields.ts';
import { freePort } from '../common/fix/testing.ts';
import { startStubCounter } from './gateway/fix/stub-counter.ts';
import { openJournal } from './journal/journal.ts';
import { liveContract, spawnRuntime, waitReady, writeRuntimeConfig } from './testing/runtime-process.ts';

const CHURN = resolve(import.meta.dirname, 'testing/churn-strategy.js');
const dir = mkdtempSync(join(tmpdir(), 'aurum-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STATUS: Record<string, string> = {
  [OrdStatus.new]: 'new',
  [OrdStatus.partiallyFilled]: 'partiallyFilled',
  [OrdStatus.filled]: 'filled',
  [OrdStatus.canceled]: 'cancelled',
};

describe('kill test', () => {
  it('SIGKILL at random points loses no order and sends none twice', async () => {
    const instrument = liveContract();
    const counterPort = await freePort();
    const apiPort = await freePort();
    const counter = startStubCounter(counterPort, 'pw');
    counter.tickEvery(40, instrument);
    const config = writeRuntimeConfig(dir, {
      platform: { name: 'kill', namespace: 'test', investor: 'kill' },
      counter: {
        protocol: 'fix44',
        endpoints: [{ host: '127.0.0.1', port: counterPort }],
        senderCompId: 'KILL',
        targetCompId: 'COUNTER',
        accountId: '8001',
        credentialsDir: join(dir, 'counter'),
        heartbeatSeconds: 5,
      },
      marketData: { instruments: [instrument] },
      strategies: [{ name: 'churn', file: CHURN, instruments: [instrument], params: {}, enabled: true }],
      risk: { maxOrdersPerSecond: 40, maxPositionLots: 10_000, maxOrderLots: 5, maxCancelsPerDay: 499, priceBandTicks: 1000, tradingHours: 'always', maxDailyLoss: 100_000_000 },
      api: { port: apiPort, usersFile: join(dir, 'users.json') },
      journal: { path: join(dir, 'data', 'journal.db') },
    });
    const kills = 6;
    for (let i = 0; i < kills; i++) {
      const p = spawnRuntime(config);
      await waitReady(apiPort, 30_000, p);
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1500));
      p.child.kill('SIGKILL');
      await p.exited;
    }
    // Final run: the market goes quiet (no ticks, so the strategy sends nothing), the runtime reconciles.
    counter.stop();
    const quiet = startStubCounterKeepingState(counter, counterPort);
    const last = spawnRuntime(config);
    await waitReady(apiPort, 30_000, last);
    await new Promise((r) => setTimeout(r, 2500));
    last.child.kill('SIGTERM');
    await last.exited;
    quiet.stop();

    const journal = openJournal(join(dir, 'data', 'journal.db'));
    const orders = new Map(journal.orders().map((o) => [o.clOrdId, o]));
    const fills = journal.fills();
    journal.close();
    const st = counter.st;
    expect(st.orders.size).toBeGreaterThan(20); // it really traded
    // None sent twice.
    const twice = [...st.newOrders].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice).toEqual([]);
    // None lost: every order the counter saw is journaled, with the counter's status and fills.
    const mismatches: string[] = [];
    for (const [id, c] of st.orders) {
      const o = orders.get(id);
      if (!o) {
        mismatches.push(`${id}: at the counter, not in the journal`);
        continue;
      }
      const want = STATUS[c.status];
      const filled = fills.filter((f) => f.clOrdId === id).reduce((a, f) => a + f.quantity, 0);
      if (o.status !== want || o.filledQuantity !== c.cumQty || filled !== c.cumQty)
        mismatches.push(`${id}: journal ${o.status}/${o.filledQuantity} (fills ${filled}), counter ${want}/${c.cumQty}`);
    }
    // Orders the counter never saw were closed, not left working (and were never resent).
    for (const o of orders.values())
      if (!st.orders.has(o.clOrdId) && o.status !== 'rejected') mismatches.push(`${o.clOrdId}: ${o.status} here, unknown at the counter`);
    expect(mismatches).toEqual([]);
    const neverSent = [...orders.values()].filter((o) => !st.orders.has(o.clOrdId)).length;
    console.log(`kill test: ${kills} kills, ${orders.size} orders journaled, ${st.orders.size} at the counter, ${neverSent} journaled but never sent (closed), ${fills.length} fills`);
  });
});

/** Restarts the stub on the same port with the same order book (the counter itself never lost state). */
function startStubCounterKeepingState(prev: ReturnType<typeof startStubCounter>, port: number) {
  const next = startStubCounter(port, 'pw');
  for (const [k, v] of prev.st.orders) next.st.orders.set(k, v);
  for (const [k, v] of prev.st.newOrders) next.st.newOrders.set(k, v);
  next.st.positions = prev.st.positions;
  // Share the state object so the assertions see what the final session did.
  Object.assign(prev.st, { orders: next.st.orders, newOrders: next.st.newOrders });
  return next;
}
