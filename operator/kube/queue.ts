/**
 * A keyed work queue with client-go semantics:
 * - de-duplication: a key waiting in the queue is stored once however often it is added;
 * - exclusivity: a key being processed is never handed to a second worker; if it is added meanwhile it is
 *   queued again when the first worker calls {@link WorkQueue.done};
 * - delayed adds (`addAfter`, for requeue-after and backoff), keeping only the earliest pending time per key.
 */
import { type Clock, systemClock } from './clock.ts';
import { RateLimiter, type RateLimiterOptions } from './ratelimit.ts';

export class WorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { at: number; handle: unknown }>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private closed = false;
  readonly limiter: RateLimiter;
  private readonly clock: Clock;

  constructor(options: { clock?: Clock; rateLimiter?: RateLimiterOptions } = {}) {
    this.clock = options.clock ?? systemClock;
    this.limiter = new RateLimiter(options.rateLimiter);
  }

  /** Queues `key` now (no-op if it is already waiting). */
  add(key: string): void {
    if (this.closed || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Queues `key` after `ms`; an earlier pending time for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.closed) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.clock.clearTimeout(pending.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Queues `key` after its backoff / the global rate limit. Returns the delay used. */
  addRateLimited(key: string): number {
    const ms = this.limiter.when(key, this.clock.now());
    this.addAfter(key, ms);
    return ms;
  }

  /** Clears the key's backoff after a success. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** Next key to process; resolves `undefined` once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` finished; re-queues it if it was added while processing. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting (not counting delayed or in-flight ones). */
  len(): number {
    return this.queue.length - this.head;
  }

  /** Keys currently being processed. */
  inFlight(): number {
    return this.processing.size;
  }

  /** Stops handing out keys; pending `get()` calls resolve `undefined`. */
  shutdown(): void {
    this.closed = true;
    for (const { handle } of this.delayed.values()) this.clock.clearTimeout(handle);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
