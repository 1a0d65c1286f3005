/**
 * JSON Schemas of the investor API: request validation (malformed requests get 400 with the failing path) and
 * the OpenAPI document (/api/openapi.json). The shapes mirror runtime/api/engine-port.ts.
 */

export const PRICE = {
  type: 'string',
  pattern: '^\\d{1,7}(\\.\\d{1,2})?$',
  description: 'CNY per gram, e.g. "612.34"',
};
export const MONEY = { type: 'string', description: 'CNY, exact decimal, e.g. "-1234.00"' };
export const INSTRUMENT = {
  type: 'string',
  pattern: '^au\\d{4}$',
  description: 'SHFE gold contract, e.g. au2606',
};
export const STRATEGY_NAME = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' };
export const CL_ORD_ID = { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' };
const TIME = { type: 'string', format: 'date-time' };
const LIMIT = { type: 'integer', minimum: 1, maximum: 10_000 };

export const ERROR = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
} as const;

const SIDE = { type: 'string', enum: ['buy', 'sell'] };
const OFFSET = { type: 'string', enum: ['open', 'close', 'closeToday', 'closeYesterday'] };
const TIF = { type: 'string', enum: ['day', 'fak', 'fok'] };

export const ORDER = {
  type: 'object',
  additionalProperties: true,
  properties: {
    clOrdId: { type: 'string' },
    orderId: { type: 'string' },
    instrument: { type: 'string' },
    side: SIDE,
    offset: OFFSET,
    price: { type: 'string' },
    quantity: { type: 'integer' },
    filledQuantity: { type: 'integer' },
    avgFillPrice: { type: 'string' },
    status: {
      type: 'string',
      enum: ['pendingNew', 'new', 'partiallyFilled', 'filled', 'pendingCancel', 'cancelled', 'rejected'],
    },
    timeInForce: TIF,
    origin: { type: 'string', description: 'strategy name, or manual:<username>' },
    text: { type: 'string' },
    createdAt: TIME,
    updatedAt: TIME,
  },
};

export const TRADE = {
  type: 'object',
  additionalProperties: true,
  properties: {
    tradeId: { type: 'string' },
    clOrdId: { type: 'string' },
    instrument: { type: 'string' },
    side: SIDE,
    offset: OFFSET,
    price: { type: 'string' },
    quantity: { type: 'integer' },
    commission: MONEY,
    time: TIME,
    origin: { type: 'string' },
  },
};

const LEG = {
  type: 'object',
  properties: { today: { type: 'integer' }, yesterday: { type: 'integer' }, avgPrice: { type: 'string' } },
};
export const POSITION = {
  type: 'object',
  additionalProperties: true,
  properties: {
    instrument: { type: 'string' },
    long: LEG,
    short: LEG,
    realizedPnl: MONEY,
    unrealizedPnl: MONEY,
    margin: MONEY,
  },
};

export const ACCOUNT = {
  type: 'object',
  additionalProperties: true,
  properties: {
    accountId: { type: 'string' },
    currency: { type: 'string' },
    balance: MONEY,
    available: MONEY,
    margin: MONEY,
    realizedPnl: MONEY,
    unrealizedPnl: MONEY,
    commission: MONEY,
    asOf: TIME,
  },
};

export const TICK = {
  type: 'object',
  additionalProperties: true,
  properties: {
    instrument: { type: 'string' },
    time: TIME,
    lastPrice: { type: 'string' },
    bidPrice: { type: 'string' },
    bidSize: { type: 'integer' },
    askPrice: { type: 'string' },
    askSize: { type: 'integer' },
    volume: { type: 'integer' },
    upperLimit: { type: 'string' },
    lowerLimit: { type: 'string' },
  },
};

export const BAR = {
  type: 'object',
  additionalProperties: true,
  properties: {
    instrument: { type: 'string' },
    time: TIME,
    open: { type: 'string' },
    high: { type: 'string' },
    low: { type: 'string' },
    close: { type: 'string' },
    volume: { type: 'integer' },
  },
};

export const EQUITY_POINT = { type: 'object', properties: { time: TIME, equity: MONEY } };

export const ALERT = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    time: TIME,
    level: { type: 'string', enum: ['info', 'warning', 'critical'] },
    code: { type: 'string' },
    message: { type: 'string' },
    instrument: { type: 'string' },
  },
};

export const RISK_STATUS = {
  type: 'object',
  additionalProperties: true,
  properties: {
    paused: { type: 'boolean' },
    pauseReason: { type: 'string' },
    limits: { type: 'object', additionalProperties: { type: 'number' } },
    counters: {
      type: 'object',
      additionalProperties: true,
      properties: {
        ordersToday: { type: 'integer' },
        cancelsToday: { type: 'object', additionalProperties: { type: 'integer' } },
        ordersLastSecond: { type: 'integer' },
        selfTradesPrevented: { type: 'integer' },
        dailyPnl: MONEY,
      },
    },
    alerts: { type: 'array', items: ALERT },
  },
};

export const STRATEGY = {
  type: 'object',
  additionalProperties: true,
  properties: {
    name: { type: 'string' },
    instruments: { type: 'array', items: { type: 'string' } },
    params: { type: 'object', additionalProperties: true },
    paramsSchema: {},
    state: { type: 'string', enum: ['stopped', 'starting', 'running', 'stopping', 'failed'] },
    error: { type: 'string' },
    source: { type: 'string', enum: ['configMap', 'upload'] },
    enabled: { type: 'boolean' },
  },
};

export const STRATEGY_LOG = {
  type: 'object',
  properties: {
    time: TIME,
    level: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
    message: { type: 'string' },
  },
};

export const CONNECTION = {
  type: 'object',
  additionalProperties: true,
  properties: {
    state: { type: 'string', enum: ['disconnected', 'connecting', 'loggedOn'] },
    endpoint: { type: 'string' },
    since: TIME,
    lastError: { type: 'string' },
  },
};

export const MANUAL_ORDER = {
  type: 'object',
  additionalProperties: false,
  required: ['instrument', 'side', 'offset', 'price', 'quantity'],
  properties: {
    instrument: INSTRUMENT,
    side: SIDE,
    offset: OFFSET,
    price: PRICE,
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
    timeInForce: TIF,
  },
};

export const LIST_QUERY = { type: 'object', properties: { limit: LIMIT }, additionalProperties: false };
export const ORDERS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { activeOnly: { type: 'boolean' }, instrument: INSTRUMENT, limit: LIMIT },
};
export const TRADES_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { instrument: INSTRUMENT, limit: LIMIT },
};

/** Every refusal a route may answer with, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ERROR> {
  return Object.fromEntries([400, 401, ...statuses].map((s) => [s, ERROR]));
}
