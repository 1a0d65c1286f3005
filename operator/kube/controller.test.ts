import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { Controller, type Reconciler } from './controller.ts';
import { ERROR_CODES, TerminalError, TransientError } from './errors.ts';
import { OperatorMetrics } from './metrics.ts';

const log = createLogger('test', { level: 'silent' });

function controller(reconcile: Reconciler['reconcile']) {
  const metrics = new OperatorMetrics({ defaultMetrics: false });
  const c = new Controller({
    name: 't',
    reconciler: { reconcile },
    log,
    metrics,
    rateLimiter: { baseDelayMs: 1000 },
  });
  return { c, metrics };
}

async function results(metrics: OperatorMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.reconciles.get()).values) out[String(v.labels.result)] = v.value;
  return out;
}

describe('Controller.processOne', () => {
  it('passes the parsed key and counts success', async () => {
    const seen: string[] = [];
    const { c, metrics } = controller(async (_ctx, req) => {
      seen.push(`${req.namespace}|${req.name}`);
    });
    await c.processOne('ns/a');
    expect(seen).toEqual(['ns|a']);
    expect(await results(metrics)).toEqual({ success: 1 });
  });

  it('retries transient errors and plain exceptions with growing backoff, never throwing', async () => {
    const { c, metrics } = controller(async () => {
      throw new Error('boom');
    });
    await c.processOne('ns/a');
    await c.processOne('ns/a');
    expect(c.queue.limiter.retries('ns/a')).toBe(2);
    expect(await results(metrics)).toEqual({ error: 2 });
    const { c: c2 } = controller(async () => {
      throw new TransientError(ERROR_CODES.API_UNAVAILABLE, 'ApiUnavailable', 'x');
    });
    await c2.processOne('ns/b');
    expect(c2.queue.limiter.retries('ns/b')).toBe(1);
    await c.stop();
    await c2.stop();
  });

  it('does not retry terminal errors', async () => {
    const { c, metrics } = controller(async () => {
      throw new TerminalError(ERROR_CODES.SPEC_INVALID, 'UnknownProfile', 'no such profile');
    });
    await c.processOne('ns/a');
    expect(c.queue.limiter.retries('ns/a')).toBe(0);
    expect(await results(metrics)).toEqual({ terminal: 1 });
  });

  it('requeues after the requested delay and resets backoff on success', async () => {
    let fail = true;
    const { c, metrics } = controller(async () => {
      if (fail) throw new Error('once');
      return { requeueAfter: 50 };
    });
    await c.processOne('ns/a');
    fail = false;
    await c.processOne('ns/a');
    expect(c.queue.limiter.retries('ns/a')).toBe(0);
    expect((await results(metrics)).requeue).toBe(1);
    await c.stop();
  });

  it('runs workers that drain the queue without two passes on one key', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let passes = 0;
    const { c } = controller(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      passes++;
    });
    c.start();
    for (let i = 0; i < 20; i++) c.enqueue('ns/same');
    await new Promise((r) => setTimeout(r, 50));
    expect(maxInFlight).toBe(1);
    expect(passes).toBeLessThanOrEqual(2);
    await c.stop();
  });
});
