/**
 * The runtime's error catalog: every refusal has a stable code (for programs, alerts and the API) and a
 * sentence for people. docs/runtime.md lists the same codes; a test keeps the two in sync.
 */

/** Alert codes (not refusals): raised as alerts with a level, listed in docs/runtime.md as well. */
export const ALERT_CODES = [
  'DUPLICATE_ORDER',
  'ORDERS_NEAR_LIMIT',
  'CANCEL_LIMIT_NEAR',
  'LARGE_CANCEL_NEAR',
  'COUNTER_DISCONNECTED',
  'COUNTER_RECONNECTED',
  'TRADING_PAUSED',
  'TRADING_RESUMED',
  'RECONCILE_NOT_SENT',
  'RECONCILE_MISMATCH',
  'RECONCILE_FILLS',
  'RECONCILE_POSITION',
  'RECONCILE_FAILED',
  'CANCEL_REJECTED',
  'UNKNOWN_EXECUTION',
  'ILLEGAL_TRANSITION',
  'DUPLICATE_CLORDID',
  'MARKET_DATA_REJECTED',
  'RUNTIME_CRASHED',
  'STRATEGY_RELOADED',
  'STRATEGY_SOURCE_REFUSED',
  'STRATEGY_RELOAD_FAILED',
  'STRATEGY_RUNAWAY',
] as const;

/** Stable codes and what they mean. */
export const ERRORS = {
  RISK_PAUSED: 'Trading is paused (emergency pause); no new orders leave the runtime until it is resumed.',
  INVALID_INSTRUMENT:
    'The contract code is malformed, not listed today, or not configured for this platform.',
  INVALID_QUANTITY: 'The quantity must be a whole number of lots greater than zero.',
  QUANTITY_ABOVE_LIMIT: 'The quantity is above the per-order maximum (risk.maxOrderLots).',
  INVALID_PRICE: 'The price must be a positive decimal with at most two places (CNY per gram).',
  PRICE_OFF_TICK: 'The price is not on the tick grid (0.02 CNY per gram for gold).',
  PRICE_OUTSIDE_LIMITS: "The price is outside today's limit-up/limit-down prices.",
  PRICE_BAND: 'The price is too far from the last trade price (risk.priceBandTicks).',
  OUTSIDE_TRADING_HOURS: 'The exchange is not accepting orders now (outside the trading sessions).',
  DAILY_LOSS_LIMIT: "Today's loss reached the daily loss limit; only closing orders are allowed.",
  MAX_POSITION: 'The order would take the position above the maximum (risk.maxPositionLots).',
  INSUFFICIENT_FUNDS: 'Insufficient funds: the available balance does not cover the margin and fees.',
  INSUFFICIENT_POSITION: 'Insufficient position: there are not enough open lots to close.',
  SELF_TRADE: "The order would trade against the account's own working order (self-trade prevention).",
  ORDER_RATE_LIMIT: 'Too many orders and cancels in the last second (risk.maxOrdersPerSecond).',
  ORDER_DAILY_LIMIT: 'The daily order count limit is reached.',
  CANCEL_LIMIT: 'The daily cancel limit for this contract is reached (SHFE treats 500 as abnormal trading).',
  LARGE_CANCEL_LIMIT: 'The daily limit for cancels of 300 lots or more is reached for this contract.',
  NOT_CONNECTED: 'The counter is not connected; the order was not sent.',
  UNKNOWN_ORDER: 'No such order.',
  ORDER_NOT_WORKING: 'The order is no longer working (filled, cancelled or rejected).',
  INVALID_OFFSET: 'The offset must be open, close, closeToday or closeYesterday.',
  INVALID_SIDE: 'The side must be buy or sell.',
  INVALID_TIME_IN_FORCE: 'The time in force must be day, fak (fill and kill) or fok (fill or kill).',
  STRATEGY_NOT_FOUND: 'No strategy with this name.',
  STRATEGY_INVALID: 'The strategy module could not be loaded or does not export a strategy.',
  STRATEGY_RUNNING: 'The strategy is running; stop it first.',
  STRATEGY_PARAMS_INVALID: "The parameters do not match the strategy's parameter schema.",
  STRATEGY_FAILED: 'The strategy failed (exception, timeout or memory limit) and was stopped.',
  FORBIDDEN: 'Viewers may look but not trade.',
} as const;

/** A code from the catalog. */
export type ErrorCode = keyof typeof ERRORS;

/** A refusal with a stable code and a sentence. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** Builds a refusal; `detail` is appended to the catalog sentence. */
export function refuse(code: ErrorCode, detail?: string): Refusal {
  return { ok: false, code, message: detail ? `${ERRORS[code]} ${detail}` : ERRORS[code] };
}
