/**
 * Test helper: runs the real counter simulator (`node simulator/main.ts`) as a child process on free
 * loopback ports, with one seeded account, and reads its admin API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../common/fix/testing.ts';

const MAIN = resolve(import.meta.dirname, '../../simulator/main.ts');

/** A running simulator. */
export interface SimulatorProcess {
  fixPort: number;
  adminPort: number;
  child: ChildProcess;
  output: string[];
  /** GET on the admin API, parsed JSON. */
  admin<T = unknown>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** One account: id = Logon Username, compId = SenderCompID. */
export const SIM_ACCOUNT = { id: '80001', compId: 'ALICE', password: 'alice-pw' };

/**
 * The runtime configuration's `counter` section for the simulator's account (the password is a file in
 * `credentialsDir`, see writeRuntimeConfig), reached at `host`.
 */
export function simCounter(
  sim: Pick<SimulatorProcess, 'fixPort'>,
  credentialsDir: string,
  o: { host?: string; heartbeatSeconds?: number } = {},
) {
  return {
    protocol: 'fix44' as const,
    endpoints: [{ host: o.host ?? '127.0.0.1', port: sim.fixPort }],
    senderCompId: SIM_ACCOUNT.compId,
    targetCompId: 'COUNTER',
    accountId: SIM_ACCOUNT.id,
    credentialsDir,
    ...(o.heartbeatSeconds ? { heartbeatSeconds: o.heartbeatSeconds } : {}),
  };
}

/** Starts the simulator (always open, liquidity on) and waits for its admin API. */
export async function startSimulatorProcess(opts: { liquidityMs?: number } = {}): Promise<SimulatorProcess> {
  const fixPort = await freePort();
  const adminPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'aurum-sim-'));
  const configFile = join(dataDir, 'sim.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    configFile,
    JSON.stringify({
      liquidity: { enabled: true, intervalMs: opts.liquidityMs ?? 200 },
      market: { alwaysOpen: true },
    }),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      SIM_CONFIG: configFile,
      SIM_FIX_PORT: String(fixPort),
      SIM_ADMIN_PORT: String(adminPort),
      SIM_DATA_DIR: dataDir,
      SIM_ACCOUNTS: JSON.stringify([{ ...SIM_ACCOUNT, fundCny: '10000000' }]),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const admin = async <T>(path: string): Promise<T> => {
    const r = await fetch(`http://127.0.0.1:${adminPort}${path}`);
    if (!r.ok) throw new Error(`admin ${path}: ${r.status}`);
    return (await r.json()) as T;
  };
  // Generous: on a loaded CI machine a Node process can take tens of seconds to load.
  const end = Date.now() + 120_000;
  for (;;) {
    try {
      await admin('/healthz');
      break;
    } catch {
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`simulator did not start: ${output.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    fixPort,
    adminPort,
    child,
    output,
    admin,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The simulator's view of one order (admin API). */
export interface SimOrder {
  orderId: string;
  clOrdId: string;
  symbol: string;
  status: 'new' | 'partially-filled' | 'filled' | 'canceled' | 'rejected';
  qty: number;
  cumQty: number;
  text?: string;
}
