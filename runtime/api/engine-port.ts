/**
 * The contract between the trading engine (runtime/engine.ts and everything under it) and the investor-facing
 * edges (runtime/api: REST + WebSocket; runtime/dashboard). The API depends only on this file, so it can be
 * tested against an in-memory fake and the engine can change behind it.
 *
 * Wire conventions: prices are exact decimal strings in CNY per gram ("612.34"); money is an exact decimal
 * string in CNY with two places ("-1234.00"); quantities are integer lots; times are RFC 3339 UTC strings.
 */

export type Side = 'buy' | 'sell';
/** `close` lets the engine split into closeToday first, then closeYesterday (SHFE rules). */
export type Offset = 'open' | 'close' | 'closeToday' | 'closeYesterday';
/** `fak` = fill-and-kill (FIX IOC), `fok` = fill-or-kill; no market orders exist on SHFE. */
export type TimeInForce = 'day' | 'fak' | 'fok';
export type OrderStatus =
  | 'pendingNew'
  | 'new'
  | 'partiallyFilled'
  | 'filled'
  | 'pendingCancel'
  | 'cancelled'
  | 'rejected';

export interface OrderView {
  clOrdId: string;
  /** The counter's order id, once acknowledged. */
  orderId?: string;
  instrument: string;
  side: Side;
  offset: Offset;
  price: string;
  quantity: number;
  filledQuantity: number;
  avgFillPrice?: string;
  status: OrderStatus;
  timeInForce: TimeInForce;
  /** Strategy name, or `manual:<username>` for orders entered through the API. */
  origin: string;
  /** Why it was rejected or cancelled, in words. */
  text?: string;
  createdAt: string;
  updatedAt: string;
}

export interface TradeView {
  tradeId: string;
  clOrdId: string;
  instrument: string;
  side: Side;
  offset: Offset;
  price: string;
  quantity: number;
  commission: string;
  time: string;
  origin: string;
}

export interface PositionLegView {
  today: number;
  yesterday: number;
  avgPrice?: string;
}

export interface PositionView {
  instrument: string;
  long: PositionLegView;
  short: PositionLegView;
  realizedPnl: string;
  unrealizedPnl: string;
  margin: string;
}

export interface AccountView {
  accountId: string;
  currency: 'CNY';
  balance: string;
  available: string;
  margin: string;
  realizedPnl: string;
  unrealizedPnl: string;
  commission: string;
  /** When the funds were last confirmed by the counter. */
  asOf: string;
}

export interface TickView {
  instrument: string;
  time: string;
  lastPrice: string;
  bidPrice?: string;
  bidSize?: number;
  askPrice?: string;
  askSize?: number;
  volume: number;
  upperLimit?: string;
  lowerLimit?: string;
}

/** One OHLC bar, for charts. */
export interface BarView {
  instrument: string;
  /** Bar open time. */
  time: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: number;
}

export interface EquityPoint {
  time: string;
  equity: string;
}

export type AlertLevel = 'info' | 'warning' | 'critical';
export interface AlertView {
  id: string;
  time: string;
  level: AlertLevel;
  /** Stable code from the risk catalog, e.g. `CANCEL_LIMIT_NEAR`. */
  code: string;
  message: string;
  instrument?: string;
}

export interface RiskStatusView {
  paused: boolean;
  pauseReason?: string;
  /** The configured limits (spec.risk), by name. */
  limits: Record<string, number>;
  counters: {
    ordersToday: number;
    cancelsToday: Record<string, number>;
    ordersLastSecond: number;
    selfTradesPrevented: number;
    dailyPnl: string;
  };
  alerts: AlertView[];
}

export type StrategyState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';
export interface StrategyView {
  name: string;
  instruments: string[];
  params: Record<string, unknown>;
  /** JSON Schema of the parameters, as declared by the strategy. */
  paramsSchema?: unknown;
  state: StrategyState;
  /** Why it failed (exception, timeout, memory), in words. */
  error?: string;
  source: 'configMap' | 'upload';
  enabled: boolean;
}

export interface StrategyLogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'loggedOn';
export interface ConnectionView {
  state: ConnectionState;
  endpoint?: string;
  since: string;
  lastError?: string;
}

export type EngineEvent =
  | { type: 'tick'; tick: TickView }
  | { type: 'bar'; bar: BarView }
  | { type: 'order'; order: OrderView }
  | { type: 'trade'; trade: TradeView }
  | { type: 'position'; position: PositionView }
  | { type: 'account'; account: AccountView }
  | { type: 'equity'; point: EquityPoint }
  | { type: 'alert'; alert: AlertView }
  | { type: 'strategy'; strategy: StrategyView }
  | { type: 'connection'; connection: ConnectionView }
  | { type: 'risk'; paused: boolean; reason?: string };

export interface ManualOrderRequest {
  instrument: string;
  side: Side;
  offset: Offset;
  price: string;
  quantity: number;
  timeInForce?: TimeInForce;
}

/** Either the value or a refusal with a stable code and a sentence a person understands. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Who asked: written to the journal with every command. */
export interface Actor {
  username: string;
  role: 'trader' | 'viewer';
}

export interface StrategiesPort {
  list(): StrategyView[];
  /** Validates (compiles, checks the exported shape) before storing; replaces a stopped one (hot reload). */
  upload(name: string, code: string, actor: Actor): Promise<Result<StrategyView>>;
  start(name: string, actor: Actor): Promise<Result<StrategyView>>;
  stop(name: string, actor: Actor): Promise<Result<StrategyView>>;
  /** Validated against the strategy's parameter schema; applied live. */
  setParams(name: string, params: Record<string, unknown>, actor: Actor): Promise<Result<StrategyView>>;
  logs(name: string, limit?: number): StrategyLogLine[];
}

export interface TradingEnginePort {
  connection(): ConnectionView;
  account(): AccountView;
  positions(): PositionView[];
  orders(filter?: { activeOnly?: boolean; instrument?: string; limit?: number }): OrderView[];
  trades(filter?: { instrument?: string; limit?: number }): TradeView[];
  lastTicks(): TickView[];
  bars(instrument: string, limit?: number): BarView[];
  equityCurve(limit?: number): EquityPoint[];
  submitOrder(req: ManualOrderRequest, actor: Actor): Promise<Result<OrderView>>;
  cancelOrder(clOrdId: string, actor: Actor): Promise<Result<OrderView>>;
  /** Bulk cancel: one instrument, or every working order when `instrument` is undefined. */
  cancelAll(instrument: string | undefined, actor: Actor): Promise<Result<{ requested: number }>>;
  /** Emergency pause: no new orders leave the pod (cancels still do) until resumed. */
  pause(reason: string, actor: Actor): Promise<void>;
  resume(actor: Actor): Promise<void>;
  riskStatus(): RiskStatusView;
  strategies: StrategiesPort;
  /** Live events for WebSocket streams; returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/**
 * The platform's resources, as the investor may change them: the runtime asks the Kubernetes API (with its own
 * narrowly-permitted identity) to switch `spec.runtime.profile` of its own TradingPlatform; the operator then
 * resizes the pod in place.
 */
export interface PlatformPort {
  current(): Promise<{
    profile: string;
    allowedProfiles: string[];
    resources?: unknown;
    resizeStatus?: string;
    /** The profile in effect on the running pod (status), when it differs from the requested one. */
    effectiveProfile?: string;
  }>;
  requestProfile(profile: string, actor: Actor): Promise<Result<{ profile: string }>>;
  /**
   * Optional: live copies of the users Secret (`users.json` text; undefined when the Secret is gone), seconds
   * after a change — faster than the mounted file. The API subscribes when present; returns the stop function.
   */
  watchUsers?(onUsers: (usersJson: string | undefined) => void): () => void;
}
