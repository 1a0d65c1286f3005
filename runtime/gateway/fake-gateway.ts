/**
 * A scriptable in-memory gateway for tests: records what was sent and lets the test play the counter.
 */
import type { ClOrdId, CounterFunds, CounterPosition, ExecutionReport, Order } from '../domain/types.ts';
import { type ConnectionStatus, type Gateway, type GatewayEvent, UNKNOWN_ORDER_TEXT } from './gateway.ts';

/** A fake counter connection. */
export class FakeGateway implements Gateway {
  sent: Order[] = [];
  cancels: Array<{ cancelClOrdId: ClOrdId; order: Order }> = [];
  subscribed: string[] = [];
  positions: CounterPosition[] = [];
  funds: CounterFunds = {
    accountId: 'ACC',
    balance: 100_000_000,
    available: 100_000_000,
    margin: 0,
    time: 0,
  };
  /** The counter's own view of orders, by clOrdId (answers status requests). */
  counterOrders = new Map<ClOrdId, ExecutionReport>();
  #status: ConnectionStatus = { state: 'disconnected', since: 0 };
  #listener: (e: GatewayEvent) => void = () => {};

  start(): void {
    this.setState('loggedOn');
  }
  async stop(): Promise<void> {
    this.setState('disconnected');
  }
  status(): ConnectionStatus {
    return this.#status;
  }
  onEvent(listener: (e: GatewayEvent) => void): void {
    this.#listener = listener;
  }
  subscribe(instruments: readonly string[]): void {
    this.subscribed.push(...instruments);
  }
  sendOrder(order: Order): void {
    if (this.#status.state !== 'loggedOn') throw new Error('counter not connected');
    this.sent.push(structuredClone(order));
  }
  cancelOrder(cancelClOrdId: ClOrdId, order: Order): void {
    if (this.#status.state !== 'loggedOn') throw new Error('counter not connected');
    this.cancels.push({ cancelClOrdId, order: structuredClone(order) });
  }
  async requestOrderStatus(orders: readonly Order[]): Promise<ExecutionReport[]> {
    return orders.map(
      (o) =>
        this.counterOrders.get(o.clOrdId) ?? {
          execType: 'status',
          clOrdId: o.clOrdId,
          execId: `st-${o.clOrdId}`,
          status: 'rejected',
          instrument: o.instrument,
          side: o.side,
          quantity: o.quantity,
          cumQty: 0,
          leavesQty: 0,
          text: UNKNOWN_ORDER_TEXT,
          time: 0,
        },
    );
  }
  async requestPositions(): Promise<CounterPosition[]> {
    return this.positions;
  }
  async requestFunds(): Promise<CounterFunds> {
    return this.funds;
  }
  /** Test helper: change the connection state and tell the listener. */
  setState(state: ConnectionStatus['state'], lastError?: string): void {
    this.#status = { state, since: Date.now(), endpoint: 'fake:0', ...(lastError ? { lastError } : {}) };
    this.#listener({ type: 'connection', status: this.#status });
  }
  /** Test helper: deliver an event as the counter would. */
  emit(e: GatewayEvent): void {
    this.#listener(e);
  }
}
