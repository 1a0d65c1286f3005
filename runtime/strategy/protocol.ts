/**
 * Messages between the strategy host (engine side) and a strategy's worker thread. Every host → worker
 * message carries a sequence number; the worker answers `done` when the callback it caused returned, which
 * is what the watchdog measures.
 */
import type {
  ParamSpec,
  StrategyBar,
  StrategyOrder,
  StrategyPosition,
  StrategyTick,
  StrategyTrade,
} from './sdk.ts';

/** Host → worker. */
export type ToWorker = { seq: number } & (
  | {
      type: 'init';
      file: string;
      name: string;
      instruments: string[];
      params: Record<string, unknown>;
      state: Record<string, unknown>;
      positions: Record<string, StrategyPosition>;
      tick: number;
      /** Only load and describe the module (upload validation); do not call onInit. */
      describeOnly?: boolean;
    }
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'params'; params: Record<string, unknown> }
  | { type: 'tick'; tick: StrategyTick }
  | { type: 'bar'; bar: StrategyBar }
  | { type: 'order'; order: StrategyOrder }
  | { type: 'trade'; trade: StrategyTrade }
  | { type: 'timer'; name: string }
);

/** An order a strategy asked for. */
export interface OrderRequest {
  instrument: string;
  side: 'buy' | 'sell';
  offset: 'open' | 'close';
  price: number;
  quantity: number;
  timeInForce: 'day' | 'fak' | 'fok';
}

/**
 * The tick an order was sent for (the order was placed from onTick while handling it): its sequence number
 * on the strategy's tick lane (./tick-lane.ts, counted from 1 per worker start) and its exchange time (epoch
 * ms). Orders placed from other callbacks (onOrder, onTrade, onBar, onTimer) have none: a fill or a bar,
 * not a tick, caused them.
 */
export interface OrderTrigger {
  lane: number;
  time: number;
}

/** Worker → host. */
export type FromWorker =
  | { type: 'described'; seq: number; params?: Record<string, ParamSpec> }
  /** `seq` -1: a state report between callbacks (ticks come through the lane, without a seq). */
  | { type: 'done'; seq: number; state?: string }
  /** `seq` -1: onTick from the lane threw. */
  | { type: 'failed'; seq: number; message: string }
  /**
   * `state`: the persistent state at the moment of the order, as JSON text, when it changed (journaled
   * before the order). `trigger`: the tick it was sent for, when sent from onTick.
   */
  | { type: 'order'; order: OrderRequest; state?: string; trigger?: OrderTrigger }
  | { type: 'cancelAll' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'setTimer'; name: string; ms: number }
  | { type: 'clearTimer'; name: string };
