/**
 * Wiring for runtime/main.ts: builds the investor API from the runtime configuration, adds the Kubernetes parts
 * when running in a pod (profile switching through the platform's own TradingPlatform, and the users Secret
 * watch for seconds-fast revocation), and listens.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../../common/log.ts';
import type { RuntimeConfig } from '../../common/runtime-config.ts';
import { inClusterOptions, KubeClient, type KubeClientOptions } from '../platform/kube-client.ts';
import { createKubePlatform } from '../platform/kube-platform.ts';
import type { TradingEnginePort } from './engine-port.ts';
import type { HealthReport } from './routes/ops.ts';
import { buildApiServer } from './server.ts';
import { usersKubeWatch } from './users-kube-watch.ts';

export interface StartApiOptions {
  config: RuntimeConfig;
  engine: TradingEnginePort;
  health: () => HealthReport;
  logger: Logger;
  metrics?: Registry;
  /** Kubernetes access; default: the pod's service account when present, else none. */
  kube?: KubeClientOptions | null;
  /** Listen address. Default 0.0.0.0 (the WireGuard sidecar shares the pod's network namespace). */
  host?: string;
}

/** Builds, then listens on `config.api.port`; returns the running server (call `close()` on shutdown). */
export async function startInvestorApi(opts: StartApiOptions): Promise<FastifyInstance> {
  const { config, logger } = opts;
  const kubeOpts = opts.kube === undefined ? inClusterOptions() : (opts.kube ?? undefined);
  const client = kubeOpts ? new KubeClient(kubeOpts) : undefined;
  const { name, namespace } = config.platform;
  const app = await buildApiServer({
    engine: opts.engine,
    health: opts.health,
    logger,
    metrics: opts.metrics,
    usersFile: config.api.usersFile,
    platform: client ? createKubePlatform({ client, name, namespace, logger }) : undefined,
    userSources: client ? [usersKubeWatch({ client, namespace, platform: name, logger })] : [],
  });
  logger.info({ inCluster: Boolean(client), port: config.api.port }, 'investor API starting');
  await app.listen({ port: config.api.port, host: opts.host ?? '0.0.0.0' });
  return app;
}
