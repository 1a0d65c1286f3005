/**
 * The gateway interface: everything the runtime needs from a broker's counter, in domain terms. The FIX 4.4
 * initiator (gateway/fix/) implements it today; a CTP bridge implements the same interface later — the OMS,
 * risk engine and strategies only ever see this file, so adding one touches none of them.
 *
 * How a CTP bridge maps onto it (documented in docs/runtime.md):
 * - connect → authenticate (AppID/AuthCode) → login → confirm settlement → {@link GatewayEvent} `connection`
 *   `loggedOn`;
 * - ReqOrderInsert / ReqOrderAction → {@link Gateway.sendOrder} / {@link Gateway.cancelOrder};
 *   OnRtnOrder / OnRtnTrade → `execution` events (CTP's private-stream replay after reconnect is just more
 *   executions: the OMS ignores trade ids it has already journaled);
 * - ReqQryOrder / ReqQryInvestorPosition / ReqQryTradingAccount → the three request methods (CTP rate
 *   limits queries to one per second; the bridge queues them).
 */
import type {
  CancelReject,
  ClOrdId,
  ConnectionState,
  CounterFunds,
  CounterPosition,
  ExecutionReport,
  Order,
  Tick,
} from '../domain/types.ts';

/** Where the connection stands, for readiness and status. */
export interface ConnectionStatus {
  state: ConnectionState;
  /** `host:port` of the endpoint in use (or last tried). */
  endpoint?: string;
  /** Epoch ms of the last change. */
  since: number;
  lastError?: string;
}

/** Everything a gateway reports. */
export type GatewayEvent =
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'tick'; tick: Tick }
  | { type: 'execution'; report: ExecutionReport }
  | { type: 'cancelReject'; reject: CancelReject }
  /** Something the gateway noticed that a person should know (raised as an alert, journaled). */
  | { type: 'alert'; level: 'info' | 'warning' | 'critical'; code: string; message: string };

/** A connection to one broker counter (market data + trading). */
export interface Gateway {
  /** Starts connecting (and keeps reconnecting with backoff, failing over across endpoints). */
  start(): void;
  /** Logs out and stops reconnecting. */
  stop(): Promise<void>;
  status(): ConnectionStatus;
  /** Registers the single consumer of events (the engine). */
  onEvent(listener: (e: GatewayEvent) => void): void;
  /** Subscribes level-1 market data; re-subscribed automatically after every reconnect. */
  subscribe(instruments: readonly string[]): void;
  /**
   * Hands a journaled order to the counter. Throws when not logged on (the caller keeps the order as
   * pending and reconciles later) — never queues silently.
   */
  sendOrder(order: Order): void;
  /** Asks the counter to cancel `order`, under a fresh `cancelClOrdId`. Throws when not logged on. */
  cancelOrder(cancelClOrdId: ClOrdId, order: Order): void;
  /**
   * The counter's view of each order (FIX OrderStatusRequest). An order the counter does not know comes
   * back with status `rejected` and text `unknown order`.
   */
  requestOrderStatus(orders: readonly Order[]): Promise<ExecutionReport[]>;
  /** The counter's positions (FIX RequestForPositions). */
  requestPositions(): Promise<CounterPosition[]>;
  /** The counter's funds (FIX CollateralInquiry). */
  requestFunds(): Promise<CounterFunds>;
}

/** Text the counter (or a gateway) uses for an order it has never seen. */
export const UNKNOWN_ORDER_TEXT = 'unknown order';
