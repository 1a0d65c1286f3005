/**
 * Test helpers: start a simulator on free loopback ports with a temp data dir, and connect FIX clients.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTestClient, freePort } from '../common/fix/testing.ts';
import { createLogger } from '../common/log.ts';
import { startSimulator } from './app.ts';
import type { SimulatorConfigInput } from './config.ts';

/** 10:00 Beijing on a Wednesday: inside the day session. */
export const IN_SESSION = '2026-11-25T02:00:00.000Z';

/** Starts a simulator for a test (quiet logs unless LOG_LEVEL is set). */
export async function startTestSimulator(
  over: Partial<SimulatorConfigInput> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'aurum-sim-')),
) {
  const fixPort = over.fix?.port ?? (await freePort());
  const sim = await startSimulator(
    {
      dataDir,
      fix: { host: '127.0.0.1', port: fixPort, heartBtInt: 30 },
      admin: { host: '127.0.0.1', port: 0 },
      clock: { mode: 'fixed', start: IN_SESSION },
      market: { alwaysOpen: false },
      liquidity: { enabled: false },
      accounts: [
        { id: '80001', compId: 'ALICE', password: 'alice-pw', fundCny: '1000000' },
        { id: '80002', compId: 'BOB', password: 'bob-pw', fundCny: '1000000' },
        { id: '80003', compId: 'POOR', password: 'poor-pw', fundCny: '1000' },
      ],
      ...over,
    },
    createLogger('simulator', { level: process.env.LOG_LEVEL ?? 'silent' }),
  );
  return { sim, fixPort, dataDir };
}

/** Connects as one of the seeded accounts. */
export function connectAs(
  fixPort: number,
  compId: string,
  account: string,
  password: string,
  storeDir?: string,
) {
  return connectTestClient({
    senderCompId: compId,
    targetCompId: 'COUNTER',
    host: '127.0.0.1',
    port: fixPort,
    username: account,
    password,
    ...(storeDir ? { storeDir } : {}),
  });
}
