/**
 * The trading runtime's configuration file (`/etc/aurum/runtime.json`, from the ConfigMap the operator renders
 * out of a TradingPlatform). One schema, used by the operator to render it and by the runtime to parse it, so
 * the two cannot drift. Secrets are never in it: it names files where the Secrets are mounted.
 */
import { z } from 'zod';

export const RUNTIME_CONFIG_PATH = '/etc/aurum/runtime.json';

const instrument = z.string().regex(/^au\d{4}$/, 'an SHFE gold contract such as au2606');

export const CounterEndpointSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});

export const RuntimeConfigSchema = z.object({
  platform: z.object({
    name: z.string(),
    namespace: z.string(),
    investor: z.string(),
  }),
  counter: z.object({
    protocol: z.literal('fix44'),
    /** Tried in order; on failure the gateway fails over to the next. */
    endpoints: z.array(CounterEndpointSchema).min(1),
    senderCompId: z.string().min(1),
    targetCompId: z.string().min(1),
    accountId: z.string().min(1),
    /** Directory where the credentials Secret is mounted: files `password`, optionally `appId`, `authCode`. */
    credentialsDir: z.string().default('/etc/aurum/counter'),
    heartbeatSeconds: z.number().int().min(1).max(300).default(30),
  }),
  marketData: z.object({
    instruments: z.array(instrument).min(1),
  }),
  strategies: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
        /** Path of the mounted module source (from the strategy's ConfigMap). */
        file: z.string(),
        instruments: z.array(instrument).min(1),
        params: z.record(z.string(), z.unknown()).default({}),
        enabled: z.boolean().default(true),
      }),
    )
    .default([]),
  risk: z.object({
    maxOrderLots: z.number().int().positive().default(5),
    maxPositionLots: z.number().int().positive().default(20),
    maxOrdersPerSecond: z.number().int().positive().default(5),
    /** Per contract per day; SHFE treats 500 as abnormal trading, so the runtime never lets it get there. */
    maxCancelsPerDay: z.number().int().positive().max(499).default(400),
    priceBandTicks: z.number().int().positive().default(100),
    /** CNY; beyond it the runtime stops opening positions. */
    maxDailyLoss: z.number().positive().default(50000),
    /** Orders per account per trading day; an alert at 80%, refusal at the limit. */
    maxOrdersPerDay: z.number().int().positive().default(5000),
    /** Cancels of 300+ lots per contract per day; SHFE treats 50 as abnormal trading. */
    maxLargeCancelsPerDay: z.number().int().positive().max(49).default(40),
    /** Identical orders (contract, side, offset, price, lots) within this window raise an advisory alert. */
    duplicateWindowMs: z.number().int().min(0).default(1000),
    /**
     * `exchange` (default): orders only during SHFE sessions (and the night call auction). `always`: for a
     * counter simulator that trades around the clock; the counter still has the last word.
     */
    tradingHours: z.enum(['exchange', 'always']).default('exchange'),
    /** Exchange holidays (weekdays without trading), `YYYY-MM-DD`. */
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  }),
  api: z
    .object({
      port: z.number().int().default(8080),
      /** Where the users Secret (common/auth/users.ts) is mounted; also watched through the API when possible. */
      usersFile: z.string().default('/etc/aurum/users/users.json'),
    })
    .default({ port: 8080, usersFile: '/etc/aurum/users/users.json' }),
  journal: z
    .object({
      path: z.string().default('/var/lib/aurum/journal.db'),
      /**
       * SQLite `synchronous` in WAL mode. `NORMAL` (default) survives any crash of the runtime process
       * (SIGKILL, OOM) and keeps the fsync (a millisecond or more) off the tick-to-order path; an OS crash or
       * power loss may roll back the last commits: client order ids still never repeat (a new boot epoch is
       * fsynced at every start) and the start-up reconciliation with the counter settles what the journal
       * lost. `FULL` fsyncs every commit: nothing acted on is ever lost, at that fsync's latency per order.
       * See runtime/journal/journal.ts and docs/performance.md.
       */
      synchronous: z.enum(['FULL', 'NORMAL']).default('NORMAL'),
    })
    .default({ path: '/var/lib/aurum/journal.db', synchronous: 'NORMAL' }),
  latency: z
    .object({
      /**
       * Strategy workers spin on their tick lane instead of parking while ticks flow (they park again after
       * 5 s without a tick), and the engine thread waits up to 1 ms for a worker's answer to a tick. Saves
       * the thread wake-up per tick (tens of µs at the median, milliseconds at the tail on a shared machine)
       * at the price of one whole CPU core per running strategy while the market is open: for a pod with
       * dedicated cores (CPU requests = limits, whole cores). See docs/performance.md.
       */
      busyPoll: z.boolean().default(false),
    })
    .default({ busyPoll: false }),
  /**
   * What the runtime does when it keeps dying (runtime/strategy/crash-guard.ts). A strategy that made V8
   * abort the process is never restarted by itself (found from the crash report, whatever these say); after
   * `holdAfterCrashes` abnormal ends in a row without such a report (killed by the kernel, say), each within
   * `windowSeconds` of starting, no strategy starts by itself, so the investor can reach the runtime and see why.
   * 0 turns that off.
   */
  crashGuard: z
    .object({
      holdAfterCrashes: z.number().int().min(0).default(3),
      windowSeconds: z.number().int().positive().default(600),
    })
    .default({ holdAfterCrashes: 3, windowSeconds: 600 }),
});

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
export type RuntimeConfigInput = z.input<typeof RuntimeConfigSchema>;
