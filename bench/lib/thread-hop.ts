/**
 * A micro-benchmark of the ways a tick can reach a strategy's worker thread and an answer come back, on this
 * machine (used to choose the strategy host's fast lane, and by runtime-latency as the machine's floor for
 * tick-to-order latency; see docs/performance.md). Run: `node bench/lib/thread-hop.ts [round trips]`, or call
 * {@link measureThreadHop}. Each mode does one round trip at a time:
 *
 * - `postMessage`: host posts, worker answers with postMessage; both sides wake through their event loop.
 * - `sab+wait`: host writes a counter in a SharedArrayBuffer and Atomics.notify; the worker parks in
 *   Atomics.wait (after a short spin) and answers by bumping another counter, which the host spin-polls.
 * - `sab+waitAsync`: as above, but the worker waits with Atomics.waitAsync (its event loop wakes it).
 * - `sab+wait, answer by port`: the worker answers with a MessagePort message the host takes synchronously
 *   with receiveMessageOnPort while it spins (the shape the strategy host uses for orders).
 *
 * The command line spins on the host until the answer comes. The strategy host spins only 0.3 ms, then takes
 * the answer from its event loop, and its ticks come at a fixed rate from a feeder thread; `port` mode does
 * the same with the options `spinMs` and `rate` (runtime-latency's floor). The difference is the tail: on the
 * 2-core benchmark VM a host spinning for a late answer holds one of the two cores the woken worker needs,
 * which turns a late wake-up into milliseconds (2026-12-03, 3,000 round trips at about 1,000/s: p99 2.1–3.3 ms
 * spinning to the end, 0.4–1.3 ms with the 0.3 ms spin; the medians alike, ~30 µs).
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { paceFeed } from './feeder.ts';
import { summarize } from './stats.ts';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { mode, sab, port } = workerData;
const c = new Int32Array(sab);
if (mode === 'postMessage') parentPort.on('message', (m) => parentPort.postMessage(m));
else if (mode === 'waitAsync') {
  let seen = 0;
  const loop = () => {
    const r = Atomics.waitAsync(c, 0, seen);
    const go = () => { seen = Atomics.load(c, 0); if (seen < 0) return; Atomics.store(c, 1, seen); loop(); };
    if (r.async) r.value.then(go); else go();
  };
  loop();
} else {
  let seen = 0;
  for (;;) {
    let v = Atomics.load(c, 0);
    for (let s = 0; v === seen && s < 2000; s++) v = Atomics.load(c, 0);
    if (v === seen) { Atomics.wait(c, 0, seen, 50); continue; }
    if (v < 0) break;
    seen = v;
    if (mode === 'port') port.postMessage(v);
    Atomics.store(c, 1, v);
  }
}
`;

/**
 * How the tick travels: `postMessage` both ways; `wait` (shared counter + Atomics.notify, worker in
 * Atomics.wait, host spin-polls a counter); `waitAsync` (the worker waits with Atomics.waitAsync); `port`
 * (as `wait`, the answer on a MessagePort read with receiveMessageOnPort: the strategy host's shape).
 */
export type ThreadHopMode = 'postMessage' | 'wait' | 'waitAsync' | 'port';

/** The modes, in the order the command line runs them. */
export const THREAD_HOP_MODES: readonly ThreadHopMode[] = ['postMessage', 'wait', 'waitAsync', 'port'];

/** One mode's round trips. */
export interface ThreadHopResult {
  mode: ThreadHopMode;
  /** Each round trip, host → worker → host, in µs, in the order answered. */
  samplesUs: number[];
  /**
   * Round trips per second achieved: with `rate`, as the feeder offered them (first due time to last start);
   * otherwise from the first start to the last answer and its pause.
   */
  perSecond: number;
}

/** How the round trips are paced and answered; the defaults are the command line's. */
export interface ThreadHopOptions {
  /** Pause after each answer, in ms (a timer, so at least that; default 1). Ignored with `rate`. */
  gapMs?: number;
  /**
   * Mode `port` only: start the round trips at this many per second from the benchmark's feeder thread
   * (./feeder.ts), which wakes this thread with a message as it wakes the engine in the latency runs, whether
   * or not the previous answer came (an answer completes every round trip started up to its number, as the
   * strategy's tick lane does). Default: one at a time, `gapMs` apart.
   */
  rate?: number;
  /**
   * Mode `port` only: the host spins at most this long (ms) reading the port with receiveMessageOnPort, then
   * takes the answer from its event loop (the strategy host spins 0.3 ms). Default: it spins until the answer
   * comes (or the 100 ms bound).
   */
  spinMs?: number;
}

/** A lost answer counts as this many ms (a lost wake-up shows as a 100 ms round trip instead of a hang). */
const BOUND_MS = 100;

/**
 * Measures `n` round trips host → worker → host in a fresh worker thread. By default one at a time with a
 * pause of `gapMs` after each (1 ms ≈ 1,000/s), so the worker parks between them as between ticks; see
 * {@link ThreadHopOptions} for the strategy host's own pacing and bounded spin.
 * @param mode how the tick travels (see {@link ThreadHopMode})
 * @param n round trips measured (a positive integer)
 * @throws RangeError on a bad `n`, or `rate`/`spinMs` with a mode other than `port`
 */
export async function measureThreadHop(
  mode: ThreadHopMode,
  n: number,
  o: ThreadHopOptions = {},
): Promise<ThreadHopResult> {
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new RangeError(`round trips must be a positive integer: ${n}`);
  if ((o.rate !== undefined || o.spinMs !== undefined) && mode !== 'port')
    throw new RangeError(`rate and spinMs model the strategy host: mode port only, not ${mode}`);
  const gapMs = o.gapMs ?? 1;
  const spinMs = o.spinMs ?? BOUND_MS;
  const sab = new SharedArrayBuffer(8);
  const c = new Int32Array(sab);
  const ch = new MessageChannel();
  const w = new Worker(WORKER, {
    eval: true,
    workerData: { mode, sab, port: ch.port2 },
    transferList: [ch.port2],
  });
  const out: number[] = [];
  // Round trips started and not yet answered (port mode): number → start.
  const pending = new Map<number, number>();
  let settled: (() => void) | undefined;
  const answer = (v: number) => {
    const now = performance.now();
    for (const [i, t0] of pending) {
      if (i > v) break;
      out.push((now - t0) * 1000);
      pending.delete(i);
    }
    if (pending.size === 0) settled?.();
  };
  const spin = (deadline: number) => {
    while (pending.size > 0 && performance.now() < deadline) {
      const m = receiveMessageOnPort(ch.port1);
      if (m) answer(m.message as number);
    }
  };
  let first: number | undefined;
  const start = (i: number) => {
    const t0 = performance.now();
    first ??= t0;
    pending.set(i, t0);
    Atomics.store(c, 0, i);
    Atomics.notify(c, 0);
    spin(t0 + spinMs);
    return t0;
  };
  // Answers the spin did not take arrive as events (as the strategy host's port listener takes them).
  const listening = mode === 'port' && spinMs < BOUND_MS;
  if (listening) ch.port1.on('message', (v: number) => answer(v));
  // Waits for the round trips started; one still unanswered after BOUND_MS more counts as lost (BOUND_MS).
  const drain = () =>
    new Promise<void>((resolve) => {
      const lost = () => {
        for (const t0 of pending.values()) out.push(Math.max(BOUND_MS, performance.now() - t0) * 1000);
        pending.clear();
        resolve();
      };
      if (!listening) {
        lost();
        return;
      }
      const give = setTimeout(lost, BOUND_MS);
      settled = () => {
        clearTimeout(give);
        settled = undefined;
        resolve();
      };
      if (pending.size === 0) settled();
    });
  try {
    await new Promise((r) => setTimeout(r, 200));
    if (o.rate !== undefined) {
      // The feeder's own span (from the first due time to the last delivery): the rate offered.
      const feed = await paceFeed(n, o.rate, (k) => {
        start(k + 1);
      });
      await drain();
      return { mode, samplesUs: out, perSecond: n / (feed.ms / 1000) };
    } else {
      for (let i = 1; i <= n; i++) {
        let t0: number;
        if (mode === 'postMessage') {
          t0 = performance.now();
          await new Promise<void>((r) => {
            w.once('message', () => r());
            w.postMessage(i);
          });
          out.push((performance.now() - t0) * 1000);
        } else if (mode === 'port') {
          t0 = start(i);
          await drain();
        } else {
          t0 = performance.now();
          Atomics.store(c, 0, i);
          Atomics.notify(c, 0);
          const deadline = t0 + BOUND_MS;
          while (Atomics.load(c, 1) !== i && performance.now() < deadline) {}
          out.push((performance.now() - t0) * 1000);
        }
        first ??= t0;
        // Let the worker park between round trips, as between ticks (1 ms apart at 1,000/s).
        await new Promise((r) => setTimeout(r, gapMs));
      }
    }
    return { mode, samplesUs: out, perSecond: n / ((performance.now() - (first ?? 0)) / 1000) };
  } finally {
    Atomics.store(c, 0, -1);
    Atomics.notify(c, 0);
    ch.port1.close();
    await w.terminate();
  }
}

if (import.meta.main) {
  const n = Number(process.argv[2] ?? 2000);
  for (const mode of THREAD_HOP_MODES) {
    const { samplesUs } = await measureThreadHop(mode, n);
    const s = summarize(samplesUs);
    console.log(
      `${mode.padEnd(12)} round trip µs: p50 ${s.p50.toFixed(1)}  p90 ${s.p90.toFixed(1)}  p99 ${s.p99.toFixed(1)}  (n=${n})`,
    );
  }
}
