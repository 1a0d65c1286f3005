/**
 * The trading engine facade: wires journal → gateway → OMS/risk → strategy host, and implements the port
 * the investor API uses (runtime/api/engine-port.ts). Wiring only; the logic lives in the modules.
 */
import { dirname, join } from 'node:path';
import type { Logger } from '../common/log.ts';
import type { RuntimeConfig } from '../common/runtime-config.ts';
import { DEFAULT_AU_SPEC, formatDecimal2, makeCalendar, tradingDayOf } from '../common/shfe/index.ts';
import type * as Port from './api/engine-port.ts';
import { ERRORS, refuse } from './domain/errors.ts';
import type { Alert, Bar, Fill, Order, Tick } from './domain/types.ts';
import type { Gateway, GatewayEvent } from './gateway/gateway.ts';
import type { Journal } from './journal/journal.ts';
import { countStrategies, createEngineMetrics, type EngineMetrics } from './metrics.ts';
import { type OmsEvent, OrderManager } from './oms/order-manager.ts';
import { PositionBook } from './oms/positions.ts';
import { RiskEngine } from './risk/risk-engine.ts';
import { BarAggregator } from './strategy/bars.ts';
import { CrashGuard } from './strategy/crash-guard.ts';
import { takeFatalReports } from './strategy/fatal-reports.ts';
import { StrategyHost } from './strategy/host.ts';
import { RunawayGuard, runawayLimits } from './strategy/runaway-guard.ts';
import type { StrategyPosition } from './strategy/sdk.ts';
import { SourceWatch } from './strategy/source-watch.ts';
import * as V from './views.ts';

/** What {@link createEngine} needs. */
export interface EngineOptions {
  config: RuntimeConfig;
  journal: Journal;
  gateway: Gateway;
  logger: Logger;
  /** Clock, default Date.now. */
  now?: () => number;
  /** Strategy watchdog (ms), default 2000. */
  watchdogMs?: number;
  /** Strategy heap cap (MB), default 64. */
  strategyMemoryMb?: number;
  /**
   * Where Node writes its report when the process dies of a fatal error (./strategy/fatal-reports.ts): read
   * and emptied at start to find the strategy that brought the previous run down. Default: none read.
   */
  crashReportsDir?: string;
  /** How often the TradingPlatform's strategy files are compared with the versions in effect (ms), default 5000. */
  sourcePollMs?: number;
}

/** The engine: the API's port plus lifecycle and health. */
export interface TradingEngine extends Port.TradingEnginePort {
  /**
   * Recovers from the journal, starts the gateway and the enabled strategies (one after another; none after
   * `signal` is aborted — those stay meant to run, for the next start).
   */
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  /** Ready = counter logged on AND journal open. */
  health(): { ready: boolean; checks: Record<string, string> };
  metrics: EngineMetrics;
  /** Internal access for tests and benchmarks. */
  oms: OrderManager;
  host: StrategyHost;
}

const BARS_KEPT = 1440;
const EQUITY_KEPT = 5000;
const ALERTS_KEPT = 200;

/** Builds the engine. Nothing runs until {@link TradingEngine.start}. */
export function createEngine(opts: EngineOptions): TradingEngine {
  const { config, journal, gateway, logger } = opts;
  const now = opts.now ?? Date.now;
  const calendar = makeCalendar(config.risk.holidays);
  let seq = 0;
  const newId = () => `${now().toString(36)}-${++seq}`;
  const listeners = new Set<(e: Port.EngineEvent) => void>();
  const emit = (e: Port.EngineEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        logger.warn({ err }, 'event listener threw');
      }
    }
  };
  const metrics = createEngineMetrics();
  const lastTicks = new Map<string, Tick>();
  const bars = new Map<string, Bar[]>();
  const equity: Port.EquityPoint[] = [];
  const alerts: Alert[] = [];
  const aggregator = new BarAggregator();
  const book = new PositionBook(DEFAULT_AU_SPEC);
  const risk = new RiskEngine(config.risk, { instruments: config.marketData.instruments, calendar, newId });
  let dayKey = -1;
  /** Since when the counter connection has been down, and how many attempts failed (one alert per outage). */
  let outage: { since: number; failures: number } | undefined;
  /** This run's record (./strategy/crash-guard.ts), from start on. */
  let crashGuard: CrashGuard | undefined;

  /**
   * While a strategy's batch of orders is being submitted: when each of its orders was handed to the gateway
   * (tick-to-order metric). Undefined otherwise, so orders from elsewhere (the API) are not remembered.
   */
  let handedOver: Map<string, number> | undefined;
  const oms: OrderManager = new OrderManager({
    journal,
    gateway,
    risk,
    book,
    lastTick: (i) => lastTicks.get(i),
    now,
    newId,
    onEvent: (e) => onOms(e),
    onSent: (o) => handedOver?.set(o.clOrdId, performance.now()),
  });

  const runaway = new RunawayGuard(runawayLimits(config.risk.maxOrdersPerSecond));
  /** Stops a strategy that sends orders in a loop (runaway-guard.ts) and cancels what it has working. */
  function haltRunaway(strategy: string, why: string): void {
    runaway.forget(strategy);
    host.halt(strategy, `stopped as a runaway: ${why}`);
    oms.cancelAll(undefined, strategy);
    raise({
      id: newId(),
      time: now(),
      level: 'critical',
      code: 'STRATEGY_RUNAWAY',
      message: `Strategy ${strategy} was stopped: ${why}. Its working orders are being cancelled; start it again once it is fixed.`,
    });
  }

  const host = new StrategyHost({
    journal,
    uploadDir: join(dirname(config.journal.path), 'strategies'),
    submit: (strategy, requests) => {
      const tooMany = runaway.batch(requests.length);
      if (tooMany) return haltRunaway(strategy, tooMany);
      const sentAt = new Map<string, number>();
      handedOver = sentAt;
      let results: ReturnType<typeof oms.submitAll>;
      try {
        // The trigger (the tick the order was sent for) rides in the intent, so the journal's riskAccepted /
        // riskRejected record of the order says which tick caused it, at no extra write.
        results = oms.submitAll(
          requests.map(({ order: req, persistState, trigger }) => ({
            intent: { ...req, origin: strategy, ...(trigger ? { trigger } : {}) },
            ...(persistState ? { alsoJournal: persistState } : {}),
          })),
        );
      } finally {
        handedOver = undefined;
      }
      let refused = 0;
      let example = '';
      for (const r of results) {
        if (r.ok) continue;
        if (refused === 0) example = `${r.code}: ${r.message}`;
        refused++;
      }
      const ranAway = refused > 0 ? runaway.refused(strategy, refused, now(), example) : undefined;
      if (ranAway) haltRunaway(strategy, ranAway);
      results.forEach((r, i) => {
        if (r.ok) {
          metrics.orders.inc({ origin: 'strategy' });
          const receivedAt = requests[i]!.tickReceivedAt;
          if (receivedAt !== undefined)
            for (const o of r.value) {
              const sent = sentAt.get(o.clOrdId);
              if (sent !== undefined) metrics.tickToOrder.observe({ strategy }, (sent - receivedAt) / 1000);
            }
          return;
        }
        const req = requests[i]!.order;
        metrics.riskRejections.inc({ code: r.code });
        if (ranAway) return; // stopped: no one to tell, and one line says it all
        host.log(strategy, 'warn', `order refused: ${r.code}: ${r.message}`);
        // The strategy hears of its refused order as of any other (vn.py sends a REJECTED order too): a
        // strategy that counts the orders it has in flight can stop waiting for one that will never exist.
        // It never got a client order id, hence the empty one.
        host.dispatchOrder(strategy, {
          clOrdId: '',
          instrument: req.instrument,
          side: req.side,
          offset: req.offset,
          price: req.price,
          quantity: req.quantity,
          filledQuantity: 0,
          status: 'rejected',
          text: `${r.code}: ${r.message}`,
        });
      });
    },
    cancelAll: (strategy) => {
      oms.cancelAll(undefined, strategy);
    },
    positionsOf: (strategy) => strategyPositions(oms.fills(), strategy),
    onChange: (view) => {
      countStrategies(
        metrics.strategies,
        host.list().map((v) => v.state),
      );
      // A failed strategy is news for whoever watches the pod's log, not only for the investor's dashboard.
      if (view.state === 'failed') logger.warn({ strategy: view.name, error: view.error }, 'strategy failed');
      emit({ type: 'strategy', strategy: view });
    },
    watchdogMs: opts.watchdogMs ?? 2000,
    memoryMb: opts.strategyMemoryMb ?? 64,
    tick: DEFAULT_AU_SPEC.tick,
    busyPoll: config.latency.busyPoll,
    onWorker: (threadId, strategy, oldMb, upload) =>
      crashGuard?.noteWorker(threadId, strategy, oldMb, upload),
    onStarting: (strategy, starting) => crashGuard?.noteStarting(strategy, starting),
    now,
  });

  /**
   * A TradingPlatform strategy's file changed (its ConfigMap was edited): the new version is checked and, when
   * the strategy runs, it is restarted on it — its working orders cancelled, as at any stop, its state kept. A
   * version that does not load is refused with an alert and the running one goes on. A strategy the investor
   * replaced by an upload keeps the upload. False: busy starting or stopping, ask again later.
   */
  async function adoptNewSource(name: string): Promise<boolean> {
    const before = host.get(name);
    if (!before) return true;
    if (before.source !== 'configMap') {
      host.log(name, 'info', "the TradingPlatform's version changed; the uploaded version stays in effect");
      return true;
    }
    if (before.state === 'starting' || before.state === 'stopping') return false;
    const checked = await host.checkSource(name);
    journal.tx(() =>
      journal.append('strategySourceChanged', {
        name,
        ...(checked.ok ? {} : { refused: checked.message }),
      }),
    );
    if (!checked.ok) {
      raise({
        id: newId(),
        time: now(),
        level: 'warning',
        code: 'STRATEGY_SOURCE_REFUSED',
        message: `The TradingPlatform's new version of strategy ${name} was refused: ${checked.message} ${
          before.state === 'running'
            ? 'The running version goes on; its next start loads the file as it is then.'
            : 'Its next start loads the file as it is then.'
        }`,
      });
      return true;
    }
    const state = host.get(name)?.state;
    if (state !== 'running') {
      host.log(name, 'info', 'new version from the TradingPlatform checked; it runs from the next start');
      return true;
    }
    await host.stop(name);
    oms.cancelAll(undefined, name);
    const started = await host.start(name);
    raise({
      id: newId(),
      time: now(),
      level: started.ok ? 'info' : 'warning',
      code: started.ok ? 'STRATEGY_RELOADED' : 'STRATEGY_RELOAD_FAILED',
      message: started.ok
        ? `Strategy ${name} restarted on the TradingPlatform's new version (its working orders were cancelled; its state is kept).`
        : `Strategy ${name} was stopped for the TradingPlatform's new version, which then failed to start: ${started.message}`,
    });
    return true;
  }
  const sourceWatch = new SourceWatch({
    files: () =>
      host.list().flatMap((v) => {
        const file = config.strategies.find((s) => s.name === v.name)?.file;
        return file ? [{ name: v.name, file }] : [];
      }),
    onChange: (name) => adoptNewSource(name),
    intervalMs: opts.sourcePollMs ?? 5000,
  });

  /** Reads how the previous run ended and holds back the strategies that would bring this one down too. */
  function holdCrashers(): void {
    const reports = opts.crashReportsDir ? takeFatalReports(opts.crashReportsDir) : [];
    const { guard, decision } = CrashGuard.begin(
      journal,
      reports,
      host.meantToRun(),
      {
        holdAfter: config.crashGuard.holdAfterCrashes,
        windowMs: config.crashGuard.windowSeconds * 1000,
      },
      now(),
    );
    crashGuard = guard;
    for (const [name, reason] of decision.hold) host.hold(name, reason);
    if (decision.findings.length > 0)
      raise({
        id: newId(),
        time: now(),
        level: 'warning',
        code: 'RUNTIME_CRASHED',
        message: `Previous run: ${decision.findings.join('; ')}.`,
      });
  }

  function raise(a: Alert): void {
    alerts.push(a);
    if (alerts.length > ALERTS_KEPT) alerts.shift();
    metrics.alerts.inc({ code: a.code, level: a.level });
    logger[a.level === 'critical' ? 'error' : a.level === 'warning' ? 'warn' : 'info'](
      { alert: a },
      a.message,
    );
    emit({ type: 'alert', alert: V.alertView(a) });
  }

  function onOms(e: OmsEvent): void {
    switch (e.type) {
      case 'order':
        emit({ type: 'order', order: V.orderView(e.order) });
        if (host.has(e.order.origin)) host.dispatchOrder(e.order.origin, strategyOrder(e.order));
        return;
      case 'fill':
        metrics.fills.inc();
        emit({ type: 'trade', trade: V.tradeView(e.fill) });
        if (host.has(e.fill.origin)) host.dispatchTrade(e.fill.origin, { ...e.fill, offset: e.fill.offset });
        sampleEquity();
        refreshFundsSoon();
        return;
      case 'alert':
        raise(e.alert);
        return;
      case 'position':
        emit({ type: 'position', position: positionOf(e.instrument) });
        return;
      case 'funds':
        emit({ type: 'account', account: account() });
        return;
    }
  }

  function positionOf(instrument: string): Port.PositionView {
    const last = lastTicks.get(instrument)?.lastPrice;
    return V.positionView(
      book.get(instrument),
      book.unrealized(instrument, last),
      book.margin(instrument, last),
    );
  }

  function totals() {
    let realized = 0;
    let unrealized = 0;
    let commission = 0;
    let margin = 0;
    for (const p of book.all()) {
      const last = lastTicks.get(p.instrument)?.lastPrice;
      realized += p.realizedPnl;
      commission += p.commission;
      unrealized += book.unrealized(p.instrument, last);
      margin += book.margin(p.instrument, last);
    }
    return { realized, unrealized, commission, margin };
  }

  function account(): Port.AccountView {
    const f = oms.funds();
    const t = totals();
    return {
      accountId: f.accountId || config.counter.accountId,
      currency: 'CNY',
      balance: formatDecimal2(f.balance),
      available: formatDecimal2(f.available),
      // One source per snapshot: the counter's figures once it has reported (a flat account's margin is 0), the
      // local estimate only before that — mixing them showed a margin next to a balance from before the fill.
      margin: formatDecimal2(f.time ? f.margin : t.margin),
      realizedPnl: formatDecimal2(t.realized),
      unrealizedPnl: formatDecimal2(t.unrealized),
      commission: formatDecimal2(t.commission),
      asOf: new Date(f.time || now()).toISOString(),
    };
  }

  function sampleEquity(): void {
    const t = totals();
    const point = {
      time: new Date(now()).toISOString(),
      equity: formatDecimal2(oms.funds().balance + t.unrealized),
    };
    equity.push(point);
    if (equity.length > EQUITY_KEPT) equity.shift();
    emit({ type: 'equity', point });
  }

  function onTick(t: Tick): void {
    const receivedAt = performance.now();
    metrics.ticks.inc();
    lastTicks.set(t.instrument, t);
    // Lots adopted from the counter before any price was known take this one as their entry.
    if (book.hasUnknownCosts()) oms.priceAdoptedLots(t.instrument, t.lastPrice);
    const minute = Math.floor(t.time / 60_000);
    if (minute !== dayKey) {
      dayKey = minute;
      oms.setTradingDay(tradingDayOf(calendar, t.time));
    }
    host.dispatchTick(t, receivedAt);
    const bar = aggregator.add(t);
    if (bar) {
      let list = bars.get(bar.instrument);
      if (!list) {
        list = [];
        bars.set(bar.instrument, list);
      }
      list.push(bar);
      if (list.length > BARS_KEPT) list.shift();
      host.dispatchBar(bar);
      emit({ type: 'bar', bar: V.barView(bar) });
      sampleEquity();
    }
    if (listeners.size > 0) emit({ type: 'tick', tick: V.tickView(t) });
  }

  let reconciling: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  /** Reconciles now; on failure retries every 5 s while still logged on. */
  function reconcile(): void {
    if (reconciling) return;
    clearTimeout(retry);
    reconciling = oms
      .reconcile()
      .then((n) => logger.info({ mismatches: n }, 'reconciled with the counter'))
      .catch((err) => {
        logger.warn({ err: String(err) }, 'reconciliation failed; retrying');
        raise({
          id: newId(),
          time: now(),
          level: 'warning',
          code: 'RECONCILE_FAILED',
          message: `Reconciliation with the counter failed: ${String(err)}`,
        });
        retry = setTimeout(() => {
          if (gateway.status().state === 'loggedOn') reconcile();
        }, 5000);
        retry.unref();
      })
      .finally(() => {
        reconciling = undefined;
      });
  }

  // Funds change with every fill: refresh them from the counter at most once a second after fills, and
  // every 30 s anyway, so the funds check never works from a stale balance for long.
  let fundsDue: NodeJS.Timeout | undefined;
  function refreshFundsSoon(): void {
    if (fundsDue) return;
    fundsDue = setTimeout(() => {
      fundsDue = undefined;
      if (gateway.status().state === 'loggedOn')
        oms.refreshFunds().catch((err) => logger.debug({ err: String(err) }, 'funds refresh failed'));
    }, 1000);
    fundsDue.unref();
  }
  const fundsTimer = setInterval(() => {
    if (gateway.status().state === 'loggedOn' && !reconciling) refreshFundsSoon();
  }, 30_000);
  fundsTimer.unref();

  gateway.onEvent((e: GatewayEvent) => {
    switch (e.type) {
      case 'tick':
        onTick(e.tick);
        return;
      case 'execution':
        oms.onExecution(e.report);
        return;
      case 'cancelReject':
        oms.onCancelReject(e.reject);
        return;
      case 'alert': {
        const a: Alert = { id: newId(), time: now(), level: e.level, code: e.code, message: e.message };
        journal.tx(() => journal.append('alert', a));
        raise(a);
        return;
      }
      case 'connection': {
        const s = e.status;
        metrics.connected.set(s.state === 'loggedOn' ? 1 : 0);
        journal.tx(() => journal.append('connection', s));
        emit({ type: 'connection', connection: connectionView() });
        if (s.state === 'loggedOn') {
          if (outage)
            raise({
              id: newId(),
              time: now(),
              level: 'info',
              code: 'COUNTER_RECONNECTED',
              message: `Counter connection restored after ${Math.round((now() - outage.since) / 1000)} s (${outage.failures} failed attempt${outage.failures === 1 ? '' : 's'}); reconciling.`,
            });
          outage = undefined;
          reconcile();
        } else if (s.state === 'disconnected' && s.lastError) {
          // One alert per outage: the gateway retries every few seconds, and an alert per retry would bury
          // the others (the connection's state and last error stay current in the API and the dashboard).
          if (outage) {
            outage.failures++;
            return;
          }
          outage = { since: now(), failures: 1 };
          raise({
            id: newId(),
            time: now(),
            level: 'warning',
            code: 'COUNTER_DISCONNECTED',
            message: `Counter connection lost: ${s.lastError}. Reconnecting; the next alert says when it is back.`,
          });
        }
        return;
      }
    }
  });

  function connectionView(): Port.ConnectionView {
    const s = gateway.status();
    return {
      state: s.state,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      since: new Date(s.since || now()).toISOString(),
      ...(s.lastError ? { lastError: s.lastError } : {}),
    };
  }

  const canTrade = (actor: Port.Actor) => actor.role === 'trader';
  const command = (actor: Port.Actor, what: string, data: unknown) =>
    journal.tx(() => journal.append('command', { actor: actor.username, role: actor.role, what, data }));

  const strategies: Port.StrategiesPort = {
    list: () => host.list(),
    logs: (name, limit) => host.logs(name, limit),
    async upload(name, code, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      command(actor, 'strategy.upload', { name, bytes: code.length });
      return host.upload(
        name,
        code,
        host.get(name)?.instruments ?? config.marketData.instruments.slice(0, 1),
      );
    },
    async start(name, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      command(actor, 'strategy.start', { name });
      return host.start(name);
    },
    async stop(name, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      command(actor, 'strategy.stop', { name });
      const r = await host.stop(name);
      oms.cancelAll(undefined, name);
      return r;
    },
    async setParams(name, params, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      command(actor, 'strategy.params', { name, params });
      return host.setParams(name, params);
    },
  };

  const engine: TradingEngine = {
    metrics,
    oms,
    host,
    async start(signal) {
      oms.recover();
      for (const s of config.strategies) host.add({ ...s, source: 'configMap' });
      host.restoreUploads();
      holdCrashers();
      journal.tx(() => journal.append('engineStarted', { instruments: config.marketData.instruments }));
      gateway.subscribe(config.marketData.instruments);
      gateway.start();
      sourceWatch.start();
      await host.startEnabled(signal);
    },
    async stop() {
      await sourceWatch.stop();
      clearInterval(fundsTimer);
      clearTimeout(fundsDue);
      clearTimeout(retry);
      await host.close();
      await gateway.stop();
      crashGuard?.markClean();
    },
    health() {
      const g = gateway.status();
      const checks: Record<string, string> = {
        counter:
          g.state === 'loggedOn'
            ? `ok (${g.endpoint ?? ''})`
            : `${g.state}${g.lastError ? `: ${g.lastError}` : ''}`,
        journal: journal.isOpen() ? 'ok' : 'closed',
      };
      return { ready: g.state === 'loggedOn' && journal.isOpen(), checks };
    },
    connection: connectionView,
    account,
    positions: () => book.all().map((p) => positionOf(p.instrument)),
    orders(filter = {}) {
      // Working orders come from the OMS's index: no walk over the session's whole order list.
      let list = filter.activeOnly ? oms.workingOrderList(filter.instrument || undefined) : oms.orders();
      if (filter.instrument) list = list.filter((o) => o.instrument === filter.instrument);
      list = list.slice(-(filter.limit ?? 500)).reverse();
      return list.map(V.orderView);
    },
    trades(filter = {}) {
      let list = oms.fills();
      if (filter.instrument) list = list.filter((f) => f.instrument === filter.instrument);
      return list
        .slice(-(filter.limit ?? 500))
        .reverse()
        .map(V.tradeView);
    },
    lastTicks: () => [...lastTicks.values()].map(V.tickView),
    bars(instrument, limit = 500) {
      const list = [...(bars.get(instrument) ?? [])];
      const cur = aggregator.current(instrument);
      if (cur) list.push(cur);
      return list.slice(-limit).map(V.barView);
    },
    equityCurve: (limit = 1000) => equity.slice(-limit),
    async submitOrder(req, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      const offset = V.domainOffset(req.offset);
      if (!offset) return refuse('INVALID_OFFSET', `Got "${req.offset}".`);
      const price = V.parsePriceText(req.price);
      if (price === undefined) return refuse('INVALID_PRICE', `Got "${req.price}".`);
      if (req.side !== 'buy' && req.side !== 'sell')
        return refuse('INVALID_SIDE', `Got "${String(req.side)}".`);
      command(actor, 'order.submit', req);
      const r = oms.submit({
        instrument: req.instrument,
        side: req.side,
        offset,
        price,
        quantity: req.quantity,
        timeInForce: req.timeInForce ?? 'day',
        origin: `manual:${actor.username}`,
      });
      if (!r.ok) {
        metrics.riskRejections.inc({ code: r.code });
        return r;
      }
      metrics.orders.inc({ origin: 'manual' });
      // A split close returns its first leg; the others are in the order list.
      return { ok: true, value: V.orderView(r.value[0] as Order) };
    },
    async cancelOrder(clOrdId, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      command(actor, 'order.cancel', { clOrdId });
      const r = oms.cancel(clOrdId);
      return r.ok ? { ok: true, value: V.orderView(r.value) } : r;
    },
    async cancelAll(instrument, actor) {
      if (!canTrade(actor)) return refuse('FORBIDDEN');
      command(actor, 'order.cancelAll', { instrument: instrument ?? null });
      return { ok: true, value: { requested: oms.cancelAll(instrument) } };
    },
    async pause(reason, actor) {
      // A second pause (two people pressing the button) changes nothing: the first reason and alert stand.
      if (!canTrade(actor) || risk.paused) return;
      journal.tx(() => {
        journal.set('risk:paused', { reason });
        journal.append('command', { actor: actor.username, what: 'pause', reason });
      });
      risk.pause(reason);
      emit({ type: 'risk', paused: true, reason });
      raise({
        id: newId(),
        time: now(),
        level: 'critical',
        code: 'TRADING_PAUSED',
        message: `Trading paused by ${actor.username}: ${reason}`,
      });
    },
    async resume(actor) {
      // Nothing to end: no journal entry, and no "resumed" alert for a pause that was not there.
      if (!canTrade(actor) || !risk.paused) return;
      journal.tx(() => {
        journal.set('risk:paused', null);
        journal.append('command', { actor: actor.username, what: 'resume' });
      });
      risk.resume();
      emit({ type: 'risk', paused: false });
      // Beside the pause in the alert list, so the list says the pause is over and who ended it.
      raise({
        id: newId(),
        time: now(),
        level: 'info',
        code: 'TRADING_RESUMED',
        message: `Trading resumed by ${actor.username}`,
      });
    },
    riskStatus() {
      const c = risk.counters(now());
      const r = config.risk;
      return {
        paused: risk.paused,
        ...(risk.pauseReason ? { pauseReason: risk.pauseReason } : {}),
        limits: {
          maxOrderLots: r.maxOrderLots,
          maxPositionLots: r.maxPositionLots,
          maxOrdersPerSecond: r.maxOrdersPerSecond,
          maxCancelsPerDay: r.maxCancelsPerDay,
          priceBandTicks: r.priceBandTicks,
          maxDailyLoss: r.maxDailyLoss,
          maxOrdersPerDay: r.maxOrdersPerDay,
          maxLargeCancelsPerDay: r.maxLargeCancelsPerDay,
        },
        counters: {
          ordersToday: c.ordersToday,
          cancelsToday: c.cancelsToday,
          ordersLastSecond: c.actionsLastSecond,
          selfTradesPrevented: c.selfTradesPrevented,
          dailyPnl: formatDecimal2(oms.dailyPnl()),
        },
        alerts: alerts.slice(-50).map(V.alertView),
      };
    },
    strategies,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return engine;
}

/** Net lots per instrument built by one strategy's fills. */
export function strategyPositions(
  fills: readonly Fill[],
  strategy: string,
): Record<string, StrategyPosition> {
  const out: Record<string, StrategyPosition> = {};
  for (const f of fills) {
    if (f.origin !== strategy) continue;
    out[f.instrument] ??= { long: 0, short: 0 };
    const p = out[f.instrument]!;
    const opening = f.offset === 'open';
    const leg: keyof StrategyPosition = opening === (f.side === 'buy') ? 'long' : 'short';
    p[leg] += opening ? f.quantity : -f.quantity;
  }
  return out;
}

function strategyOrder(o: Order) {
  return {
    clOrdId: o.clOrdId,
    instrument: o.instrument,
    side: o.side,
    offset: o.offset,
    price: o.price,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    status: o.status,
    ...(o.text ? { text: o.text } : {}),
  };
}

export { ERRORS };
