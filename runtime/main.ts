/**
 * The trading runtime's entry point (`node runtime/main.ts`): wiring only.
 * config → journal → gateway → OMS/risk → strategy host → engine → investor API (port 8080).
 *
 * Environment: `AURUM_RUNTIME_CONFIG`, else `AURUM_CONFIG` (what the operator's pod sets), default
 * /etc/aurum/runtime.json; `LOG_LEVEL`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { createLogger, type Logger } from '../common/log.ts';
import { RUNTIME_CONFIG_PATH, type RuntimeConfig, RuntimeConfigSchema } from '../common/runtime-config.ts';
import type { PlatformPort } from './api/engine-port.ts';
import { journalSessions } from './api/journal-sessions.ts';
import { createEngine, type TradingEngine } from './engine.ts';
import { FixGateway } from './gateway/fix/fix-gateway.ts';
import { openJournal } from './journal/journal.ts';
import { enableFatalReports } from './strategy/fatal-reports.ts';

/** Reads and validates the configuration file; throws with every problem listed. */
export function loadConfig(path: string): RuntimeConfig {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const r = RuntimeConfigSchema.safeParse(raw);
  if (!r.success)
    throw new Error(
      `invalid runtime configuration ${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

/** Reads a secret file from the credentials directory, if present (trailing newline removed). */
function secret(dir: string, name: string): string | undefined {
  const f = join(dir, name);
  return existsSync(f) ? readFileSync(f, 'utf8').replace(/\r?\n$/, '') : undefined;
}

/** Starts the runtime; resolves with a stop function once listening. */
export async function startRuntime(
  config: RuntimeConfig,
  logger: Logger,
  o: {
    /** Aborted when a stop is asked for during the start: no further strategy is started. */
    startSignal?: AbortSignal;
  } = {},
): Promise<{ engine: TradingEngine; stop: () => Promise<void>; port: number }> {
  const journal = openJournal(config.journal.path, { synchronous: config.journal.synchronous });
  const password = secret(config.counter.credentialsDir, 'password');
  const gateway = new FixGateway({
    endpoints: config.counter.endpoints,
    senderCompId: config.counter.senderCompId,
    targetCompId: config.counter.targetCompId,
    accountId: config.counter.accountId,
    ...(password !== undefined ? { password } : {}),
    heartbeatSeconds: config.counter.heartbeatSeconds,
    storeDir: join(dirname(config.journal.path), 'fix'),
    logger: logger.child({ component: 'gateway' }),
  });
  // A strategy that makes V8 abort the process is found from Node's report at the next start (see
  // strategy/crash-guard.ts); the report leaves the environment out, hence the flag it needs.
  const crashReportsDir = join(dirname(config.journal.path), 'crash-reports');
  if (!enableFatalReports(crashReportsDir))
    logger.warn(
      'crash reports off (start node with --report-exclude-env): a strategy that aborts the process is not identified',
    );
  const engine = createEngine({
    config,
    journal,
    gateway,
    logger: logger.child({ component: 'engine' }),
    crashReportsDir,
  });
  await engine.start(o.startSignal);

  const health = () => engine.health();
  let close: () => Promise<void>;
  let port = config.api.port;
  const api = await import('./api/server.ts').catch((err: unknown) => {
    logger.warn({ err: String(err) }, 'investor API unavailable; serving health and metrics only');
    return undefined;
  });
  if (api) {
    const platform = await loadPlatform(config, logger);
    const app = await api.buildApiServer({
      engine,
      ...(platform ? { platform } : {}),
      usersFile: config.api.usersFile,
      // Investors stay logged in across a restart of the runtime (sessions are rows of the journal).
      sessionPersistence: journalSessions(journal),
      health,
      metrics: engine.metrics.registry,
      logger,
    });
    await app.listen({ host: '0.0.0.0', port: config.api.port });
    const addr = app.server.address();
    if (addr && typeof addr === 'object') port = addr.port;
    close = () => app.close();
  } else {
    // Fallback: probes and metrics only.
    const server = createServer(async (req, res) => {
      if (req.url === '/healthz') return void res.writeHead(200).end('ok');
      if (req.url === '/readyz') {
        const h = health();
        return void res
          .writeHead(h.ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(h));
      }
      if (req.url === '/metrics') {
        const body = await engine.metrics.registry.metrics();
        return void res.writeHead(200, { 'content-type': engine.metrics.registry.contentType }).end(body);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(config.api.port, '0.0.0.0', r));
    const addr = server.address();
    if (addr && typeof addr === 'object') port = addr.port;
    close = () => new Promise<void>((r) => server.close(() => r()));
  }
  logger.info(
    { port, instruments: config.marketData.instruments, endpoints: config.counter.endpoints },
    'runtime started',
  );
  return {
    engine,
    port,
    stop: async () => {
      await close();
      await engine.stop();
      journal.close();
    },
  };
}

/** The platform port (profile switching) when runtime/platform provides one and we run in a cluster. */
async function loadPlatform(config: RuntimeConfig, logger: Logger): Promise<PlatformPort | undefined> {
  if (!process.env.KUBERNETES_SERVICE_HOST) return undefined;
  try {
    // A variable specifier: the platform module is optional (owned by the API side) and may not exist yet.
    const specifier = './platform/index.ts';
    const mod = (await import(specifier)) as {
      createPlatformPort?: (o: { config: RuntimeConfig; logger: Logger }) => PlatformPort;
    };
    return mod.createPlatformPort?.({ config, logger });
  } catch (err) {
    logger.info({ err: String(err) }, 'no platform port; profile switching unavailable');
    return undefined;
  }
}

async function main(): Promise<void> {
  const logger = createLogger('runtime');
  const path = process.env.AURUM_RUNTIME_CONFIG ?? process.env.AURUM_CONFIG ?? RUNTIME_CONFIG_PATH;
  let rt: Awaited<ReturnType<typeof startRuntime>> | undefined;
  let stopping = false;
  /** A stop asked for while the runtime was still starting: carried out as soon as the start is over. */
  let stopWanted: string | undefined;
  const starting = new AbortController();
  const shutdown = (signal: string) => {
    if (stopping) return;
    if (!rt) {
      // Node's default would end the process at once, which the crash guard would count as a crash: Kubernetes
      // sends SIGTERM to a pod deleted or rolled while its strategies are still loading, and that is no crash.
      stopWanted ??= signal;
      starting.abort();
      logger.info(
        { signal },
        'stop requested while starting; no further strategy is started, and the runtime stops once the one starting now is up',
      );
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    rt.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    rt = await startRuntime(loadConfig(path), logger, { startSignal: starting.signal });
  } catch (err) {
    logger.fatal({ err: String(err) }, 'runtime failed to start');
    process.exit(1);
  }
  if (stopWanted) shutdown(stopWanted);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
