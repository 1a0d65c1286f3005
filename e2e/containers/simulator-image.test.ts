/**
 * The simulator's container image, run by testcontainers on the local Docker engine (no registry: the image
 * comes from `npm run images`). Proves the image, not just the source: it starts non-root, speaks FIX on its
 * published port, accepts an order, and keeps accounts, orders and FIX sequence numbers on its data volume
 * across a container replacement.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrderSingle, parseExecutionReport } from '../../common/fix/messages.ts';
import { connectTestClient } from '../../common/fix/testing.ts';
import { beijingTime, listedContracts, makeCalendar, tradingDateOnOrAfter } from '../../common/shfe/index.ts';

// Ryuk (testcontainers' reaper) is an image from a registry, which this machine cannot pull; we clean up.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
const { GenericContainer, Wait } = await import('testcontainers');
type Started = Awaited<ReturnType<InstanceType<typeof GenericContainer>['start']>>;

const IMAGE = 'docker.io/aurum/simulator:0.1.0';
const accounts = JSON.stringify([{ id: '70001', compId: 'CARL', fundCny: '2000000' }]);
const dataDir = mkdtempSync(join(tmpdir(), 'aurum-sim-container-'));
// The client's own FIX store: both sides keep sequence numbers across the restart, as real sessions do.
const clientStore = mkdtempSync(join(tmpdir(), 'aurum-fix-client-'));
chmodSync(dataDir, 0o777); // the image runs as uid 1000
let container: Started | undefined;

function startSimulatorContainer(): Promise<Started> {
  return new GenericContainer(IMAGE)
    .withEnvironment({ SIM_ACCOUNTS: accounts, SIM_PASSWORD_70001: 'carl-pw', SIM_ALWAYS_OPEN: 'true' })
    .withBindMounts([{ source: dataDir, target: '/data', mode: 'rw' }])
    .withExposedPorts(9878, 8081)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000)
    .start();
}

function symbol(): string {
  const cal = makeCalendar();
  const day = tradingDateOnOrAfter(cal, beijingTime(Date.now()).date);
  return listedContracts(cal, day)[1]!;
}

async function logon(c: Started) {
  return connectTestClient({
    senderCompId: 'CARL',
    targetCompId: 'COUNTER',
    host: c.getHost(),
    port: c.getMappedPort(9878),
    username: '70001',
    password: 'carl-pw',
    storeDir: clientStore,
  });
}

beforeAll(async () => {
  container = await startSimulatorContainer();
});
afterAll(async () => {
  await container?.stop({ remove: true }).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(clientStore, { recursive: true, force: true });
});

describe('simulator image under testcontainers', () => {
  it('runs as a non-root user', async () => {
    const r = await container!.exec(['id', '-u']);
    expect(r.output.trim()).toBe('1000');
  });

  it('accepts a FIX logon and an order, and keeps them across a container replacement', async () => {
    const sym = symbol();
    const first = await logon(container!);
    first.client.sendMsg(
      'D',
      newOrderSingle({
        clOrdId: 'c1',
        symbol: sym,
        side: 'buy',
        price: 58000,
        qty: 1,
        transactTime: new Date(),
      }),
    );
    const ack = await first.client.waitFor((r) => r.msgType === '8' && r.body.ClOrdID === 'c1');
    const report = parseExecutionReport(ack.body)!;
    expect(report.ordStatus, `order was ${JSON.stringify(ack.body)}`).toBe('0'); // New: rests far below the market
    first.endpoint.stop();

    // Replace the container; the data volume carries the state.
    await container!.stop({ remove: true });
    container = await startSimulatorContainer();
    const second = await logon(container!);
    second.client.sendMsg('H', { ClOrdID: 'c1', Side: '1', Instrument: { Symbol: sym } });
    const status = await second.client.waitFor((r) => r.msgType === '8' && r.body.ClOrdID === 'c1');
    expect(parseExecutionReport(status.body)!.ordStatus).toBe('0');
    second.endpoint.stop();
  });
});
