/**
 * The reconcile contract and the worker loop around it.
 *
 * A reconciler is level-based: given `{namespace, name}` it reads the world (informer caches, the API),
 * computes what should exist, applies it, writes status, and says when to look again:
 *
 *   reconcile(ctx, { namespace, name }) → { requeueAfter?: ms } | void
 *
 * - return normally: done (optionally look again after `requeueAfter` ms);
 * - throw {@link TransientError} or anything else: retried with per-key exponential backoff;
 * - throw {@link TerminalError}: logged and counted, not retried until the object changes.
 * A NotFound primary object is a normal return (it was deleted). The runtime never runs two passes for the
 * same key at once and never lets a reconciler's exception escape.
 */
import type { Logger } from '../../common/log.ts';
import { ERROR_CODES, OperatorError, TerminalError } from './errors.ts';
import type { OperatorMetrics } from './metrics.ts';
import { WorkQueue } from './queue.ts';
import type { RateLimiterOptions } from './ratelimit.ts';
import { parseKey } from './resources.ts';

/** Which object to reconcile. */
export interface Request {
  namespace: string;
  name: string;
}

/** What the reconciler wants next. */
export interface Result {
  /** Look again after this many milliseconds (periodic checks, waiting for a dependency). */
  requeueAfter?: number;
}

/** Per-pass context. */
export interface ReconcileContext {
  /** Logger with `controller` and `key` bound. */
  log: Logger;
  /** Aborted on shutdown; pass to long waits. */
  signal: AbortSignal;
}

/** A reconciler: the one thing a controller author writes. */
export interface Reconciler {
  reconcile(ctx: ReconcileContext, req: Request): Promise<Result | undefined | void>;
}

/** Options of {@link Controller}. */
export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  log: Logger;
  metrics: OperatorMetrics;
  /** Parallel workers (never two on one key). Default 4. */
  workers?: number;
  rateLimiter?: RateLimiterOptions;
}

/** A work queue plus workers that call one reconciler. */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly o: ControllerOptions;
  private readonly abort = new AbortController();
  private running: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.o = options;
    this.name = options.name;
    this.queue = new WorkQueue({ rateLimiter: options.rateLimiter });
  }

  /** Queues a key `namespace/name`. */
  enqueue(key: string): void {
    this.queue.add(key);
    this.o.metrics.queueDepth.set({ controller: this.name }, this.queue.len());
  }

  /** Queues a periodic re-check of `namespace/name` behind real changes (see {@link WorkQueue.addLow}). */
  enqueueRecheck(key: string): void {
    this.queue.addLow(key);
    this.o.metrics.queueDepth.set({ controller: this.name }, this.queue.len());
  }

  start(): void {
    const n = this.o.workers ?? 4;
    for (let i = 0; i < n; i++) this.running.push(this.worker());
  }

  /** Stops handing out work and waits for passes in flight to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.shutdown();
    await Promise.all(this.running);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.o.metrics.queueDepth.set({ controller: this.name }, this.queue.len());
      await this.processOne(key);
    }
  }

  /** One reconcile pass for `key`, with every outcome turned into queue bookkeeping (never throws). */
  async processOne(key: string): Promise<void> {
    const log = this.o.log.child({ controller: this.name, key });
    const end = this.o.metrics.reconcileDuration.startTimer({ controller: this.name });
    try {
      const res = await this.o.reconciler.reconcile({ log, signal: this.abort.signal }, parseKey(key));
      this.queue.forget(key);
      if (res?.requeueAfter && res.requeueAfter > 0) {
        this.queue.addAfter(key, res.requeueAfter);
        this.o.metrics.reconciles.inc({ controller: this.name, result: 'requeue' });
      } else {
        this.o.metrics.reconciles.inc({ controller: this.name, result: 'success' });
      }
    } catch (err) {
      const code = err instanceof OperatorError ? err.code : ERROR_CODES.API_OTHER;
      this.o.metrics.reconcileErrors.inc({ controller: this.name, code });
      if (err instanceof TerminalError) {
        this.queue.forget(key);
        this.o.metrics.reconciles.inc({ controller: this.name, result: 'terminal' });
        log.error({ code, err: err.message }, 'reconcile failed permanently');
      } else {
        const delay = this.queue.addRateLimited(key);
        this.o.metrics.reconciles.inc({ controller: this.name, result: 'error' });
        const level = this.queue.limiter.retries(key) > 3 ? 'warn' : 'info';
        log[level](
          { code, err: err instanceof Error ? err.message : String(err), retryInMs: delay },
          'reconcile failed; will retry',
        );
      }
    } finally {
      end();
      this.queue.done(key);
    }
  }
}
