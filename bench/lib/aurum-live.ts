/**
 * Tick-to-order latency inside the Aurum runtime: the real engine (runtime/engine.ts) with its journal,
 * OMS, risk engine and strategy host, the sample EMA-crossover strategy in its worker thread, and a
 * {@link RecordingGateway} in place of the FIX connection.
 *
 * Measured per order: from the instant a snapshot is handed to the engine (the gateway's tick event, as
 * the FIX gateway raises it: "ingestion", the headline's "tick in") to the instant the resulting order is
 * handed to the gateway's `sendOrder`; also from the snapshot's scheduled arrival (adds the feeder's and the
 * engine thread's wake-up, which a socket read would cost too).
 * In between: tick dispatch → the strategy host's tick lane (shared memory) to the strategy's worker thread
 * → onTick → order message back on the worker's reply port (taken synchronously while the host waits for
 * the tick to be done, or on the next event-loop turn) → risk checks → OMS (journal commit: write-ahead,
 * before the hand-over) → gateway. Ticks are offered at a fixed rate by a feeder thread (./feeder.ts): the engine's thread sleeps in
 * its event loop between ticks and wakes on the feed's message, as on a socket read in production.
 *
 * Which tick caused an order: the runtime says so. An order the strategy sends from onTick carries the
 * tick's sequence number on the strategy's tick lane (runtime/strategy/protocol.ts, OrderTrigger); during
 * the hand-over `host.submitting()` names it, and the harness maps lane numbers to its own tick indexes as
 * it delivers them. Exact, also when the worker was conflated (it then acts on the newest tick only).
 * Orders without a trigger were sent from onOrder/onTrade — caused by a fill (the second leg of a
 * reversal: the entry once the close is filled) — and are counted apart: they are not tick-to-order. As a
 * sanity check the triggering ticks are compared with the referee's decisions (./ema-cross.ts).
 *
 * Draining: after the feed, a parameter update (same values) is sent to the strategy; the host answers it
 * only once the worker has handled every message before it, i.e. every tick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../common/log.ts';
import { RuntimeConfigSchema } from '../../common/runtime-config.ts';
import { beijingToEpoch } from '../../common/shfe/index.ts';
import type { Tick } from '../../runtime/domain/types.ts';
import { createEngine, type TradingEngine } from '../../runtime/engine.ts';
import { openJournal } from '../../runtime/journal/journal.ts';
import { signalEvents } from './ema-cross.ts';
import { paceFeed } from './feeder.ts';
import { RecordingGateway } from './recording-gateway.ts';

/** The sample strategy every engine runs. */
export const EMA_CROSS_FILE = resolve(import.meta.dirname, '../../examples/strategies/ema-cross.js');
const NAME = 'bench';
/** The sample's default, set explicitly because the attribution below depends on it. */
const SLIPPAGE_TICKS = 2;

/** Options of {@link measureLatency}. */
export interface LatencyRun {
  /** Snapshots, in order (one instrument). */
  ticks: Tick[];
  /** Offered load, snapshots per second. */
  rate: number;
  fast: number;
  slow: number;
  /** Journal durability (the runtime's default is NORMAL). */
  synchronous: 'FULL' | 'NORMAL';
  /** Directory for the run's journal (a fresh subdirectory is made and removed). */
  dir: string;
  /** Give up waiting for the strategy to drain its queue after this long. Default 120 s. */
  drainTimeoutMs?: number;
  /** The runtime's `latency.busyPoll` (default false, as deployed). */
  busyPoll?: boolean;
}

/** What one run measured. Latencies in microseconds. */
export interface LatencyResult {
  /**
   * Orders sent from onTick, from the instant the feed handed their tick to the engine ("tick in") to the
   * hand-over to the gateway: the runtime's tick-to-order latency.
   */
  fromIngestUs: Float64Array;
  /**
   * The same orders from the tick's scheduled arrival (its place in the paced feed): adds the feeder
   * thread's and the engine thread's wake-ups and any wait for the engine thread, as in a socket buffer.
   */
  latenciesUs: Float64Array;
  /** Orders sent from onOrder/onTrade (caused by a fill, e.g. a reversal's entry after its close): no tick. */
  fillCaused: number;
  /** Tick-caused orders whose tick is one where the referee (./ema-cross.ts) decides too. */
  refereeAgrees: number;
  /** Ticks the strategy's worker skipped by conflation (it was more than half a ring behind). */
  conflated: number;
  /** CPU time of the whole process (all threads, the feeder's included) per wall second of the feed. */
  cpuCores: number;
  /**
   * Snapshots per second the engine's thread actually took in (the feeder offers them on schedule; a busy
   * engine thread takes them in later, and that wait is part of the latency from scheduled arrival).
   */
  ingestRate: number;
  ticksOffered: number;
  orders: number;
  /** True when the strategy did not finish every tick within the drain timeout. */
  drainTimedOut: boolean;
  /** The strategy's state at the end (`running`, or `failed` with the reason). */
  strategyState: string;
  /** Orders whose trigger names a lane number the harness never delivered (a bug if ever non-zero). */
  unattributed: number;
  /** Orders the risk engine refused, by error code. */
  refusals: Record<string, number>;
  /**
   * The runtime's own figure for the same thing, its `aurum_runtime_tick_to_order_seconds` histogram (from the
   * engine's tick handler rather than the gateway's tick event): orders counted and their mean, µs.
   */
  ownHistogram: { count: number; meanUs: number };
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Runs the engine over `ticks` at `rate` and returns every order's tick-to-order latency. */
export async function measureLatency(o: LatencyRun): Promise<LatencyResult> {
  const dir = mkdtempSync(join(o.dir, 'latency-'));
  // An in-session wall clock (Monday 2026-03-02 09:00:30 Beijing, then real time), so the risk engine's
  // trading-hours and contract-listing checks pass whatever the time of day the benchmark runs.
  const base = beijingToEpoch('2026-03-02', 9 * 60, 30);
  const started = Date.now();
  const now = () => base + (Date.now() - started);
  const config = RuntimeConfigSchema.parse({
    platform: { name: 'bench', namespace: 'bench', investor: 'bench' },
    counter: {
      protocol: 'fix44',
      endpoints: [{ host: '127.0.0.1', port: 1 }],
      senderCompId: 'B',
      targetCompId: 'C',
      accountId: 'BENCH',
    },
    marketData: { instruments: [o.ticks[0]?.instrument ?? 'au2606'] },
    strategies: [
      {
        name: NAME,
        file: EMA_CROSS_FILE,
        instruments: [o.ticks[0]?.instrument ?? 'au2606'],
        params: { fast: o.fast, slow: o.slow, lots: 1, useTicks: true, slippageTicks: SLIPPAGE_TICKS },
      },
    ],
    // Production defaults except the limits that exist to stop a real account trading this often, and the
    // lot limits: when fills reach the strategy late, the sample strategy (which counts filled lots only)
    // builds a position of several lots and then closes it in one order, which maxOrderLots (default 5) would
    // refuse for the rest of the run, leaving no orders to time.
    risk: {
      maxOrdersPerSecond: 1_000_000,
      maxOrdersPerDay: 100_000_000,
      maxDailyLoss: 1e12,
      maxPositionLots: 1000,
      maxOrderLots: 1000,
    },
    journal: { path: join(dir, 'journal.db'), synchronous: o.synchronous },
    latency: { busyPoll: o.busyPoll ?? false },
  });
  const journal = openJournal(config.journal.path, { synchronous: o.synchronous, now });
  const n = o.ticks.length;
  const tIn = new Float64Array(n);
  const tSched = new Float64Array(n);
  const lat: number[] = [];
  const fromIngest: number[] = [];
  // Lane sequence number → tick index (the lane counts from 1 per worker start; one strategy, one run).
  const laneToTick = new Int32Array(n + 2).fill(-1);
  let unattributed = 0;
  let fillCaused = 0;
  let refereeAgrees = 0;
  const decided = new Set(signalEvents(o.ticks, o.fast, o.slow).map((d) => d.index));
  let engineRef: TradingEngine | undefined;
  const gateway = new RecordingGateway({
    now,
    onOrder: (_order, at) => {
      const trigger = engineRef?.host.submitting()?.trigger;
      if (!trigger) {
        fillCaused++;
        return;
      }
      const k = trigger.lane >= 0 && trigger.lane < laneToTick.length ? laneToTick[trigger.lane]! : -1;
      if (k < 0) {
        unattributed++;
        return;
      }
      if (decided.has(k)) refereeAgrees++;
      lat.push((at - tSched[k]!) * 1000);
      fromIngest.push((at - tIn[k]!) * 1000);
    },
  });
  const engine = createEngine({
    config,
    journal,
    gateway,
    logger: createLogger('bench', { level: 'silent' }),
    now,
    // Raised so an overloaded strategy queue is measured rather than terminated as "stuck".
    watchdogMs: 3_600_000,
  });
  engineRef = engine;
  try {
    await engine.start();
    const deadline = Date.now() + 10_000;
    while (
      (engine.host.get(NAME)?.state !== 'running' || engine.account().available === '0.00') &&
      Date.now() < deadline
    )
      await nextTurn();
    if (engine.host.get(NAME)?.state !== 'running')
      throw new Error(`strategy did not start: ${JSON.stringify(engine.host.get(NAME))}`);

    const cpu0 = process.cpuUsage();
    const feed = await paceFeed(n, o.rate, (k, scheduledAt) => {
      tSched[k] = scheduledAt;
      // Mapped before the delivery: an order for this tick may be handed over before deliver() returns.
      const lane = (engine.host.lanePublished(NAME) ?? -2) + 1;
      if (lane >= 0 && lane < laneToTick.length) laneToTick[lane] = k;
      tIn[k] = performance.now();
      gateway.deliver({ type: 'tick', tick: o.ticks[k] as Tick });
    });
    const cpu = process.cpuUsage(cpu0);
    const feedMs = feed.ms; // until the engine thread took in the last tick
    const params = engine.host.get(NAME)?.params ?? {};
    const drained = await Promise.race([
      engine.host.setParams(NAME, params).then((r) => r.ok),
      new Promise<false>((r) => setTimeout(() => r(false), o.drainTimeoutMs ?? 120_000).unref()),
    ]);
    // Let the last fills reach the OMS.
    for (let k = 0; k < 10; k++) await nextTurn();
    const refusals: Record<string, number> = {};
    for (const v of (await engine.metrics.riskRejections.get()).values)
      refusals[String(v.labels.code)] = v.value;
    const own = { count: 0, sum: 0 };
    for (const v of (await engine.metrics.tickToOrder.get()).values) {
      if (v.metricName?.endsWith('_count')) own.count += v.value;
      if (v.metricName?.endsWith('_sum')) own.sum += v.value;
    }
    return {
      ownHistogram: { count: own.count, meanUs: own.count > 0 ? (own.sum / own.count) * 1e6 : Number.NaN },
      refusals,
      unattributed,
      fillCaused,
      refereeAgrees,
      conflated: engine.host.laneConflated(NAME) ?? 0,
      cpuCores: (cpu.user + cpu.system) / 1000 / feedMs,
      latenciesUs: Float64Array.from(lat),
      fromIngestUs: Float64Array.from(fromIngest),
      ingestRate: n / (feedMs / 1000),
      ticksOffered: n,
      orders: gateway.orders,
      drainTimedOut: !drained,
      strategyState: `${engine.host.get(NAME)?.state}${engine.host.get(NAME)?.error ? `: ${engine.host.get(NAME)?.error}` : ''}`,
    };
  } finally {
    await engine.stop();
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
