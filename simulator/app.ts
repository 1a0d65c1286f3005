/**
 * Wiring of the simulator: config → store → market (restored) → liquidity → counter → FIX acceptor +
 * admin API + heartbeat timer. `startSimulator` is what main.ts and the tests call; `stop()` closes
 * everything (the store last, after a final flush).
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import type { IJsFixConfig } from '../common/fix/jspurefix.ts';
import { acceptorDescription, type FixEndpoint, startFix } from '../common/fix/launcher.ts';
import { freePort } from '../common/fix/testing.ts';
import { createLogger, type Logger } from '../common/log.ts';
import { makeCalendar, makeSpec, parseMoney } from '../common/shfe/index.ts';
import { buildAdmin } from './admin/app.ts';
import { hashPassword, verifyPassword } from './auth.ts';
import { type SimulatorConfig, type SimulatorConfigInput, SimulatorConfigSchema } from './config.ts';
import { Counter } from './counter.ts';
import { startGuard } from './fix/guard.ts';
import { CounterSession } from './fix/session.ts';
import { createFrameTools } from './fix/validator.ts';
import { newAccount } from './market/accounts.ts';
import { SimClock } from './market/clock.ts';
import { LiquidityModel } from './market/liquidity.ts';
import { Market } from './market/market.ts';
import { TickReplay } from './market/replay.ts';
import { createMetrics } from './metrics.ts';
import { Store } from './store/store.ts';

/** A running simulator. */
export interface Simulator {
  counter: Counter;
  config: SimulatorConfig;
  /** Bound admin port (differs from config when 0 was asked). */
  adminPort: number;
  fix: FixEndpoint;
  stop(): Promise<void>;
}

/** Creates accounts from the config that the store does not have yet (and rotates changed passwords). */
export function seedAccounts(market: Market, cfg: SimulatorConfig, log: Logger): void {
  for (const a of cfg.accounts) {
    const existing = market.accounts.get(a.id);
    if (existing) {
      if (a.password && !verifyPassword(a.password, existing.passwordHash)) {
        existing.passwordHash = hashPassword(a.password);
        market.putAccount(existing);
      }
      continue;
    }
    const acct = newAccount(a.id, a.compId, hashPassword(a.password ?? a.id));
    market.putAccount(acct);
    market.fund(a.id, parseMoney(String(a.fundCny)) ?? 0);
    log.info({ account: a.id, compId: a.compId }, 'account seeded');
  }
}

/** Resolves once something accepts TCP connections on host:port (jspurefix listens asynchronously). */
async function waitForListener(host: string, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, host, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`FIX acceptor did not listen on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the simulator. */
export async function startSimulator(
  input: SimulatorConfigInput,
  log: Logger = createLogger('simulator'),
): Promise<Simulator> {
  const config = SimulatorConfigSchema.parse(input);
  const store = new Store(join(config.dataDir, 'simulator.db'));
  const clock = new SimClock({
    mode: config.clock.mode,
    rate: config.clock.rate,
    ...(config.clock.start ? { start: Date.parse(config.clock.start) } : {}),
  });
  const spec = makeSpec({ ...config.market.spec, fees: config.market.spec.fees ?? {} } as Parameters<
    typeof makeSpec
  >[0]);
  const market = new Market(
    {
      spec,
      calendar: makeCalendar(config.market.holidays),
      alwaysOpen: config.market.alwaysOpen,
      initialSettlement: parseMoney(String(config.market.initialSettlementCny)) ?? 61200,
    },
    { now: clock.now },
    store.load(),
  );
  seedAccounts(market, config, log);
  const metrics = createMetrics();
  const replay = config.liquidity.replayCsv ? TickReplay.fromFile(config.liquidity.replayCsv) : undefined;
  if (replay) log.info({ symbols: replay.symbols(), skipped: replay.skipped }, 'replaying CSV ticks');
  const liquidity = config.liquidity.enabled
    ? new LiquidityModel(market, { seed: config.seed, ...(replay ? { replay } : {}) })
    : undefined;
  const counter = new Counter({
    market,
    store,
    clock,
    ...(liquidity ? { liquidity } : {}),
    metrics,
    log,
    compId: config.compId,
  });
  counter.rollIfNeeded();
  if (liquidity) counter.tick(); // books are never empty once we accept connections
  counter.persist();

  // jspurefix listens on an internal loopback port behind the framing guard (see fix/guard.ts).
  const enginePort = await freePort();
  const fix = startFix(
    acceptorDescription({
      senderCompId: config.compId,
      host: '127.0.0.1',
      port: enginePort,
      heartBtInt: config.fix.heartBtInt,
      ...(config.fix.persistSession ? { storeDir: join(config.dataDir, 'fix') } : {}),
      name: 'counter',
    }),
    (c) => new CounterSession(c as IJsFixConfig, counter),
    log.child({ component: 'fix' }),
  );
  await waitForListener('127.0.0.1', enginePort);
  const frameTools = await createFrameTools(log);
  counter.decodeFrame = frameTools.decode;
  const guard = await startGuard({
    host: config.fix.host,
    port: config.fix.port,
    targetPort: enginePort,
    validate: frameTools.validate,
    onMalformed: (m) => counter.reportMalformed(m.sender, m.seq, m.msgType, m.reason),
    onGarbled: (bytes, sample) => {
      metrics.garbled.inc(bytes);
      log.debug({ bytes, sample: JSON.stringify(sample) }, 'garbled FIX bytes dropped');
    },
  });
  const admin = buildAdmin({ counter, ...(config.admin.token ? { token: config.admin.token } : {}) });
  await admin.listen({ host: config.admin.host, port: config.admin.port });
  const addr = admin.server.address();
  const adminPort = typeof addr === 'object' && addr ? addr.port : config.admin.port;
  const timer = setInterval(() => {
    try {
      counter.tick();
    } catch (e) {
      log.error({ err: (e as Error).message }, 'tick failed');
    }
  }, config.liquidity.intervalMs);
  log.info(
    {
      fixPort: config.fix.port,
      adminPort,
      tradingDay: market.tradingDay,
      alwaysOpen: config.market.alwaysOpen,
      clock: config.clock.mode,
    },
    'simulator started',
  );
  let stopped = false;
  return {
    counter,
    config,
    adminPort,
    fix,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await guard.close();
      fix.stop();
      await admin.close();
      counter.persist();
      store.close();
    },
  };
}
