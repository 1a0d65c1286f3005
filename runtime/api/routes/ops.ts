/** Liveness, readiness and Prometheus metrics; public, for the kubelet and the scraper. */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface HealthReport {
  ready: boolean;
  checks: Record<string, string>;
}

/** The API's own metrics, registered once per registry. */
export interface ApiMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  loginFailures: Counter;
  streamClients: Gauge;
  sessions: Gauge;
}

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function apiMetrics(registry: Registry, sessionCount: () => number): ApiMetrics {
  const registers = [registry];
  return {
    requests: once(
      registry,
      'aurum_api_requests_total',
      () =>
        new Counter({
          name: 'aurum_api_requests_total',
          help: 'Investor API requests',
          labelNames: ['method', 'route', 'status'],
          registers,
        }),
    ),
    loginFailures: once(
      registry,
      'aurum_api_login_failures_total',
      () =>
        new Counter({ name: 'aurum_api_login_failures_total', help: 'Failed or refused logins', registers }),
    ),
    streamClients: once(
      registry,
      'aurum_api_stream_clients',
      () => new Gauge({ name: 'aurum_api_stream_clients', help: 'Open WebSocket streams', registers }),
    ),
    sessions: once(
      registry,
      'aurum_api_sessions',
      () =>
        new Gauge({
          name: 'aurum_api_sessions',
          help: 'Live login sessions',
          registers,
          collect() {
            this.set(sessionCount());
          },
        }),
    ),
  };
}

export function registerOpsRoutes(
  app: FastifyInstance,
  health: () => HealthReport,
  registry: Registry,
): void {
  const HEALTH = {
    type: 'object',
    properties: {
      ready: { type: 'boolean' },
      checks: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Liveness: the process answers' } }, async () => ({
    ok: true,
  }));
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: counter connected and journal open',
        response: { 200: HEALTH, 503: HEALTH },
      },
    },
    async (_req, reply) => {
      const h = health();
      return reply.code(h.ready ? 200 : 503).send(h);
    },
  );
  app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
