/**
 * Retry pacing for the work queue (client-go's default controller rate limiter): the delay for a key is the
 * larger of its own exponential backoff and a global token bucket, so one broken object backs off alone while
 * a storm of failures cannot hammer the API server.
 */
import { withDefaults } from './options.ts';

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** First retry delay. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap of the per-key backoff. Default 5 minutes. */
  maxDelayMs?: number;
  /** Global retries per second. Default 10. */
  qps?: number;
  /** Global burst. Default 100. */
  burst?: number;
}

/** Per-key exponential backoff combined with a global token bucket. */
export class RateLimiter {
  private readonly failures = new Map<string, number>();
  private tokens: number;
  private last: number | undefined;
  private readonly o: Required<RateLimiterOptions>;

  constructor(options: RateLimiterOptions = {}) {
    this.o = withDefaults({ baseDelayMs: 100, maxDelayMs: 300_000, qps: 10, burst: 100 }, options);
    this.tokens = this.o.burst;
  }

  /** Delay (ms) before `key` may be retried; counts one more failure for it. */
  when(key: string, now: number): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const backoff = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(n, 30));
    return Math.max(backoff, this.bucketDelay(now));
  }

  /** How many times `key` failed in a row. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Resets the key's backoff (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  private bucketDelay(now: number): number {
    if (this.last !== undefined) {
      this.tokens = Math.min(this.o.burst, this.tokens + ((now - this.last) / 1000) * this.o.qps);
    }
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.o.qps) * 1000);
  }
}
