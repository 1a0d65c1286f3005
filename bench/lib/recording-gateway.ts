/**
 * A gateway for latency benchmarks: records the instant each order is handed to it (the end of the measured
 * tick-to-order path) and plays a counter that accepts and fully fills every order at its limit price on
 * the next event-loop turn, so the strategy's position moves as it would against a real counter and the
 * risk engine never sees a pile of working orders. Nothing is sent anywhere.
 */
import { performance } from 'node:perf_hooks';
import type {
  ClOrdId,
  CounterFunds,
  CounterPosition,
  ExecutionReport,
  Order,
} from '../../runtime/domain/types.ts';
import type { ConnectionStatus, Gateway, GatewayEvent } from '../../runtime/gateway/gateway.ts';

/** Options of {@link RecordingGateway}. */
export interface RecordingGatewayOptions {
  /** Clock for execution report times (epoch ms), default Date.now. */
  now?: () => number;
  /** Called synchronously inside sendOrder with the hand-over instant (performance.now() ms). */
  onOrder?: (order: Order, at: number) => void;
}

/** A counter stand-in that records hand-over times. */
export class RecordingGateway implements Gateway {
  /** Orders handed over, in order. */
  orders = 0;
  cancels = 0;
  readonly #now: () => number;
  readonly #onOrder: ((order: Order, at: number) => void) | undefined;
  #status: ConnectionStatus = { state: 'disconnected', since: 0 };
  #listener: (e: GatewayEvent) => void = () => {};
  #exec = 0;

  constructor(opts: RecordingGatewayOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#onOrder = opts.onOrder;
  }

  start(): void {
    this.#status = { state: 'loggedOn', since: this.#now(), endpoint: 'bench:0' };
    this.#listener({ type: 'connection', status: this.#status });
  }
  async stop(): Promise<void> {
    this.#status = { state: 'disconnected', since: this.#now() };
  }
  status(): ConnectionStatus {
    return this.#status;
  }
  onEvent(listener: (e: GatewayEvent) => void): void {
    this.#listener = listener;
  }
  subscribe(_instruments: readonly string[]): void {}

  /** Delivers a market-data snapshot to the engine, as the FIX gateway does on a MarketDataSnapshot. */
  deliver(e: GatewayEvent): void {
    this.#listener(e);
  }

  sendOrder(order: Order): void {
    const at = performance.now();
    if (this.#status.state !== 'loggedOn') throw new Error('counter not connected');
    this.orders++;
    this.#onOrder?.(order, at);
    const { clOrdId, instrument, side, offset, price, quantity } = order;
    setImmediate(() => {
      const base = {
        clOrdId,
        instrument,
        side,
        offset,
        price,
        quantity,
        orderId: `V${clOrdId}`,
        time: this.#now(),
      };
      this.#listener({
        type: 'execution',
        report: {
          ...base,
          execType: 'new',
          execId: `E${++this.#exec}`,
          status: 'new',
          cumQty: 0,
          leavesQty: quantity,
        },
      });
      this.#listener({
        type: 'execution',
        report: {
          ...base,
          execType: 'trade',
          execId: `E${++this.#exec}`,
          status: 'filled',
          cumQty: quantity,
          leavesQty: 0,
          lastQty: quantity,
          lastPx: price,
          avgPx: price,
        },
      });
    });
  }

  cancelOrder(cancelClOrdId: ClOrdId, order: Order): void {
    this.cancels++;
    const { clOrdId, instrument, side, quantity, filledQuantity } = order;
    setImmediate(() =>
      this.#listener({
        type: 'execution',
        report: {
          execType: 'cancelled',
          clOrdId: cancelClOrdId,
          origClOrdId: clOrdId,
          execId: `E${++this.#exec}`,
          status: 'cancelled',
          instrument,
          side,
          quantity,
          cumQty: filledQuantity,
          leavesQty: 0,
          time: this.#now(),
        },
      }),
    );
  }

  async requestOrderStatus(_orders: readonly Order[]): Promise<ExecutionReport[]> {
    return [];
  }
  async requestPositions(): Promise<CounterPosition[]> {
    return [];
  }
  async requestFunds(): Promise<CounterFunds> {
    // Plenty: the benchmark measures the path, not the account's margin.
    return { accountId: 'BENCH', balance: 1e14, available: 1e14, margin: 0, time: this.#now() };
  }
}
