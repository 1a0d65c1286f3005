/**
 * Login throttling. Failures are counted per key (`user:<name>` and `ip:<address>`); once a key reaches its
 * threshold it is locked, and every further failure doubles the lock up to a ceiling. Failures older than the
 * window are forgotten. A success clears the username's count only, so an attacker who owns one account cannot
 * reset the counter of the address they guess other accounts from. Pure: time is passed in.
 */

export interface LockoutPolicy {
  /** Failures before the first lock. */
  threshold: number;
  /** First lock, ms; doubles per further failure. */
  baseMs: number;
  /** Longest lock, ms. */
  maxMs: number;
  /** Failures older than this are forgotten, ms. */
  windowMs: number;
}

/** Per username: 5 failures → 30 s, then 60 s, 120 s … up to 15 min. */
export const USER_POLICY: LockoutPolicy = {
  threshold: 5,
  baseMs: 30_000,
  maxMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};
/** Per source address: 20 failures (any usernames) → 60 s, doubling up to 30 min. */
export const ADDRESS_POLICY: LockoutPolicy = {
  threshold: 20,
  baseMs: 60_000,
  maxMs: 30 * 60_000,
  windowMs: 30 * 60_000,
};

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export interface LockState {
  locked: boolean;
  /** When locked: milliseconds until another attempt is allowed. */
  retryAfterMs: number;
  /** When locked: which key. */
  key?: string;
}

export class Lockout {
  readonly #entries = new Map<string, Entry>();
  readonly #policies: (key: string) => LockoutPolicy;

  /** @param policies picks the policy for a key; default: `user:` keys {@link USER_POLICY}, others {@link ADDRESS_POLICY} */
  constructor(policies?: (key: string) => LockoutPolicy) {
    this.#policies = policies ?? ((k) => (k.startsWith('user:') ? USER_POLICY : ADDRESS_POLICY));
  }

  #live(key: string, now: number): Entry | undefined {
    const e = this.#entries.get(key);
    if (e && now - e.lastFailure > this.#policies(key).windowMs && e.lockedUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Whether any of the keys is locked now; the longest wait wins. */
  check(keys: string[], now: number): LockState {
    let worst: LockState = { locked: false, retryAfterMs: 0 };
    for (const key of keys) {
      const e = this.#live(key, now);
      if (e && e.lockedUntil > now && e.lockedUntil - now > worst.retryAfterMs)
        worst = { locked: true, retryAfterMs: e.lockedUntil - now, key };
    }
    return worst;
  }

  /** Records a failure against every key. */
  fail(keys: string[], now: number): void {
    for (const key of keys) {
      const p = this.#policies(key);
      const e = this.#live(key, now) ?? { failures: 0, lastFailure: now, lockedUntil: 0 };
      e.failures++;
      e.lastFailure = now;
      if (e.failures >= p.threshold) {
        const lockMs = Math.min(p.maxMs, p.baseMs * 2 ** (e.failures - p.threshold));
        e.lockedUntil = now + lockMs;
      }
      this.#entries.set(key, e);
    }
  }

  /** Clears a key after a successful login. */
  clear(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops forgotten entries (call now and then so the map cannot grow without bound). */
  prune(now: number): void {
    for (const key of [...this.#entries.keys()]) this.#live(key, now);
  }
}
