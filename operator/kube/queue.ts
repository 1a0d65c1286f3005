/**
 * A keyed work queue with client-go semantics:
 * - de-duplication: a key waiting in the queue is stored once however often it is added;
 * - exclusivity: a key being processed is never handed to a second worker; if it is added meanwhile it is
 *   queued again when the first worker calls {@link WorkQueue.done};
 * - delayed adds (`addAfter`, for requeue-after and backoff), keeping only the earliest pending time per key;
 * - a low-priority lane for periodic re-checks (`addLow`): a relist re-queues every object, and at 10,000
 *   objects those re-checks would otherwise stand in front of real changes for minutes. A key in the low lane
 *   is promoted when it is added normally; one low key is still served for every `lowShare` normal ones, so
 *   re-checks cannot starve under constant churn.
 */
import { type Clock, systemClock } from './clock.ts';
import { RateLimiter, type RateLimiterOptions } from './ratelimit.ts';

/** A FIFO of keys that can be consumed from the front without shifting (amortised compaction). */
class Fifo {
  private items: string[] = [];
  private head = 0;

  push(key: string): void {
    this.items.push(key);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  get length(): number {
    return this.items.length - this.head;
  }
}

export class WorkQueue {
  private readonly queue = new Fifo();
  /** Low-priority keys; entries no longer in {@link lowWaiting} were promoted or taken and are skipped. */
  private readonly low = new Fifo();
  private readonly lowWaiting = new Set<string>();
  /** Normal keys handed out since the last low one (see the class comment). */
  private sinceLow = 0;
  private readonly lowShare: number;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { at: number; handle: unknown }>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private closed = false;
  readonly limiter: RateLimiter;
  private readonly clock: Clock;

  constructor(options: { clock?: Clock; rateLimiter?: RateLimiterOptions; lowShare?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.lowShare = options.lowShare ?? 8;
    this.limiter = new RateLimiter(options.rateLimiter);
  }

  /** Queues `key` now (no-op if it is already waiting; promotes it if it waits in the low lane). */
  add(key: string): void {
    if (this.closed || this.dirty.has(key)) return;
    this.lowWaiting.delete(key);
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    if (!this.handToWaiter(key)) this.queue.push(key);
  }

  /**
   * Queues `key` behind every normally added key (a periodic re-check). No-op if the key already waits in
   * either lane; a key being processed is re-queued in the normal way when it is done, as with {@link add}.
   */
  addLow(key: string): void {
    if (this.closed || this.dirty.has(key) || this.lowWaiting.has(key)) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.handToWaiter(key)) return;
    this.lowWaiting.add(key);
    this.low.push(key);
  }

  private handToWaiter(key: string): boolean {
    const waiter = this.waiters.shift();
    if (!waiter) return false;
    this.dirty.delete(key);
    this.processing.add(key);
    waiter(key);
    return true;
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
    const key = this.next();
    if (key === undefined) return new Promise((resolve) => this.waiters.push(resolve));
    this.dirty.delete(key);
    this.processing.add(key);
    return Promise.resolve(key);
  }

  private next(): string | undefined {
    if (this.queue.length > 0 && (this.sinceLow < this.lowShare || this.lowWaiting.size === 0)) {
      this.sinceLow++;
      return this.queue.shift();
    }
    this.sinceLow = 0;
    for (let key = this.low.shift(); key !== undefined; key = this.low.shift()) {
      if (this.lowWaiting.delete(key)) return key;
    }
    return this.queue.shift();
  }

  /** Marks `key` finished; re-queues it if it was added while processing. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting in either lane (not counting delayed or in-flight ones). */
  len(): number {
    return this.queue.length + this.lowWaiting.size;
  }

  /** Keys waiting in the low-priority lane. */
  lowLen(): number {
    return this.lowWaiting.size;
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
