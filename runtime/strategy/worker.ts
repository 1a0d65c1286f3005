/**
 * The body of a strategy's worker thread: loads the module, builds its context and runs callbacks one at a
 * time, in order. A thrown error (or rejected promise) is reported as `failed` — the host stops the strategy.
 */

import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { checkParamSpecs } from './params.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { Strategy, StrategyContext, StrategyPosition } from './sdk.ts';

const port = parentPort;
if (!port) throw new Error('strategy worker must run in a worker thread');
const post = (m: FromWorker) => port.postMessage(m);

let strategy: Strategy | undefined;
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
    setTimer: (name, ms) => post({ type: 'setTimer', name, ms: Math.max(100, ms) }),
    clearTimer: (name) => post({ type: 'clearTimer', name }),
    roundToTick: (price) => Math.round(price / init.tick) * init.tick,
    log: (message) => post({ type: 'log', level: 'info', message: String(message) }),
    warn: (message) => post({ type: 'log', level: 'warn', message: String(message) }),
  };
  return c;
}

/** The state as JSON when it changed since last reported (so the host journals it), else undefined. */
function changedState(): Record<string, unknown> | undefined {
  if (!ctx) return undefined;
  const s = JSON.stringify(ctx.state);
  if (s === lastState) return undefined;
  lastState = s;
  return JSON.parse(s) as Record<string, unknown>;
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'init') {
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
    await strategy.onInit?.(ctx);
    return;
  }
  if (!strategy || !ctx) throw new Error('strategy not initialised');
  switch (m.type) {
    case 'start':
      await strategy.onStart?.(ctx);
      trading = true;
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
port.on('message', (m: ToWorker) => {
  chain = chain.then(async () => {
    try {
      await handle(m);
      if (m.type === 'init' && m.describeOnly) return;
      const state = changedState();
      post({ type: 'done', seq: m.seq, ...(state ? { state } : {}) });
    } catch (e) {
      const err = e as Error;
      post({
        type: 'failed',
        seq: m.seq,
        message: `${m.type === 'init' ? 'loading' : `on${m.type[0]!.toUpperCase()}${m.type.slice(1)}`}: ${err?.stack ?? String(e)}`,
      });
    }
  });
});
