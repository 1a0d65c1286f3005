/**
 * The FIX 4.4 initiator gateway on jspurefix (the same engine as the counter simulator).
 *
 * - Session layer (logon with Username/Password, heartbeats, test requests, sequence checks,
 *   ResendRequest / SequenceReset-GapFill) is jspurefix's; sequence numbers and sent messages persist in the
 *   durable session store (common/fix/durable-session-store.ts) on the pod's volume, next to the journal, so
 *   a reconnect or a restart — even after a SIGKILL — resumes the same FIX session without a reset, and what
 *   was missed is resent. We answer the counter's ResendRequests with gap fills only (jspurefix resends
 *   from an in-memory store we never fill): an order is never sent twice; reconciliation settles the rest.
 * - Reconnect with exponential backoff; after a failed attempt the next configured endpoint is tried
 *   (failover), round-robin. The connection state is exposed for readiness and status.
 * - Market data is re-subscribed after every logon; reconciliation queries are request/response with a
 *   timeout (see codec.ts for the messages).
 */

import { AsciiSession, type IJsFixConfig, type MsgView } from '../../../common/fix/jspurefix.ts';
import { type FixEndpoint, initiatorDescription, startFix } from '../../../common/fix/launcher.ts';
import { newOrderSingle, orderCancelRequest } from '../../../common/fix/messages.ts';
import type { Logger } from '../../../common/log.ts';
import type {
  ClOrdId,
  CounterFunds,
  CounterPosition,
  ExecutionReport,
  Order,
  Tick,
} from '../../domain/types.ts';
import type { ConnectionStatus, Gateway, GatewayEvent } from '../gateway.ts';
import {
  applyIncremental,
  collateralInquiry,
  marketDataRequest,
  orderStatusRequest,
  requestForPositions,
  snapshotToTick,
  toCancelReject,
  toCounterFunds,
  toCounterPosition,
  toExecutionReport,
} from './codec.ts';

/** Options of a {@link FixGateway}. */
export interface FixGatewayOptions {
  /** Tried in order; on failure the next one (failover). */
  endpoints: ReadonlyArray<{ host: string; port: number }>;
  senderCompId: string;
  targetCompId: string;
  accountId: string;
  /** Sent in Logon (554); never logged. */
  password?: string;
  /** Default 30. */
  heartbeatSeconds?: number;
  /** FIX session store directory (sequence numbers, sent messages); omit for in-memory. */
  storeDir?: string;
  /**
   * Reset sequence numbers at every logon (ResetSeqNumFlag 141=Y). Default false: sequence numbers are kept
   * across reconnects and restarts, so what was missed while down is resent (ResendRequest / gap fill).
   * This is safe after a crash at any instant because the session store (common/fix/durable-session-store.ts)
   * persists the sender number ahead of what can have been sent — a restart may leave a gap the counter
   * asks to be filled, never a number the counter refuses as too low — and persists the target number late,
   * so the counter resends rather than skips; resent order events and market data are dropped (see
   * {@link DROPPED_WHEN_RESENT}): order state is recovered by the reconciliation at every logon.
   * True is for a counter that requires a reset per logon: state is then recovered by reconciliation
   * (order status, positions, funds) instead of message replay.
   */
  resetSeqNumOnLogon?: boolean;
  /** First reconnect delay, default 500 ms; doubles per failure up to {@link maxBackoffMs}. */
  initialBackoffMs?: number;
  /** Default 10 000 ms. */
  maxBackoffMs?: number;
  /** How long one connection attempt may take, default 3 s. */
  connectTimeoutSeconds?: number;
  /**
   * How long a connection attempt may take to be logged on, default 10 000 ms; then it is dropped and
   * retried. jspurefix never notices a connection the peer closes before the Logon is out (e.g. a counter
   * or a load balancer that accepts and closes while restarting): it would wait for a Logon answer forever.
   */
  logonTimeoutMs?: number;
  /** Reconciliation request timeout, default 5000 ms. */
  requestTimeoutMs?: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Application messages the counter resends after a gap (PossDupFlag=Y) that we drop:
 * - market data (W, X) is stale; a fresh snapshot follows the re-subscription at logon;
 * - order events (8, 9): the order-status reconciliation the engine runs at every logon is authoritative, and
 *   it books the fills missed while down under a synthetic trade id — replaying their execution reports too
 *   would book them a second time under their ExecID (the order manager also caps a fill at the counter's
 *   cumulative quantity, a second line of defence). (A resent report of an order reconciliation does not
 *   ask about — a finished one — can change nothing anyway.)
 */
const DROPPED_WHEN_RESENT = new Set(['W', 'X', '8', '9']);
const POSS_DUP_FLAG = 43;

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

class GatewaySession extends AsciiSession {
  readonly gw: FixGateway;
  constructor(config: IJsFixConfig, gw: FixGateway) {
    super(config);
    this.gw = gw;
  }
  sendApp(msgType: string, body: Record<string, unknown>): void {
    this.send(msgType, body);
  }
  protected onApplicationMsg(msgType: string, view: MsgView): void {
    if (DROPPED_WHEN_RESENT.has(msgType) && view.getTyped(POSS_DUP_FLAG) === true) return;
    this.gw.onApplication(msgType, view.toObject() as Record<string, unknown>);
  }
  protected onReady(): void {
    this.gw.onReady(this);
  }
  protected onStopped(error?: Error): void {
    this.gw.onSessionStopped(this, error);
  }
  protected onLogon(): boolean {
    return true;
  }
  protected onDecoded(): void {}
  protected onEncoded(): void {}
  logout(): void {
    this.done();
  }
}

/** FIX 4.4 counter connection. */
export class FixGateway implements Gateway {
  readonly #o: FixGatewayOptions & { now: () => number };
  #status: ConnectionStatus;
  #listener: (e: GatewayEvent) => void = () => {};
  #instruments: string[] = [];
  #session: GatewaySession | undefined;
  /** The session of the current connection attempt; a late logon of an abandoned one is ignored. */
  #attempt: GatewaySession | undefined;
  #endpoint: FixEndpoint | undefined;
  #index = 0;
  #failures = 0;
  #stopped = true;
  #retry: NodeJS.Timeout | undefined;
  #loggedOnThisAttempt = false;
  #req = 0;
  readonly #lastTicks = new Map<string, Tick>();
  readonly #statusWaiters = new Map<ClOrdId, Waiter<ExecutionReport>>();
  readonly #posWaiters = new Map<
    string,
    Waiter<CounterPosition[]> & { expected?: number; got: CounterPosition[] }
  >();
  readonly #fundWaiters = new Map<string, Waiter<CounterFunds>>();

  constructor(o: FixGatewayOptions) {
    this.#o = { now: Date.now, ...o };
    this.#status = { state: 'disconnected', since: this.#o.now() };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const s = this.#session;
    try {
      s?.logout();
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 100));
    this.#endpoint?.stop();
    this.#setState('disconnected');
  }

  status(): ConnectionStatus {
    return this.#status;
  }

  onEvent(listener: (e: GatewayEvent) => void): void {
    this.#listener = listener;
  }

  subscribe(instruments: readonly string[]): void {
    this.#instruments = [...new Set([...this.#instruments, ...instruments])];
    if (this.#session && this.#status.state === 'loggedOn') this.#subscribeNow(this.#session);
  }

  sendOrder(order: Order): void {
    const s = this.#live();
    s.sendApp(
      'D',
      newOrderSingle({
        clOrdId: order.clOrdId,
        account: this.#o.accountId,
        symbol: order.instrument,
        side: order.side,
        price: order.price,
        qty: order.quantity,
        tif: order.timeInForce,
        offset: order.offset,
        transactTime: new Date(this.#o.now()),
      }),
    );
  }

  cancelOrder(cancelClOrdId: ClOrdId, order: Order): void {
    const s = this.#live();
    s.sendApp(
      'F',
      orderCancelRequest({
        clOrdId: cancelClOrdId,
        origClOrdId: order.clOrdId,
        symbol: order.instrument,
        side: order.side,
        transactTime: new Date(this.#o.now()),
        ...(order.orderId ? { orderId: order.orderId } : {}),
      }),
    );
  }

  async requestOrderStatus(orders: readonly Order[]): Promise<ExecutionReport[]> {
    const s = this.#live();
    return Promise.all(
      orders.map(
        (o) =>
          new Promise<ExecutionReport>((resolve, reject) => {
            this.#statusWaiters.set(o.clOrdId, {
              resolve,
              reject,
              timer: this.#timeout(
                () => this.#statusWaiters.delete(o.clOrdId),
                reject,
                `order status of ${o.clOrdId}`,
              ),
            });
            s.sendApp('H', orderStatusRequest(o, `S${++this.#req}`, this.#o.accountId));
          }),
      ),
    );
  }

  async requestPositions(): Promise<CounterPosition[]> {
    const s = this.#live();
    const id = `P${++this.#req}`;
    return new Promise((resolve, reject) => {
      this.#posWaiters.set(id, {
        resolve,
        reject,
        got: [],
        timer: this.#timeout(() => this.#posWaiters.delete(id), reject, 'positions'),
      });
      s.sendApp('AN', requestForPositions(id, this.#o.accountId, new Date(this.#o.now())));
    });
  }

  async requestFunds(): Promise<CounterFunds> {
    const s = this.#live();
    const id = `C${++this.#req}`;
    return new Promise((resolve, reject) => {
      this.#fundWaiters.set(id, {
        resolve,
        reject,
        timer: this.#timeout(() => this.#fundWaiters.delete(id), reject, 'funds'),
      });
      s.sendApp('BB', collateralInquiry(id, this.#o.accountId));
    });
  }

  // ---- called by the session ----

  /** @internal */
  onReady(s: GatewaySession): void {
    if (s !== this.#attempt) {
      s.logout();
      return;
    }
    this.#session = s;
    this.#failures = 0;
    this.#loggedOnThisAttempt = true;
    this.#setState('loggedOn');
    this.#subscribeNow(s);
  }

  /** @internal */
  onSessionStopped(s: GatewaySession, error?: Error): void {
    if (this.#session === s && error) this.#status = { ...this.#status, lastError: error.message };
  }

  /** @internal */
  onApplication(msgType: string, m: Record<string, unknown>): void {
    const now = this.#o.now();
    switch (msgType) {
      case 'W': {
        const sym = (m.Instrument as { Symbol?: string } | undefined)?.Symbol ?? '';
        const t = snapshotToTick(m, now, this.#lastTicks.get(sym));
        if (!t) return;
        this.#lastTicks.set(t.instrument, t);
        this.#listener({ type: 'tick', tick: t });
        return;
      }
      case 'X': {
        for (const t of applyIncremental(m, now, (sym) => this.#lastTicks.get(sym))) {
          this.#lastTicks.set(t.instrument, t);
          this.#listener({ type: 'tick', tick: t });
        }
        return;
      }
      case 'Y':
        this.#listener({
          type: 'alert',
          level: 'critical',
          code: 'MARKET_DATA_REJECTED',
          message: `The counter refused the market-data subscription: ${String(m.Text ?? m.MDReqRejReason ?? '')}`,
        });
        return;
      case 'j':
      case '3':
        this.#o.logger.warn(
          { msgType, text: m.Text, refSeqNum: m.RefSeqNum },
          'the counter rejected a message',
        );
        return;
      case '8': {
        if (m.ExecType === '8' && Number(m.OrdRejReason) === 6) {
          // The counter refused a ClOrdID it already has: the original order stands. Worth knowing.
          this.#listener({
            type: 'alert',
            level: 'critical',
            code: 'DUPLICATE_CLORDID',
            message: `The counter refused ClOrdID ${String(m.ClOrdID)} as a duplicate: ${String(m.Text ?? '')}`,
          });
          return;
        }
        const r = toExecutionReport(m, now);
        if (!r) return;
        if (r.execType === 'status') {
          const w = this.#statusWaiters.get(r.clOrdId);
          if (w) {
            clearTimeout(w.timer);
            this.#statusWaiters.delete(r.clOrdId);
            w.resolve(r);
            return;
          }
        }
        this.#listener({ type: 'execution', report: r });
        return;
      }
      case '9': {
        const r = toCancelReject(m);
        if (r) this.#listener({ type: 'cancelReject', reject: r });
        return;
      }
      case 'AO': {
        const w = this.#posWaiters.get(String(m.PosReqID));
        if (!w) return;
        const result = Number(m.PosReqResult ?? 0);
        w.expected = Number(m.TotalNumPosReports ?? 0);
        // PosReqResult 2 = no positions found.
        if (result === 2) w.expected = 0;
        else if (result !== 0) {
          this.#settlePositions(
            String(m.PosReqID),
            new Error(`positions request refused (PosReqResult ${result}): ${String(m.Text ?? '')}`),
          );
          return;
        }
        this.#maybeDonePositions(String(m.PosReqID));
        return;
      }
      case 'AP': {
        const id = String(m.PosReqID);
        const w = this.#posWaiters.get(id);
        if (!w) return;
        const p = toCounterPosition(m as Record<string, never>);
        if (p) w.got.push(p);
        if (m.TotalNumPosReports !== undefined) w.expected = Number(m.TotalNumPosReports);
        this.#maybeDonePositions(id);
        return;
      }
      case 'BA': {
        const id = String(m.CollInquiryID);
        const w = this.#fundWaiters.get(id);
        const f = toCounterFunds(m as Record<string, never>, now);
        if (!w || !f) return;
        clearTimeout(w.timer);
        this.#fundWaiters.delete(id);
        w.resolve(f);
        return;
      }
      default:
        this.#o.logger.debug({ msgType }, 'unhandled FIX message');
    }
  }

  #maybeDonePositions(id: string): void {
    const w = this.#posWaiters.get(id);
    if (w && w.expected !== undefined && w.got.length >= w.expected) this.#settlePositions(id);
  }

  #settlePositions(id: string, err?: Error): void {
    const w = this.#posWaiters.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    this.#posWaiters.delete(id);
    if (err) w.reject(err);
    else w.resolve(w.got);
  }

  #timeout(cleanup: () => void, reject: (e: Error) => void, what: string): NodeJS.Timeout {
    const t = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `the counter did not answer the ${what} request within ${this.#o.requestTimeoutMs ?? 5000} ms`,
        ),
      );
    }, this.#o.requestTimeoutMs ?? 5000);
    t.unref();
    return t;
  }

  #live(): GatewaySession {
    if (this.#status.state !== 'loggedOn' || !this.#session) throw new Error('counter not connected');
    return this.#session;
  }

  #subscribeNow(s: GatewaySession): void {
    if (this.#instruments.length) s.sendApp('V', marketDataRequest(`MD${++this.#req}`, this.#instruments));
  }

  #connect(): void {
    if (this.#stopped) return;
    const ep = this.#o.endpoints[this.#index % this.#o.endpoints.length]!;
    const endpoint = `${ep.host}:${ep.port}`;
    this.#loggedOnThisAttempt = false;
    this.#setState('connecting', endpoint);
    const description = initiatorDescription({
      name: 'runtime',
      host: ep.host,
      port: ep.port,
      senderCompId: this.#o.senderCompId,
      targetCompId: this.#o.targetCompId,
      // The counter identifies the account by the Logon Username (553).
      username: this.#o.accountId,
      ...(this.#o.password !== undefined ? { password: this.#o.password } : {}),
      heartBtInt: this.#o.heartbeatSeconds ?? 30,
      ...(this.#o.storeDir ? { storeDir: this.#o.storeDir } : {}),
      resetSeqNum: this.#o.resetSeqNumOnLogon ?? false,
      connectTimeoutSeconds: this.#o.connectTimeoutSeconds ?? 3,
      reconnectSeconds: 1,
    });
    let session: GatewaySession | undefined;
    const fe = startFix(
      description,
      (c) => {
        session = new GatewaySession(c as IJsFixConfig, this);
        this.#attempt = session;
        return session;
      },
      this.#o.logger.child({ component: 'fix' }),
    );
    this.#endpoint = fe;
    let over = false;
    const logonTimeoutMs = this.#o.logonTimeoutMs ?? 10_000;
    const logonTimer = setTimeout(() => {
      if (this.#loggedOnThisAttempt) return;
      fe.stop();
      ended(new Error(`not logged on within ${logonTimeoutMs} ms`));
    }, logonTimeoutMs);
    logonTimer.unref();
    const ended = (err?: unknown) => {
      if (this.#endpoint !== fe || over) return;
      over = true;
      clearTimeout(logonTimer);
      if (this.#session === session) this.#session = undefined;
      this.#failAll(new Error('counter connection lost'));
      const why = plainTransportError(
        err instanceof Error ? err.message : (this.#status.lastError ?? 'session ended'),
      );
      this.#setState('disconnected', endpoint, why);
      if (this.#stopped) return;
      // Stay on an endpoint that worked; move on from one that did not (failover).
      if (!this.#loggedOnThisAttempt) this.#index++;
      this.#failures++;
      const initial = this.#o.initialBackoffMs ?? 500;
      const delay = Math.min(this.#o.maxBackoffMs ?? 10_000, initial * 2 ** Math.min(10, this.#failures - 1));
      this.#o.logger.warn(
        { endpoint, error: why, retryInMs: delay },
        'counter connection down; reconnecting',
      );
      this.#retry = setTimeout(() => this.#connect(), delay);
    };
    fe.done.then(
      () => ended(),
      (e) => ended(e),
    );
  }

  #failAll(err: Error): void {
    for (const [k, w] of this.#statusWaiters) {
      clearTimeout(w.timer);
      w.reject(err);
      this.#statusWaiters.delete(k);
    }
    for (const id of [...this.#posWaiters.keys()]) this.#settlePositions(id, err);
    for (const [k, w] of this.#fundWaiters) {
      clearTimeout(w.timer);
      w.reject(err);
      this.#fundWaiters.delete(k);
    }
  }

  #setState(state: ConnectionStatus['state'], endpoint?: string, lastError?: string): void {
    this.#status = {
      state,
      since: this.#o.now(),
      ...((endpoint ?? this.#status.endpoint) ? { endpoint: endpoint ?? this.#status.endpoint } : {}),
      ...(lastError ? { lastError } : {}),
    };
    this.#listener({ type: 'connection', status: this.#status });
  }
}

/**
 * The FIX engine's words for a connection that ended in people's words (they reach the investor as the
 * connection's last error and in an alert); anything else is passed through.
 */
export function plainTransportError(message: string): string {
  // jspurefix: the socket ended while the session expected to go on (the counter or the network closed it).
  if (message.startsWith('unexpected state - transport failed?'))
    return 'the connection was closed by the counter or the network while the session was open';
  return message;
}
