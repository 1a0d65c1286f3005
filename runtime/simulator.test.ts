/**
 * Against the real counter simulator (a child process on loopback): the runtime (another child process)
 * runs the sample EMA-crossover strategy, which trades; afterwards the journal agrees with the counter.
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

const EMA = resolve(import.meta.dirname, '../examples/strategies/ema-cross.js');
const dir = mkdtempSync(join(tmpdir(), 'aurum-simrt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runtime against the counter simulator', () => {
  it('the sample EMA-crossover strategy trades, and the journal agrees with the counter', async () => {
    const sim = await startSimulatorProcess({ liquidityMs: 100 });
    const instrument = liveContract();
    const apiPort = await freePort();
    const config = writeRuntimeConfig(
      dir,
      {
        platform: { name: 'alice', namespace: 'test', investor: 'alice' },
        counter: simCounter(sim, join(dir, 'counter')),
        marketData: { instruments: [instrument] },
        strategies: [
          {
            name: 'ema',
            file: EMA,
            instruments: [instrument],
            params: { fast: 3, slow: 8, useTicks: true, slippageTicks: 3 },
          },
        ],
        risk: { tradingHours: 'always', priceBandTicks: 1000 },
        api: { port: apiPort, usersFile: join(dir, 'users.json') },
        journal: { path: join(dir, 'data', 'journal.db') },
      },
      SIM_ACCOUNT.password,
    );
    const rt = spawnRuntime(config);
    try {
      await waitReady(apiPort, 120_000, rt);
      const end = Date.now() + 60_000;
      let orders: SimOrder[] = [];
      while (Date.now() < end) {
        orders = (await sim.admin<{ orders: SimOrder[] }>(`/accounts/${SIM_ACCOUNT.id}`)).orders ?? [];
        if (orders.filter((o) => o.cumQty > 0).length >= 2) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(orders.filter((o) => o.cumQty > 0).length).toBeGreaterThanOrEqual(2);
      const metrics = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
      expect(metrics).toMatch(/aurum_runtime_fills_total [1-9]/);
    } finally {
      rt.child.kill('SIGTERM');
      await rt.exited;
    }
    const counterOrders = (await sim.admin<{ orders: SimOrder[] }>(`/accounts/${SIM_ACCOUNT.id}`)).orders;
    await sim.stop();
    const j = openJournal(join(dir, 'data', 'journal.db'));
    const diff = compareWithCounter(j.orders(), j.fills(), counterOrders);
    const origins = new Set(j.orders().map((o) => o.origin));
    j.close();
    expect(origins).toEqual(new Set(['ema']));
    // The runtime stopped while orders may still have been in flight: only finished ones must agree exactly.
    expect(diff.filter((d) => !/journal (pendingNew|new|pendingCancel|partiallyFilled)/.test(d))).toEqual([]);
  }, 180_000);
});
