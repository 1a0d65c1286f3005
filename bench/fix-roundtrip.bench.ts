/**
 * FIX NewOrderSingle → ExecutionReport round trip over loopback, p50/p99: a jspurefix client sends one
 * order at a time and waits for its ExecutionReport (new), against
 *   1. the counter simulator (a separate process: framing guard → jspurefix → market → SQLite), and
 *   2. a bare jspurefix echo acceptor (separate process) answering each order with a fixed report —
 *      the engine's own floor, measured in the same run.
 * The headline gives both and the simulator's overhead ratio.
 *
 *   npm run bench -- fix-roundtrip [orders=2000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsciiSession, type IJsFixConfig, type MsgView } from '../common/fix/jspurefix.ts';
import { acceptorDescription, startFix } from '../common/fix/launcher.ts';
import { newOrderSingle } from '../common/fix/messages.ts';
import { connectTestClient, freePort } from '../common/fix/testing.ts';
import type { Benchmark } from './run.ts';

const self = import.meta.filename;

/** Echo acceptor: every NewOrderSingle gets an ExecutionReport (new) straight back. */
class Echo extends AsciiSession {
  constructor(c: IJsFixConfig) {
    super(c);
  }
  protected onApplicationMsg(_t: string, v: MsgView): void {
    this.send('8', {
      OrderID: '1',
      ClOrdID: v.getString(11),
      ExecID: v.getString(11),
      ExecType: '0',
      OrdStatus: '0',
      Instrument: { Symbol: 'au2612' },
      Side: '1',
      LeavesQty: 1,
      CumQty: 0,
      AvgPx: 0,
    });
  }
  protected onReady(): void {}
  protected onStopped(): void {}
  protected onLogon(): boolean {
    return true;
  }
  protected onDecoded(): void {}
  protected onEncoded(): void {}
}

async function waitPort(port: number, p: ChildProcess): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 300; i++) {
    if (p.exitCode !== null) throw new Error('server exited');
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function measure(port: number, n: number, account: string, password: string): Promise<number[]> {
  const { client, endpoint } = await connectTestClient(
    {
      senderCompId: 'BENCH',
      targetCompId: 'COUNTER',
      host: '127.0.0.1',
      port,
      username: account,
      password,
      resetSeqNum: true,
    },
    60_000,
  );
  const lat: number[] = [];
  for (let i = 0; i < n + 100; i++) {
    const id = `b${i}`;
    const from = client.received.length;
    const t0 = process.hrtime.bigint();
    client.sendMsg(
      'D',
      newOrderSingle({
        clOrdId: id,
        symbol: 'au2612',
        side: 'buy',
        price: 50000 + 2 * (i % 100),
        qty: 1,
        transactTime: new Date(),
      }),
    );
    await client.waitFor((r) => r.msgType === '8' && r.body.ClOrdID === id, 30_000, from);
    if (i >= 100) lat.push(Number(process.hrtime.bigint() - t0) / 1000); // first 100 = warm-up
    client.received.length = 0;
  }
  client.done();
  await endpoint.done.catch(() => {});
  return lat.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const bench: Benchmark = {
  summary:
    'FIX NewOrderSingle -> ExecutionReport round trip over loopback (p50/p99), simulator vs bare jspurefix echo',
  async run(args) {
    const n = Number(args[0] ?? 2000);
    const dir = mkdtempSync(join(tmpdir(), 'aurum-bench-fix-'));
    const simPort = await freePort();
    const adminPort = await freePort();
    const echoPort = await freePort();
    const sim = spawn(process.execPath, [join(import.meta.dirname, '..', 'simulator', 'main.ts')], {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        SIM_DATA_DIR: join(dir, 'data'),
        SIM_FIX_PORT: String(simPort),
        SIM_ADMIN_PORT: String(adminPort),
        SIM_ALWAYS_OPEN: 'true',
        SIM_ACCOUNTS: JSON.stringify([
          { id: 'bench', compId: 'BENCH', password: 'bench-pw', fundCny: '100000000000' },
        ]),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const echo = spawn(process.execPath, [self, '--echo', String(echoPort)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await waitPort(simPort, sim);
      await waitPort(echoPort, echo);
      const s = await measure(simPort, n, 'bench', 'bench-pw');
      const e = await measure(echoPort, n, 'bench', 'x');
      const f = (x: number) => `${x.toFixed(0)}µs`;
      console.log(
        `simulator: p50 ${f(pct(s, 50))} p99 ${f(pct(s, 99))} max ${f(s[s.length - 1]!)} (${n} orders)`,
      );
      console.log(`jspurefix echo: p50 ${f(pct(e, 50))} p99 ${f(pct(e, 99))} max ${f(e[e.length - 1]!)}`);
      return `fix-roundtrip: simulator p50 ${f(pct(s, 50))} p99 ${f(pct(s, 99))}; bare jspurefix echo p50 ${f(pct(e, 50))} p99 ${f(pct(e, 99))}; simulator/echo p50 ratio ${(pct(s, 50) / pct(e, 50)).toFixed(2)}x`;
    } finally {
      sim.kill('SIGTERM');
      echo.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

if (import.meta.main && process.argv[2] === '--echo') {
  startFix(
    acceptorDescription({ senderCompId: 'COUNTER', host: '127.0.0.1', port: Number(process.argv[3]) }),
    (c) => new Echo(c as IJsFixConfig),
  );
}
