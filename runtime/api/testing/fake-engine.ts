/**
 * An in-memory {@link TradingEnginePort} for the API's tests and for working on the dashboard without a
 * counter: a seeded random walk of gold prices, resting limit orders that fill when the market crosses them,
 * positions, funds, and one sample strategy (`ema-cross`) that trades on EMA crossings. Integer arithmetic
 * throughout: prices in fen (0.01 CNY) per gram, money in fen; 1 lot = 1000 g.
 */
import type {
  AccountView,
  Actor,
  AlertView,
  BarView,
  EngineEvent,
  EquityPoint,
  ManualOrderRequest,
  OrderView,
  PositionView,
  Result,
  RiskStatusView,
  StrategiesPort,
  StrategyLogLine,
  StrategyView,
  TickView,
  TradeView,
  TradingEnginePort,
} from '../engine-port.ts';

const LOT_GRAMS = 1000;
const TICK_FEN = 2;
const fen = (p: string): number => Math.round(Number(p) * 100);
const money = (f: number): string => (f < 0 ? '-' : '') + (Math.abs(f) / 100).toFixed(2);

export interface FakeEngineOptions {
  instruments?: string[];
  /** Start price, fen per gram. Default 61234 (612.34 CNY/g). */
  startFen?: number;
  seed?: number;
  now?: () => number;
  /** Starting balance, fen. Default 1,000,000 CNY. */
  balanceFen?: number;
}

export interface FakeEngine extends TradingEnginePort {
  /** Advances the market one tick per instrument (fills crossing orders, runs running strategies). */
  step(): void;
  /** Steps on a timer; returns the stop function. */
  run(intervalMs: number): () => void;
  /** Raises an alert as the risk engine would. */
  alert(alert: Omit<AlertView, 'id' | 'time'>): void;
  /** Commands received, for assertions. */
  readonly commands: { kind: string; actor: string; detail?: unknown }[];
}

export function createFakeEngine(opts: FakeEngineOptions = {}): FakeEngine {
  const instruments = opts.instruments ?? ['au2606', 'au2608'];
  const now = opts.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  let seed = opts.seed ?? 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const listeners = new Set<(e: EngineEvent) => void>();
  const emit = (e: EngineEvent) => {
    for (const l of listeners) l(e);
  };
  const commands: FakeEngine['commands'] = [];

  const last = new Map<string, number>(instruments.map((i, n) => [i, (opts.startFen ?? 61234) + n * 150]));
  const ticks = new Map<string, TickView>();
  const bars = new Map<string, BarView[]>(instruments.map((i) => [i, []]));
  const orders: OrderView[] = [];
  const trades: TradeView[] = [];
  const pos = new Map<
    string,
    { long: number; short: number; longCost: number; shortCost: number; realized: number }
  >();
  const equity: EquityPoint[] = [];
  const alerts: AlertView[] = [];
  let balance = opts.balanceFen ?? 100_000_000;
  let commission = 0;
  let paused = false;
  let pauseReason: string | undefined;
  let seq = 0;
  const cancels: Record<string, number> = {};

  const strategies = new Map<
    string,
    StrategyView & { ema?: { fast: number; slow: number; prev?: number }; log: StrategyLogLine[] }
  >();
  strategies.set('ema-cross', {
    name: 'ema-cross',
    instruments: [instruments[0]!],
    params: { fast: 3, slow: 8, lots: 1 },
    paramsSchema: {
      type: 'object',
      properties: {
        fast: { type: 'integer', minimum: 1 },
        slow: { type: 'integer', minimum: 2 },
        lots: { type: 'integer', minimum: 1, maximum: 5 },
      },
    },
    state: 'stopped',
    source: 'configMap',
    enabled: true,
    log: [],
  });
  const view = (s: StrategyView & { log?: unknown; ema?: unknown }): StrategyView => {
    const { log: _l, ema: _e, ...v } = s;
    return structuredClone(v);
  };
  const slog = (name: string, message: string, level: StrategyLogLine['level'] = 'info') =>
    strategies.get(name)?.log.push({ time: iso(), level, message });

  function position(instrument: string): PositionView {
    const p = pos.get(instrument) ?? { long: 0, short: 0, longCost: 0, shortCost: 0, realized: 0 };
    const px = last.get(instrument) ?? 0;
    const unreal = (px * p.long - p.longCost + (p.shortCost - px * p.short)) * LOT_GRAMS;
    return {
      instrument,
      long: {
        today: p.long,
        yesterday: 0,
        avgPrice: p.long ? money(Math.round(p.longCost / p.long)) : undefined,
      },
      short: {
        today: p.short,
        yesterday: 0,
        avgPrice: p.short ? money(Math.round(p.shortCost / p.short)) : undefined,
      },
      realizedPnl: money(p.realized),
      unrealizedPnl: money(unreal),
      margin: money(Math.round(((p.long + p.short) * px * LOT_GRAMS * 16) / 100)),
    };
  }
  function account(): AccountView {
    const ps = instruments.map(position);
    const unreal = ps.reduce((a, p) => a + fen(p.unrealizedPnl), 0);
    const margin = ps.reduce((a, p) => a + fen(p.margin), 0);
    const realized = ps.reduce((a, p) => a + fen(p.realizedPnl), 0);
    return {
      accountId: '80001234',
      currency: 'CNY',
      balance: money(balance),
      available: money(balance + unreal - margin),
      margin: money(margin),
      realizedPnl: money(realized),
      unrealizedPnl: money(unreal),
      commission: money(commission),
      asOf: iso(),
    };
  }

  function fill(o: OrderView, pxFen: number): void {
    const qty = o.quantity - o.filledQuantity;
    o.filledQuantity = o.quantity;
    o.avgFillPrice = money(pxFen);
    o.status = 'filled';
    o.updatedAt = iso();
    const p = pos.get(o.instrument) ?? { long: 0, short: 0, longCost: 0, shortCost: 0, realized: 0 };
    const fee = 1000 * qty;
    commission += fee;
    balance -= fee;
    if (o.offset === 'open') {
      if (o.side === 'buy') {
        p.long += qty;
        p.longCost += pxFen * qty;
      } else {
        p.short += qty;
        p.shortCost += pxFen * qty;
      }
    } else if (o.side === 'sell' && p.long > 0) {
      const avg = p.longCost / p.long;
      const pnl = Math.round((pxFen - avg) * qty * LOT_GRAMS);
      p.realized += pnl;
      balance += pnl;
      p.longCost -= avg * qty;
      p.long -= qty;
    } else if (o.side === 'buy' && p.short > 0) {
      const avg = p.shortCost / p.short;
      const pnl = Math.round((avg - pxFen) * qty * LOT_GRAMS);
      p.realized += pnl;
      balance += pnl;
      p.shortCost -= avg * qty;
      p.short -= qty;
    }
    pos.set(o.instrument, p);
    const t: TradeView = {
      tradeId: `T${++seq}`,
      clOrdId: o.clOrdId,
      instrument: o.instrument,
      side: o.side,
      offset: o.offset,
      price: money(pxFen),
      quantity: qty,
      commission: money(fee),
      time: iso(),
      origin: o.origin,
    };
    trades.unshift(t);
    emit({ type: 'order', order: { ...o } });
    emit({ type: 'trade', trade: t });
    emit({ type: 'position', position: position(o.instrument) });
    emit({ type: 'account', account: account() });
    for (const s of strategies.values())
      if (s.name === o.origin) slog(s.name, `filled ${o.side} ${qty} @ ${money(pxFen)}`);
  }

  function place(req: ManualOrderRequest, origin: string): Result<OrderView> {
    if (paused)
      return {
        ok: false,
        code: 'RISK_PAUSED',
        message: `Trading is paused (${pauseReason}); resume first.`,
      };
    if (!instruments.includes(req.instrument))
      return {
        ok: false,
        code: 'INVALID_INSTRUMENT',
        message: `${req.instrument} is not a subscribed contract.`,
      };
    if (fen(req.price) % TICK_FEN !== 0)
      return {
        ok: false,
        code: 'PRICE_OFF_TICK',
        message: `Price ${req.price} is not on the 0.02 tick grid.`,
      };
    if (req.quantity > 5)
      return { ok: false, code: 'QUANTITY_ABOVE_LIMIT', message: 'At most 5 lots per order.' };
    const o: OrderView = {
      clOrdId: `C${now().toString(36)}${(++seq).toString(36)}`,
      orderId: `O${seq}`,
      instrument: req.instrument,
      side: req.side,
      offset: req.offset,
      price: money(fen(req.price)),
      quantity: req.quantity,
      filledQuantity: 0,
      status: 'new',
      timeInForce: req.timeInForce ?? 'day',
      origin,
      createdAt: iso(),
      updatedAt: iso(),
    };
    orders.unshift(o);
    emit({ type: 'order', order: { ...o } });
    return { ok: true, value: { ...o } };
  }

  function runStrategies(instrument: string, px: number): void {
    for (const s of strategies.values()) {
      if (s.state !== 'running' || s.instruments[0] !== instrument) continue;
      const { fast, slow, lots } = s.params as { fast: number; slow: number; lots: number };
      s.ema ??= { fast: px, slow: px };
      const e = s.ema;
      e.fast += ((px - e.fast) * 2) / (fast + 1);
      e.slow += ((px - e.slow) * 2) / (slow + 1);
      const sign = Math.sign(e.fast - e.slow);
      if (e.prev !== undefined && sign !== 0 && sign !== e.prev) {
        const buy = sign > 0;
        const p = pos.get(instrument);
        const offset = (buy ? p?.short : p?.long) ? 'close' : 'open';
        const price = money(buy ? px + TICK_FEN : px - TICK_FEN);
        slog(
          s.name,
          `EMA cross ${buy ? 'up' : 'down'}: ${buy ? 'buy' : 'sell'} ${lots} ${offset} @ ${price}`,
        );
        place({ instrument, side: buy ? 'buy' : 'sell', offset, price, quantity: lots }, s.name);
      }
      if (sign !== 0) e.prev = sign;
    }
  }

  function step(): void {
    for (const instrument of instruments) {
      const px = Math.max(TICK_FEN, last.get(instrument)! + (Math.floor(rand() * 7) - 3) * TICK_FEN);
      last.set(instrument, px);
      const t: TickView = {
        instrument,
        time: iso(),
        lastPrice: money(px),
        bidPrice: money(px - TICK_FEN),
        bidSize: 1 + Math.floor(rand() * 20),
        askPrice: money(px + TICK_FEN),
        askSize: 1 + Math.floor(rand() * 20),
        volume: (ticks.get(instrument)?.volume ?? 0) + Math.floor(rand() * 30),
      };
      ticks.set(instrument, t);
      emit({ type: 'tick', tick: t });
      const list = bars.get(instrument)!;
      const minute = new Date(Math.floor(now() / 60_000) * 60_000).toISOString();
      const b = list.at(-1);
      if (b && b.time === minute) {
        b.high = money(Math.max(fen(b.high), px));
        b.low = money(Math.min(fen(b.low), px));
        b.close = money(px);
        b.volume += 1;
      } else
        list.push({
          instrument,
          time: minute,
          open: money(px),
          high: money(px),
          low: money(px),
          close: money(px),
          volume: 1,
        });
      emit({ type: 'bar', bar: { ...list.at(-1)! } });
      for (const o of orders) {
        if (o.instrument !== instrument || (o.status !== 'new' && o.status !== 'partiallyFilled')) continue;
        if (
          (o.side === 'buy' && fen(o.price) >= px + TICK_FEN) ||
          (o.side === 'sell' && fen(o.price) <= px - TICK_FEN)
        )
          fill(o, o.side === 'buy' ? px + TICK_FEN : px - TICK_FEN);
      }
      runStrategies(instrument, px);
    }
    const point = { time: iso(), equity: money(balance + fen(account().unrealizedPnl)) };
    equity.push(point);
    emit({ type: 'equity', point });
  }

  function cancelOne(o: OrderView): boolean {
    if (o.status !== 'new' && o.status !== 'partiallyFilled') return false;
    o.status = 'cancelled';
    o.updatedAt = iso();
    cancels[o.instrument] = (cancels[o.instrument] ?? 0) + 1;
    emit({ type: 'order', order: { ...o } });
    return true;
  }

  const strategyPort: StrategiesPort = {
    list: () => [...strategies.values()].map(view),
    async upload(name, code, actor) {
      commands.push({ kind: 'upload', actor: actor.username, detail: name });
      if (!/export\s+default/.test(code))
        return {
          ok: false,
          code: 'STRATEGY_INVALID',
          message: 'The module has no default export (a strategy class).',
        };
      const existing = strategies.get(name);
      if (existing && existing.state === 'running')
        return { ok: false, code: 'STRATEGY_RUNNING', message: `Stop ${name} before replacing its code.` };
      const s = existing ?? {
        name,
        instruments: [instruments[0]!],
        params: { fast: 3, slow: 8, lots: 1 },
        state: 'stopped' as const,
        source: 'upload' as const,
        enabled: true,
        log: [],
      };
      s.source = 'upload';
      strategies.set(name, s);
      slog(name, `code uploaded by ${actor.username} (${code.length} bytes)`);
      emit({ type: 'strategy', strategy: view(s) });
      return { ok: true, value: view(s) };
    },
    async start(name, actor) {
      const s = strategies.get(name);
      if (!s) return { ok: false, code: 'STRATEGY_NOT_FOUND', message: `No strategy named ${name}.` };
      commands.push({ kind: 'start', actor: actor.username, detail: name });
      s.state = 'running';
      s.ema = undefined;
      slog(name, `started by ${actor.username}`);
      emit({ type: 'strategy', strategy: view(s) });
      return { ok: true, value: view(s) };
    },
    async stop(name, actor) {
      const s = strategies.get(name);
      if (!s) return { ok: false, code: 'STRATEGY_NOT_FOUND', message: `No strategy named ${name}.` };
      commands.push({ kind: 'stop', actor: actor.username, detail: name });
      s.state = 'stopped';
      slog(name, `stopped by ${actor.username}`);
      emit({ type: 'strategy', strategy: view(s) });
      return { ok: true, value: view(s) };
    },
    async setParams(name, params, actor) {
      const s = strategies.get(name);
      if (!s) return { ok: false, code: 'STRATEGY_NOT_FOUND', message: `No strategy named ${name}.` };
      const next = { ...s.params, ...params };
      for (const k of ['fast', 'slow', 'lots'])
        if (!Number.isInteger(next[k]) || (next[k] as number) < 1)
          return { ok: false, code: 'STRATEGY_PARAMS_INVALID', message: `${k} must be a positive integer.` };
      if ((next.fast as number) >= (next.slow as number))
        return { ok: false, code: 'STRATEGY_PARAMS_INVALID', message: 'fast must be smaller than slow.' };
      commands.push({ kind: 'params', actor: actor.username, detail: params });
      s.params = next;
      slog(name, `parameters changed by ${actor.username}: ${JSON.stringify(params)}`);
      emit({ type: 'strategy', strategy: view(s) });
      return { ok: true, value: view(s) };
    },
    logs: (name, limit = 200) => (strategies.get(name)?.log ?? []).slice(-limit),
  };

  const risk = (): RiskStatusView => ({
    paused,
    pauseReason,
    limits: {
      maxOrderLots: 5,
      maxPositionLots: 20,
      maxOrdersPerSecond: 5,
      maxCancelsPerDay: 400,
      priceBandTicks: 100,
      maxDailyLoss: 50000,
    },
    counters: {
      ordersToday: orders.length,
      cancelsToday: { ...cancels },
      ordersLastSecond: 0,
      selfTradesPrevented: 0,
      dailyPnl: account().realizedPnl,
    },
    alerts: [...alerts],
  });

  return {
    commands,
    step,
    run(intervalMs) {
      const t = setInterval(step, intervalMs);
      return () => clearInterval(t);
    },
    alert(a) {
      const full = { ...a, id: `A${++seq}`, time: iso() };
      alerts.unshift(full);
      emit({ type: 'alert', alert: full });
    },
    connection: () => ({ state: 'loggedOn', endpoint: '127.0.0.1:9878', since: new Date(0).toISOString() }),
    account,
    positions: () => instruments.filter((i) => pos.has(i)).map(position),
    orders: (f = {}) =>
      orders
        .filter(
          (o) =>
            (!f.activeOnly || ['pendingNew', 'new', 'partiallyFilled', 'pendingCancel'].includes(o.status)) &&
            (!f.instrument || o.instrument === f.instrument),
        )
        .slice(0, f.limit ?? 500)
        .map((o) => ({ ...o })),
    trades: (f = {}) =>
      trades.filter((t) => !f.instrument || t.instrument === f.instrument).slice(0, f.limit ?? 500),
    lastTicks: () => [...ticks.values()],
    bars: (instrument, limit = 500) => (bars.get(instrument) ?? []).slice(-limit),
    equityCurve: (limit = 1000) => equity.slice(-limit),
    async submitOrder(req, actor: Actor) {
      commands.push({ kind: 'submit', actor: actor.username, detail: req });
      return place(req, `manual:${actor.username}`);
    },
    async cancelOrder(clOrdId, actor) {
      commands.push({ kind: 'cancel', actor: actor.username, detail: clOrdId });
      const o = orders.find((x) => x.clOrdId === clOrdId);
      if (!o) return { ok: false, code: 'UNKNOWN_ORDER', message: `No order ${clOrdId}.` };
      if (!cancelOne(o))
        return { ok: false, code: 'ORDER_NOT_WORKING', message: `Order ${clOrdId} is ${o.status}.` };
      return { ok: true, value: { ...o } };
    },
    async cancelAll(instrument, actor) {
      commands.push({ kind: 'cancelAll', actor: actor.username, detail: instrument });
      let requested = 0;
      for (const o of orders) if ((!instrument || o.instrument === instrument) && cancelOne(o)) requested++;
      return { ok: true, value: { requested } };
    },
    async pause(reason, actor) {
      commands.push({ kind: 'pause', actor: actor.username, detail: reason });
      paused = true;
      pauseReason = reason;
      emit({ type: 'risk', paused, reason });
    },
    async resume(actor) {
      commands.push({ kind: 'resume', actor: actor.username });
      paused = false;
      pauseReason = undefined;
      emit({ type: 'risk', paused });
    },
    riskStatus: risk,
    strategies: strategyPort,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
