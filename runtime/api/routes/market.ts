/** Chart data and connection state: last ticks, bars, the equity curve, the counter connection. */
import type { FastifyInstance } from 'fastify';
import type { TradingEnginePort } from '../engine-port.ts';
import { BAR, CONNECTION, EQUITY_POINT, errorResponses, INSTRUMENT, TICK } from '../schemas.ts';

const LIMIT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 10_000 } },
};

export function registerMarketRoutes(app: FastifyInstance, engine: TradingEnginePort): void {
  app.get(
    '/api/market/ticks',
    {
      schema: {
        tags: ['market'],
        summary: 'The last tick of every subscribed contract',
        response: { 200: { type: 'array', items: TICK }, ...errorResponses() },
      },
    },
    async () => engine.lastTicks(),
  );

  app.get<{ Params: { instrument: string }; Querystring: { limit?: number } }>(
    '/api/market/bars/:instrument',
    {
      schema: {
        tags: ['market'],
        summary: 'Recent one-minute bars of a contract, oldest first',
        params: { type: 'object', properties: { instrument: INSTRUMENT }, required: ['instrument'] },
        querystring: LIMIT_QUERY,
        response: { 200: { type: 'array', items: BAR }, ...errorResponses() },
      },
    },
    async (req) => engine.bars(req.params.instrument, req.query.limit ?? 500),
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/api/equity',
    {
      schema: {
        tags: ['account'],
        summary: 'Equity curve (balance + unrealized PnL), oldest first',
        querystring: LIMIT_QUERY,
        response: { 200: { type: 'array', items: EQUITY_POINT }, ...errorResponses() },
      },
    },
    async (req) => engine.equityCurve(req.query.limit ?? 1000),
  );

  app.get(
    '/api/connection',
    {
      schema: {
        tags: ['market'],
        summary: 'State of the connection to the counter',
        response: { 200: CONNECTION, ...errorResponses() },
      },
    },
    async () => engine.connection(),
  );
}
