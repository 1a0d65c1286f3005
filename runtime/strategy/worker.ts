/**
 * The body of a strategy's worker thread: loads the module, builds its context and runs callbacks one at a
 * time, in order. A thrown error (or rejected promise) is reported as `failed` — the host stops the strategy.
 */

import { pathToFileURL } from 'node:url';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { confineStrategyThread } from './confine.ts';
import { strategyErrorText } from './error-text.ts';
import { logLine } from './log-line.ts';
import { checkParamSpecs } from './params.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { Strategy, StrategyContext, StrategyPosition, StrategyTick } from './sdk.ts';
import { type LaneBuffers, LaneReader, PARKED, WAKE } from './tick-lane.ts';
import { checkTimer, timerPeriod } from './timer-rules.ts';

const port = parentPort;
if (!port) throw new Error('strategy worker must run in a worker thread');
/**
 * Given by the host for a running strategy (not for upload validation): the tick lane, the reply port, and
 * whether to busy-poll the lane (see {@link pump}).
 */
const wiring = workerData as { lane: LaneBuffers; reply: MessagePort; busyPoll?: boolean } | undefined;
// Answers go through a port of their own, which the host can read synchronously (receiveMessageOnPort)
// while it waits for this worker to finish a tick: no event-loop wake-up on the engine thread.
const replyPort = wiring?.reply ?? port;
const post = (m: FromWorker) => replyPort.postMessage(m);
const busyPoll = wiring?.busyPoll === true;

/**
 * After the last tick, poll this long before parking in Atomics.wait. Short on purpose: on a machine without a
 * core to spare, a worker spinning for the next tick or message takes the CPU from the engine thread that is
 * journaling and sending the order it just made (two paired runs on the loaded 2-core benchmark VM: median
 * 1.6 and 2.0 ms with 0.2 ms, 1.2 and 1.5 ms with 0.02 ms). Deployments with cores to spare busy-poll.
 */
const SPIN_MS = 0.02;
/**
 * Longest park (or, busy-polling, longest spin) before the event loop gets a turn (timers, stdout, promises
 * of async callbacks).
 */
const PARK_MS = 20;
/**
 * Busy-polling: after this long without a tick (market closed, the midday break) the worker parks as in
 * the default mode, so a closed market costs no CPU; the first tick after it pays one wake-up.
 */
const BUSY_IDLE_MS = 5000;
/** State-only changes are reported this often (the host journals them about once a second anyway). */
const STATE_EVERY_MS = 250;

let strategy: Strategy | undefined;
/** What an error during `init` interrupted: loading the module, or its onInit. */
let initStep: 'loading' | 'onInit' = 'loading';
/** file: URLs of the strategy's directories, once known (error texts keep the frames in them). */
let strategyDirs: readonly string[] = [];
let ctx: StrategyContext | undefined;
let trading = false;
let lastState = '';
const positions: Record<string, StrategyPosition> = {};

function makeContext(init: Extract<ToWorker, { type: 'init' }>): StrategyContext {
  const first = init.instruments[0] ?? '';
  const order =
    (side: 'buy' | 'sell', offset: 'open' | 'close') =>
    (
      price: number,
      lots: number,
      opts: { instrument?: string; timeInForce?: 'day' | 'fak' | 'fok' } = {},
    ) => {
      if (!trading) {
        post({
          type: 'log',
          level: 'warn',
          message: `order held back (not trading): ${side} ${offset} ${lots} @ ${price}`,
        });
        return;
      }
      const state = changedState();
      post({
        type: 'order',
        order: {
          instrument: opts.instrument ?? first,
          side,
          offset,
          price,
          quantity: lots,
          timeInForce: opts.timeInForce ?? 'day',
        },
        ...(state ? { state } : {}),
        ...(triggerLane !== undefined ? { trigger: { lane: triggerLane, time: triggerTime } } : {}),
      });
    };
  const c: StrategyContext = {
    name: init.name,
    instruments: init.instruments,
    params: init.params,
    state: init.state,
    get trading() {
      return trading;
    },
    tick: init.tick,
    buy: order('buy', 'open'),
    sell: order('sell', 'close'),
    short: order('sell', 'open'),
    cover: order('buy', 'close'),
    cancelAll: () => post({ type: 'cancelAll' }),
    position: (instrument = first) => ({ ...(positions[instrument] ?? { long: 0, short: 0 }) }),
    setTimer: (name, ms) => {
      checkTimer(name, ms, timers);
      timers.add(name);
      post({ type: 'setTimer', name, ms: timerPeriod(ms) });
    },
    clearTimer: (name) => {
      timers.delete(name);
      post({ type: 'clearTimer', name });
    },
    roundToTick: (price) => Math.round(price / init.tick) * init.tick,
    log: (message) => post({ type: 'log', level: 'info', message: logLine(message) }),
    warn: (message) => post({ type: 'log', level: 'warn', message: logLine(message) }),
  };
  return c;
}

/** The strategy's timers, checked here, where it asks for them (timer-rules.ts); they run on the engine's thread. */
const timers = new Set<string>();

/** The persistent state's largest size as JSON text (1 MiB of characters). */
const MAX_STATE_CHARS = 1 << 20;

/** The state as JSON text when it changed since last reported (so the host journals it), else undefined. */
function changedState(): string | undefined {
  if (!ctx) return undefined;
  const s = JSON.stringify(ctx.state);
  if (s === lastState) return undefined;
  if (s.length > MAX_STATE_CHARS)
    throw new RangeError(
      `ctx.state is ${s.length} characters as JSON; at most ${MAX_STATE_CHARS} are kept (it is journaled whenever it changes): keep bulky data such as price history in ordinary variables`,
    );
  lastState = s;
  return s;
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'init') {
    strategyDirs = confineStrategyThread(m.file, (level, text) =>
      post({ type: 'log', level, message: logLine(text) }),
    );
    const mod = (await import(pathToFileURL(m.file).href)) as { default?: unknown };
    const s = mod.default as Strategy | undefined;
    if (!s || typeof s !== 'object')
      throw new Error('the module has no default export object (export default { onBar(ctx, bar) {...} })');
    for (const k of [
      'onInit',
      'onStart',
      'onStop',
      'onTick',
      'onBar',
      'onOrder',
      'onTrade',
      'onTimer',
    ] as const)
      if (s[k] !== undefined && typeof s[k] !== 'function') throw new Error(`${k} must be a function`);
    const bad = checkParamSpecs(s.params);
    if (bad) throw new Error(bad);
    strategy = s;
    if (m.describeOnly) {
      post({
        type: 'described',
        seq: m.seq,
        ...(s.params ? { params: JSON.parse(JSON.stringify(s.params)) } : {}),
      });
      return;
    }
    Object.assign(positions, m.positions);
    ctx = makeContext(m);
    lastState = JSON.stringify(ctx.state);
    initStep = 'onInit';
    await strategy.onInit?.(ctx);
    return;
  }
  if (!strategy || !ctx) throw new Error('strategy not initialised');
  switch (m.type) {
    case 'start':
      await strategy.onStart?.(ctx);
      trading = true;
      startLane();
      return;
    case 'stop':
      trading = false;
      await strategy.onStop?.(ctx);
      return;
    case 'params':
      (ctx as { params: Record<string, unknown> }).params = m.params;
      return;
    case 'tick':
      strategy.onTick?.(ctx, m.tick);
      return;
    case 'bar':
      strategy.onBar?.(ctx, m.bar);
      return;
    case 'order':
      strategy.onOrder?.(ctx, m.order);
      return;
    case 'trade': {
      const t = m.trade;
      positions[t.instrument] ??= { long: 0, short: 0 };
      const p = positions[t.instrument]!;
      const opening = t.offset === 'open';
      const leg: keyof StrategyPosition = opening === (t.side === 'buy') ? 'long' : 'short';
      p[leg] += opening ? t.quantity : -t.quantity;
      strategy.onTrade?.(ctx, t);
      return;
    }
    case 'timer':
      strategy.onTimer?.(ctx, m.name);
      return;
  }
}

// Callbacks run strictly one after another, in arrival order.
let chain: Promise<void> = Promise.resolve();
let failed = false;
function enqueue(m: ToWorker): void {
  // Every tick published before this message was sent is handed over before it (the host writes the lane
  // before it posts), so e.g. a parameter change never overtakes the ticks that preceded it.
  drainLane();
  chain = chain.then(async () => {
    if (failed) return;
    try {
      await handle(m);
      if (m.type === 'init' && m.describeOnly) return;
      const state = changedState();
      post({ type: 'done', seq: m.seq, ...(state ? { state } : {}) });
    } catch (e) {
      post({
        type: 'failed',
        seq: m.seq,
        message: `${m.type === 'init' ? initStep : `on${m.type[0]!.toUpperCase()}${m.type.slice(1)}`}: ${strategyErrorText(e, strategyDirs)}`,
      });
    }
  });
}
port.on('message', enqueue);

// The tick lane (./tick-lane.ts): ticks are read from shared memory, not from messages.
let reader: LaneReader | undefined;
let pumping = false;
let stateCheckedAt = 0;
/** performance.now() of the last tick handed over (busy-polling stops after BUSY_IDLE_MS without one). */
let lastTickAt = Number.NEGATIVE_INFINITY;
/**
 * The tick being handled by onTick (lane number, undefined outside onTick, and exchange time), carried by the orders
 * it sends (protocol.ts, OrderTrigger). Two numbers rather than an object: this runs for every tick, and an
 * object is only needed for the few that lead to an order.
 */
let triggerLane: number | undefined;
let triggerTime = 0;
function onLaneTick(t: StrategyTick, k: number): void {
  triggerLane = k;
  triggerTime = t.time;
  try {
    strategy?.onTick?.(ctx as StrategyContext, t);
  } finally {
    triggerLane = undefined;
  }
}

/** Hands every changed snapshot to onTick; a throw stops the strategy (reported like any callback's). */
function drainLane(): void {
  if (!reader || failed || !trading) return;
  try {
    if (reader.drain(onLaneTick) > 0) lastTickAt = performance.now();
  } catch (e) {
    failed = true;
    post({ type: 'failed', seq: -1, message: `onTick: ${strategyErrorText(e, strategyDirs)}` });
  }
}

function startLane(): void {
  if (!wiring || !ctx) return;
  reader ??= new LaneReader(wiring.lane, ctx.instruments);
  if (!pumping) setImmediate(pump);
}

/**
 * The worker's loop while trading: hand over ticks, spin briefly for the next one, then park in
 * Atomics.wait until the host rings (a tick or a control message). Control messages are taken here with
 * receiveMessageOnPort and queued like any other; the loop then returns to the event loop so they run.
 *
 * Busy-polling (`busyPoll` in workerData, the runtime's `latency.busyPoll`): while ticks flow, the worker
 * never parks; it spins on the lane's doorbell and gives its event loop a turn every PARK_MS. A parked
 * worker costs a futex wake-up per tick (40–60 µs at the median on the benchmark VM, milliseconds when the
 * woken thread then waits for a CPU); a spinning one sees the tick within a microsecond, at the price of
 * a whole core per strategy while the market is open (docs/performance.md).
 */
function pump(): void {
  pumping = true;
  const control = reader!.control;
  for (;;) {
    if (failed || !trading) break;
    const seen = Atomics.load(control, WAKE);
    drainLane();
    const now = performance.now();
    if (now - stateCheckedAt > STATE_EVERY_MS) {
      stateCheckedAt = now;
      try {
        const state = changedState();
        if (state) post({ type: 'done', seq: -1, state });
      } catch (e) {
        failed = true;
        post({ type: 'failed', seq: -1, message: `saving ctx.state: ${strategyErrorText(e, strategyDirs)}` });
        break;
      }
    }
    const m = receiveMessageOnPort(port!);
    if (m) {
      enqueue(m.message as ToWorker);
      // Come back once the queued callbacks (and any promise they start) have run.
      pumping = false;
      void chain.then(() => {
        if (!pumping) setImmediate(pump);
      });
      return;
    }
    const busy = busyPoll && now - lastTickAt < BUSY_IDLE_MS;
    const until = performance.now() + (busy ? PARK_MS : SPIN_MS);
    while (Atomics.load(control, WAKE) === seen && performance.now() < until);
    if (Atomics.load(control, WAKE) !== seen) continue;
    if (busy) {
      pumping = false;
      setImmediate(() => {
        if (!pumping) pump();
      });
      return;
    }
    // PARKED first, then Atomics.wait re-checks WAKE: a ring after this point either changed WAKE (the wait
    // returns at once) or sees PARKED and notifies.
    Atomics.store(control, PARKED, 1);
    const parked = Atomics.wait(control, WAKE, seen, PARK_MS);
    Atomics.store(control, PARKED, 0);
    if (parked === 'timed-out') {
      pumping = false;
      setImmediate(() => {
        if (!pumping) pump();
      });
      return;
    }
  }
  pumping = false;
}
