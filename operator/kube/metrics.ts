/** Prometheus metrics of the controller runtime (prom-client, one registry per process). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** All operator metrics; create once per process (tests create their own). */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: 'aurum_operator_reconcile_total',
    help: 'Reconcile passes by controller and result (success, requeue, error, terminal).',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'aurum_operator_reconcile_errors_total',
    help: 'Reconcile errors by controller and error code.',
    labelNames: ['controller', 'code'] as const,
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: 'aurum_operator_reconcile_duration_seconds',
    help: 'Duration of one reconcile pass.',
    labelNames: ['controller'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'aurum_operator_workqueue_depth',
    help: 'Keys waiting in the work queue.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: 'aurum_operator_watch_restarts_total',
    help: 'Watches restarted (server close, stall, 410 Gone, errors) by resource and reason.',
    labelNames: ['resource', 'reason'] as const,
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: 'aurum_operator_api_requests_total',
    help: 'Requests to the API server by verb and status code.',
    labelNames: ['verb', 'code'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'aurum_operator_leader',
    help: '1 while this replica holds the leader lease.',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'aurum_operator_' });
  }

  /** Number of API write requests seen so far (POST/PUT/PATCH/DELETE). */
  async writeCount(): Promise<number> {
    const m = await this.apiRequests.get();
    return m.values.filter((v) => v.labels.verb !== 'GET').reduce((s, v) => s + v.value, 0);
  }
}
