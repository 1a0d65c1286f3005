/**
 * The kill test, against the real counter simulator (a child process): the runtime (another child process)
 * trades with a strategy that sends orders and cancels as fast as the risk limits allow, and is SIGKILLed
 * at random moments, again and again. Then the instrument is halted (nothing can fill any more), trading
 * is paused in the journal, and the runtime starts once more and reconciles. The journal must agree with the
 * counter: every order the counter holds is journaled with the counter's status and filled quantity (none
 * lost), the counter holds each ClOrdID once and never refused one as a duplicate (none sent twice), and no
 * journaled order unknown to the counter is left working.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../common/fix/testing.ts';
import { openJournal } from './journal/journal.ts';
import { compareWithCounter } from './testing/compare.ts';
import { liveContract, spawnRuntime, waitReady, writeRuntimeConfig } from './testing/runtime-process.ts';
import {
  SIM_ACCOUNT,
  type SimOrder,
  simCounter,
  startSimulatorProcess,
} from './testing/simulator-process.ts';

const CHURN = resolve(import.meta.dirname, 'testing/churn-strategy.js');
const dir = mkdtempSync(join(tmpdir(), 'aurum-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kill test', () => {
  it('SIGKILL at random points loses no order and sends none twice', async () => {
    const sim = await startSimulatorProcess({ liquidityMs: 50 });
    const instrument = liveContract();
    const apiPort = await freePort();
    const journalPath = join(dir, 'data', 'journal.db');
    const config = writeRuntimeConfig(
      dir,
      {
        platform: { name: 'kill', namespace: 'test', investor: 'kill' },
        counter: simCounter(sim, join(dir, 'counter'), { heartbeatSeconds: 5 }),
        marketData: { instruments: [instrument] },
        strategies: [{ name: 'churn', file: CHURN, instruments: [instrument], params: {}, enabled: true }],
        risk: {
          maxOrdersPerSecond: 40,
          maxPositionLots: 10_000,
          maxCancelsPerDay: 499,
          priceBandTicks: 1000,
          tradingHours: 'always',
          maxDailyLoss: 100_000_000,
        },
        api: { port: apiPort, usersFile: join(dir, 'users.json') },
        journal: { path: journalPath },
        // The kills here are the test's own, not a crash loop: the strategy must start every time.
        crashGuard: { holdAfterCrashes: 0 },
      },
      SIM_ACCOUNT.password,
    );
    const kills = 6;
    try {
      for (let i = 0; i < kills; i++) {
        const p = spawnRuntime(config);
        await waitReady(apiPort, 120_000, p);
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 1500));
        p.child.kill('SIGKILL');
        await p.exited;
      }
      // Freeze the market, pause trading, restart once more and let reconciliation settle everything.
      await fetch(`http://127.0.0.1:${sim.adminPort}/instruments/${instrument}/halt`, { method: 'POST' });
      const j = openJournal(journalPath);
      j.tx(() => j.set('risk:paused', { reason: 'kill test: final check' }));
      j.close();
      const last = spawnRuntime(config);
      await waitReady(apiPort, 120_000, last);
      await new Promise((r) => setTimeout(r, 3000));
      last.child.kill('SIGTERM');
      await last.exited;
    } finally {
      // keep the simulator for the comparison below
    }
    const counterOrders = (await sim.admin<{ orders: SimOrder[] }>(`/accounts/${SIM_ACCOUNT.id}`)).orders;
    await sim.stop();

    const journal = openJournal(journalPath);
    const orders = journal.orders();
    const fills = journal.fills();
    const duplicates = journal
      .events(0, 1_000_000)
      .filter((e) => e.kind === 'alert' && (e.data as { code: string }).code === 'DUPLICATE_CLORDID');
    const notSent = journal
      .events(0, 1_000_000)
      .filter((e) => e.kind === 'alert' && (e.data as { code: string }).code === 'RECONCILE_NOT_SENT').length;
    journal.close();

    expect(counterOrders.length).toBeGreaterThan(20); // it really traded
    expect(duplicates).toEqual([]);
    expect(compareWithCounter(orders, fills, counterOrders)).toEqual([]);
    console.log(
      `kill test: ${kills} kills, ${orders.length} orders journaled, ${counterOrders.length} at the counter ` +
        `(${counterOrders.filter((o) => o.cumQty > 0).length} with fills), ${notSent} journaled but never sent (closed, not resent), ${fills.length} fills`,
    );
  }, 600_000);
});
