/**
 * Stops a strategy that has run away: one that sends orders in a loop. The risk engine refuses what passes its
 * limits, but it refuses each order on its own — and every refusal is journaled, logged and handed back to the
 * strategy's onOrder — so a strategy sending 20,000 orders per tick (a bug: a loop that never meets its exit)
 * would write tens of thousands of journal rows a second, for as long as the market is open. Exchanges and brokers
 * call this a kill switch; here it stops the strategy, like a crash, with the reason.
 *
 * Two signs, both far beyond what a working strategy does under the rate limit it trades with:
 *  - more orders reaching the engine at once than {@link RunawayLimits.maxBatch} (none of them is sent): the host
 *    hands over the orders a callback has posted by the time it reads them, usually all of them;
 *  - more than {@link RunawayLimits.maxRefusals} of its orders refused within one second.
 * Pure: the engine tells it what happened and when.
 */

export interface RunawayLimits {
  /** Orders that may reach the engine at once (what one callback posted, as far as the host has read it). */
  maxBatch: number;
  /** Refused orders within a second before the strategy is stopped. */
  maxRefusals: number;
}

/** The limits for a platform whose risk engine allows `maxOrdersPerSecond`: ten seconds' worth, at least 100/50. */
export function runawayLimits(maxOrdersPerSecond: number): RunawayLimits {
  return {
    maxBatch: Math.max(100, 10 * maxOrdersPerSecond),
    maxRefusals: Math.max(50, 10 * maxOrdersPerSecond),
  };
}

export class RunawayGuard {
  readonly #limits: RunawayLimits;
  /** Per strategy: times of refusals within the last second (one entry per refused order). */
  readonly #refusals = new Map<string, number[]>();

  constructor(limits: RunawayLimits) {
    this.#limits = limits;
  }

  /** Before a batch is submitted: why the strategy must be stopped instead, if the batch alone says so. */
  batch(size: number): string | undefined {
    return size > this.#limits.maxBatch
      ? `it asked for ${size} orders at once (at most ${this.#limits.maxBatch}); none was sent`
      : undefined;
  }

  /** After a batch: counts its refusals; why the strategy must be stopped, once they pass the limit. */
  refused(strategy: string, count: number, now: number, example: string): string | undefined {
    if (count <= 0) return undefined;
    const times = (this.#refusals.get(strategy) ?? []).filter((t) => t > now - 1000);
    for (let i = 0; i < count && times.length <= this.#limits.maxRefusals; i++) times.push(now);
    this.#refusals.set(strategy, times);
    return times.length > this.#limits.maxRefusals
      ? `more than ${this.#limits.maxRefusals} of its orders were refused within a second (${example})`
      : undefined;
  }

  /** Forgets a strategy's refusals (it was stopped). */
  forget(strategy: string): void {
    this.#refusals.delete(strategy);
  }
}
