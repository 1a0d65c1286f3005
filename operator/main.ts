/**
 * The operator process: `npm run operator` (or the operator image).
 *
 * Environment:
 *   KUBECONFIG / in-cluster service account   how to reach the API server
 *   POD_NAME                                  replica identity for leader election (default: hostname)
 *   POD_NAMESPACE                             namespace of the leader Lease (default aurum-system)
 *   AURUM_LEADER_ELECTION                     "false" disables leader election (default: on)
 *   AURUM_HTTP_PORT                           /metrics, /healthz, /readyz (default 8081)
 *   AURUM_OPERATOR_CONFIG                     operator configuration file (default /etc/aurum/operator.json)
 *   AURUM_WORKERS                             parallel TradingPlatform reconciles (default 8)
 *   AURUM_INSTANCE                            reconcile only TradingPlatforms labelled aurum.dev/operator-instance=<it>
 *                                             (default: only those without the label)
 *   AURUM_WATCH_NAMESPACE                     watch one namespace only (default: all)
 *   AURUM_RESYNC_SECONDS                      full relist period of every informer (default 300)
 *   AURUM_CONTROLLERS                         comma-separated subset of: tradingplatform, firewall,
 *                                             investoraccess (default all)
 *   LOG_LEVEL                                 pino level (default info)
 */
import { hostname } from 'node:os';
import { createLogger } from '../common/log.ts';
import { loadOperatorConfig } from './config.ts';
import { registerInvestorAccessController } from './controllers/investoraccess/register.ts';
import { registerFirewallControllers } from './controllers/networkpolicyspec/register.ts';
import { registerTradingPlatformController } from './controllers/tradingplatform/register.ts';
import { systemClock } from './kube/clock.ts';
import { loadKubeConnection } from './kube/connection.ts';
import { KubeEventRecorder } from './kube/events.ts';
import { Manager } from './kube/manager.ts';

const log = createLogger('operator');

async function main(): Promise<void> {
  const config = loadOperatorConfig();
  const connection = await loadKubeConnection();
  const identity = process.env.POD_NAME ?? hostname();
  const mgr = new Manager({
    connection,
    log,
    identity,
    leaderElectionNamespace:
      process.env.AURUM_LEADER_ELECTION === 'false'
        ? undefined
        : (process.env.POD_NAMESPACE ?? 'aurum-system'),
    namespace: process.env.AURUM_WATCH_NAMESPACE || undefined,
    httpPort: Number(process.env.AURUM_HTTP_PORT ?? 8081),
    resyncMs: process.env.AURUM_RESYNC_SECONDS ? Number(process.env.AURUM_RESYNC_SECONDS) * 1000 : undefined,
  });
  const events = new KubeEventRecorder({ client: mgr.client, clock: systemClock, log, instance: identity });
  const enabled = new Set(
    (process.env.AURUM_CONTROLLERS ?? 'tradingplatform,firewall,investoraccess')
      .split(',')
      .map((s) => s.trim()),
  );
  if (enabled.has('tradingplatform')) {
    registerTradingPlatformController(mgr, {
      config,
      events,
      instance: process.env.AURUM_INSTANCE || undefined,
      workers: process.env.AURUM_WORKERS ? Number(process.env.AURUM_WORKERS) : undefined,
    });
  }
  if (enabled.has('firewall')) registerFirewallControllers(mgr, { config });
  if (enabled.has('investoraccess')) registerInvestorAccessController(mgr, { config });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    mgr.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A bug in a handler must not take the operator down; the controller already contains reconcile errors.
  process.on('unhandledRejection', (err) => log.error({ err: String(err) }, 'unhandled rejection'));
  process.on('uncaughtException', (err) =>
    log.error({ err: String(err), stack: err.stack }, 'uncaught exception'),
  );
  await mgr.start();
  log.info({ identity, port: mgr.port(), profiles: Object.keys(config.profiles) }, 'operator started');
}

main().catch((err) => {
  log.fatal({ err: String(err) }, 'operator failed to start');
  process.exit(1);
});
