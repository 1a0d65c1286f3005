/**
 * Tick-to-order latency inside the Aurum runtime: the real engine (runtime/engine.ts) with its journal,
 * OMS, risk engine and strategy host, the sample EMA-crossover strategy in its worker thread, and a
 * {@link RecordingGateway} in place of the FIX connection.
 *
 * Measured per order: from the instant a snapshot is handed to the engine (the gateway's tick event, as
 * the FIX gateway raises it) to the instant the resulting order is handed to the gateway's `sendOrder`.
 * In between: tick dispatch → the strategy host's tick lane (shared memory) to the strategy's worker thread
 * → onTick → order message back on the worker's reply port (taken synchronously while the host waits for
 * the tick to be done, or on the next event-loop turn) → risk checks → OMS (journal commit: write-ahead,
 * before the hand-over) → gateway. Ticks are offered at a fixed rate by a feeder thread (./feeder.ts): the engine's thread sleeps in
 * its event loop between ticks and wakes on the feed's message, as on a socket read in production.
 *
 * Which tick caused an order: the sample strategy is deterministic, so the referee (./ema-cross.ts, the same
 * floating-point steps) lists every decision in advance: tick index, side and last price. A strategy order
 * carries that side and last price ± `slippageTicks` ticks; orders are matched, in order, to the first
 * decision not yet passed that has the same side and price and whose tick was already delivered. (A decision
 * can yield no order — e.g. already long — or two: cover then buy.) Nothing inside the runtime is hooked.
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
import { createEngine } from '../../runtime/engine.ts';
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
}

/** What one run measured. Latencies in microseconds. */
export interface LatencyResult {
  /**
   * From the tick's scheduled arrival (its place in the paced feed) to the hand-over: includes any time the
   * tick waited because the main thread was busy, as it would wait in a socket buffer. The honest figure.
   */
  latenciesUs: Float64Array;
  /** From the instant the feed actually handed the tick to the engine (excludes that wait). */
  fromIngestUs: Float64Array;
  /**
   * `latenciesUs` of first legs only: the first order of each decision, sent from onTick itself. A reversal's
   * second order (the open after the close) is sent once the close is filled, so its latency also holds the
   * gateway's fill and the trade update's way to the strategy; it stays in `latenciesUs`.
   */
  firstLegUs: Float64Array;
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
  /** Orders whose causing tick could not be identified (left out of the latencies). */
  unattributed: number;
  /** Orders the risk engine refused, by error code. */
  refusals: Record<string, number>;
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
  });
  const journal = openJournal(config.journal.path, { synchronous: o.synchronous, now });
  const n = o.ticks.length;
  const tIn = new Float64Array(n);
  const tSched = new Float64Array(n);
  const lat: number[] = [];
  const fromIngest: number[] = [];
  const firstLeg: number[] = [];
  let lastDecision = -1;
  let delivered = 0;
  let unattributed = 0;
  const decisions = signalEvents(o.ticks, o.fast, o.slow);
  let next = 0; // first decision not yet passed
  const slip = SLIPPAGE_TICKS * 2;
  const gateway = new RecordingGateway({
    now,
    onOrder: (order, at) => {
      const side = order.side === 'buy' ? 'long' : 'short';
      const last = order.side === 'buy' ? order.price - slip : order.price + slip;
      let j = next;
      while (
        j < decisions.length &&
        decisions[j]!.index < delivered &&
        (decisions[j]!.side !== side || decisions[j]!.lastPrice !== last)
      )
        j++;
      const d = decisions[j];
      if (!d || d.index >= delivered) {
        unattributed++;
        return;
      }
      next = j;
      if (j !== lastDecision) firstLeg.push((at - tSched[d.index]!) * 1000);
      lastDecision = j;
      lat.push((at - tSched[d.index]!) * 1000);
      fromIngest.push((at - tIn[d.index]!) * 1000);
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

    const feed = await paceFeed(n, o.rate, (k, scheduledAt) => {
      tSched[k] = scheduledAt;
      tIn[k] = performance.now();
      gateway.deliver({ type: 'tick', tick: o.ticks[k] as Tick });
      delivered = k + 1;
    });
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
    return {
      refusals,
      unattributed,
      latenciesUs: Float64Array.from(lat),
      fromIngestUs: Float64Array.from(fromIngest),
      firstLegUs: Float64Array.from(firstLeg),
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
