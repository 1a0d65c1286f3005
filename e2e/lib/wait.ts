/** Polling for e2e tests: cluster state changes asynchronously (controllers, kubelet, NetworkPolicies). */

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** give up after (default 120 s) */
  timeout?: number;
  /** pause between attempts (default 1 s) */
  interval?: number;
  /** what we wait for, used in the timeout error (default "condition") */
  describe?: string;
}

/**
 * Calls `predicate` until it returns a truthy value (returned) or the timeout passes (throws with the
 * description and the last value or error seen). Exceptions thrown by the predicate count as "not yet".
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeout = 120_000, interval = 1000, describe = 'condition' }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeout / 1000}s waiting for ${describe} (last: ${JSON.stringify(last)?.slice(0, 500)})`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
