/**
 * Prometheus metrics of the engine, on a registry of its own (handed to the API server, which serves
 * /metrics).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The engine's metrics. */
export interface EngineMetrics {
  registry: Registry;
  ticks: Counter;
  orders: Counter<'origin'>;
  fills: Counter;
  riskRejections: Counter<'code'>;
  alerts: Counter<'code' | 'level'>;
  /** 1 when logged on to the counter. */
  connected: Gauge;
  /** Strategies by state (stopped, starting, running, stopping, failed). */
  strategies: Gauge<'state'>;
  /**
   * Tick in (the engine receives it from the gateway) → order handed to the gateway, for the orders a
   * strategy sent from onTick: what the runtime-latency benchmark measures, in production.
   */
  tickToOrder: Histogram<'strategy'>;
}

/** Every state a strategy can be in, so each has a series (0 included) from the start. */
const STRATEGY_STATES = ['stopped', 'starting', 'running', 'stopping', 'failed'] as const;

/** Sets the strategies gauge from the states of all strategies. */
export function countStrategies(gauge: Gauge<'state'>, states: readonly string[]): void {
  for (const state of STRATEGY_STATES) gauge.set({ state }, states.filter((s) => s === state).length);
}

/** Creates the registry and metrics (with Node's default process metrics). */
export function createEngineMetrics(): EngineMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aurum_runtime_' });
  return {
    registry,
    ticks: new Counter({
      name: 'aurum_runtime_ticks_total',
      help: 'Market data ticks received',
      registers: [registry],
    }),
    orders: new Counter({
      name: 'aurum_runtime_orders_total',
      help: 'Orders accepted by risk and sent',
      labelNames: ['origin'],
      registers: [registry],
    }),
    fills: new Counter({ name: 'aurum_runtime_fills_total', help: 'Fills received', registers: [registry] }),
    riskRejections: new Counter({
      name: 'aurum_runtime_risk_rejections_total',
      help: 'Orders refused, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    alerts: new Counter({
      name: 'aurum_runtime_alerts_total',
      help: 'Alerts raised',
      labelNames: ['code', 'level'],
      registers: [registry],
    }),
    connected: new Gauge({
      name: 'aurum_runtime_counter_connected',
      help: '1 when logged on to the counter',
      registers: [registry],
    }),
    tickToOrder: new Histogram({
      name: 'aurum_runtime_tick_to_order_seconds',
      help: 'Tick received from the counter to order handed to the gateway, for orders a strategy sent from onTick',
      labelNames: ['strategy'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    strategies: (() => {
      const g = new Gauge({
        name: 'aurum_runtime_strategies',
        help: 'Strategies by state',
        labelNames: ['state'],
        registers: [registry],
      });
      countStrategies(g, []);
      return g;
    })(),
  };
}
