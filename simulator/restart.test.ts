/**
 * Restart test: kill -9 the simulator process mid-day and start it again on the same data directory.
 * Accounts, working orders (with their queue position), positions and FIX sequence numbers survive.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newOrderSingle, parseExecutionReport } from '../common/fix/messages.ts';
import { freePort, type Received } from '../common/fix/testing.ts';
import { connectAs } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'aurum-restart-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startProcess(fixPort: number, adminPort: number): Promise<ChildProcess> {
  const cfg = join(dir, 'sim.yaml');
  writeFileSync(
    cfg,
    [
      `dataDir: ${join(dir, 'data')}`,
      `fix: { host: 127.0.0.1, port: ${fixPort}, heartBtInt: 30 }`,
      `admin: { host: 127.0.0.1, port: ${adminPort} }`,
      'clock: { mode: fixed, start: "2026-11-25T02:00:00.000Z" }',
      'market: { alwaysOpen: false }',
      'liquidity: { enabled: false }',
      'accounts:',
      '  - { id: "80001", compId: ALICE, password: alice-pw, fundCny: "1000000" }',
      '  - { id: "80002", compId: BOB, password: bob-pw, fundCny: "1000000" }',
    ].join('\n'),
  );
  const p = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    env: { ...process.env, SIM_CONFIG: cfg, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${adminPort}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return p;
    if (Date.now() > deadline || p.exitCode !== null) throw new Error('simulator did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the counter's `.seqnums` file for `peer` expects inbound `atLeast` next, and is stable. */
async function storedSeqNums(storeDir: string, peer: string, atLeast: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = '';
  for (;;) {
    const file = readdirSync(storeDir).find((f) => f.includes(peer) && f.endsWith('.seqnums'));
    const text = file ? readFileSync(join(storeDir, file), 'utf8') : '';
    const target = Number(/:\s*(\d+)/.exec(text)?.[1] ?? 0);
    if (target >= atLeast && text === last) return;
    if (Date.now() > deadline)
      throw new Error(`counter never stored inbound ${atLeast} for ${peer}: "${text}"`);
    last = text;
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('restart mid-day', () => {
  it('keeps accounts, orders, positions and sequence numbers across kill -9', async () => {
    const fixPort = await freePort();
    const adminPort = await freePort();
    child = await startProcess(fixPort, adminPort);
    const aliceStore = join(dir, 'alice-fix');
    const a = await connectAs(fixPort, 'ALICE', '80001', 'alice-pw', aliceStore);
    const b = await connectAs(fixPort, 'BOB', '80002', 'bob-pw', join(dir, 'bob-fix'));
    a.client.sendMsg(
      'D',
      newOrderSingle({
        clOrdId: 'A1',
        symbol: 'au2612',
        side: 'buy',
        price: 61200,
        qty: 3,
        transactTime: new Date(),
      }),
    );
    await a.client.waitFor((r) => r.msgType === '8' && r.body.ClOrdID === 'A1');
    b.client.sendMsg(
      'D',
      newOrderSingle({
        clOrdId: 'B1',
        symbol: 'au2612',
        side: 'sell',
        price: 61200,
        qty: 1,
        transactTime: new Date(),
      }),
    );
    await a.client.waitFor((r) => r.msgType === '8' && r.body.ClOrdID === 'A1' && r.body.ExecType === 'F');
    const seqBefore = a.client.lastSent();
    const before = await (await fetch(`http://127.0.0.1:${adminPort}/accounts/80001`)).json();
    // The FIX store writes its sequence numbers asynchronously: kill only once the counter has stored that
    // it received our last message, and the file has stopped changing (what is stored must survive).
    await storedSeqNums(join(dir, 'data', 'fix'), 'ALICE', seqBefore + 1);

    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    a.endpoint.stop();
    b.endpoint.stop();
    await Promise.allSettled([a.endpoint.done, b.endpoint.done]);

    child = await startProcess(fixPort, adminPort);
    const after = await (await fetch(`http://127.0.0.1:${adminPort}/accounts/80001`)).json();
    expect(after.balance).toBe(before.balance);
    expect(after.frozen).toBe(before.frozen);
    expect(after.positions).toEqual(before.positions);
    expect(after.positions.au2612.long.today).toBe(1);
    const book = await (await fetch(`http://127.0.0.1:${adminPort}/books/au2612`)).json();
    expect(book.bids[0]).toMatchObject({ price: '612.00', qty: 2 });

    // Same FIX session resumes: no reset, sequence numbers continue on both sides.
    const a2 = await connectAs(fixPort, 'ALICE', '80001', 'alice-pw', aliceStore);
    expect(a2.client.lastSent()).toBeGreaterThan(seqBefore);
    // Asked again if unanswered: right after the logon the counter may still be answering our resend request,
    // and jspurefix drops an application message that arrives in that state ("msgType H received in state
    // HandleResendRequest"). A status request is a query, so asking twice is harmless.
    const statusOf = async (): Promise<Received> => {
      for (let attempt = 1; ; attempt++) {
        a2.client.sendMsg('H', { ClOrdID: 'A1', Side: '1', Instrument: { Symbol: 'au2612' } });
        try {
          return await a2.client.waitFor((r) => r.msgType === '8' && r.body.ExecType === 'I', 3_000);
        } catch (e) {
          if (attempt === 3) throw e;
        }
      }
    };
    const st = parseExecutionReport((await statusOf()).body)!;
    expect(st).toMatchObject({ clOrdId: 'A1', ordStatus: '1', cumQty: 1, leavesQty: 2 });
    const b2 = await connectAs(fixPort, 'BOB', '80002', 'bob-pw', join(dir, 'bob-fix'));
    b2.client.sendMsg(
      'D',
      newOrderSingle({
        clOrdId: 'B2',
        symbol: 'au2612',
        side: 'sell',
        price: 61200,
        qty: 2,
        transactTime: new Date(),
      }),
    );
    const fill = parseExecutionReport(
      (
        await a2.client.waitFor(
          (r) => r.msgType === '8' && r.body.ClOrdID === 'A1' && r.body.ExecType === 'F',
        )
      ).body,
    )!;
    expect(fill).toMatchObject({ ordStatus: '2', cumQty: 3 });
    a2.endpoint.stop();
    b2.endpoint.stop();
  }, 180_000);
});
