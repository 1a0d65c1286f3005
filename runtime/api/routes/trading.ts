/** Account, positions, orders (list, manual entry, cancel, bulk cancel), trades, risk status, pause/resume. */
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../auth.ts';
import type { ManualOrderRequest, TradingEnginePort } from '../engine-port.ts';
import {
  ACCOUNT,
  CL_ORD_ID,
  errorResponses,
  INSTRUMENT,
  MANUAL_ORDER,
  ORDER,
  ORDERS_QUERY,
  POSITION,
  RISK_STATUS,
  TRADE,
  TRADES_QUERY,
} from '../schemas.ts';
import { sendResult } from './result.ts';

const arrayOf = (items: object) => ({ type: 'array', items });

export function registerTradingRoutes(app: FastifyInstance, engine: TradingEnginePort): void {
  app.get(
    '/api/account',
    {
      schema: {
        tags: ['account'],
        summary: 'Funds as last confirmed by the counter',
        response: { 200: ACCOUNT, ...errorResponses() },
      },
    },
    async () => engine.account(),
  );

  app.get(
    '/api/positions',
    {
      schema: {
        tags: ['account'],
        summary: 'Positions per contract, today/yesterday legs',
        response: { 200: arrayOf(POSITION), ...errorResponses() },
      },
    },
    async () => engine.positions(),
  );

  app.get<{ Querystring: { activeOnly?: boolean; instrument?: string; limit?: number } }>(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Orders, newest first',
        querystring: ORDERS_QUERY,
        response: { 200: arrayOf(ORDER), ...errorResponses() },
      },
    },
    async (req) => engine.orders(req.query),
  );

  app.post<{ Body: ManualOrderRequest }>(
    '/api/orders',
    {
      config: { auditBody: true },
      schema: {
        tags: ['orders'],
        summary: 'Manual order entry (limit orders only; risk-checked like any strategy order)',
        body: MANUAL_ORDER,
        response: { 201: ORDER, ...errorResponses(403, 409, 422) },
      },
    },
    async (req, reply) => sendResult(reply, await engine.submitOrder(req.body, actorOf(req)), 201),
  );

  app.post<{ Params: { clOrdId: string } }>(
    '/api/orders/:clOrdId/cancel',
    {
      schema: {
        tags: ['orders'],
        summary: 'Cancel one working order',
        params: { type: 'object', properties: { clOrdId: CL_ORD_ID }, required: ['clOrdId'] },
        response: { 200: ORDER, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (req, reply) => sendResult(reply, await engine.cancelOrder(req.params.clOrdId, actorOf(req))),
  );

  app.post<{ Body: { instrument?: string } | undefined }>(
    '/api/orders/cancel-all',
    {
      config: { auditBody: true },
      schema: {
        tags: ['orders'],
        summary: 'Bulk cancel: every working order of one contract, or all when no instrument is given',
        body: { type: 'object', additionalProperties: false, properties: { instrument: INSTRUMENT } },
        response: {
          200: { type: 'object', properties: { requested: { type: 'integer' } } },
          ...errorResponses(403, 409, 422),
        },
      },
    },
    async (req, reply) => sendResult(reply, await engine.cancelAll(req.body?.instrument, actorOf(req))),
  );

  app.get<{ Querystring: { instrument?: string; limit?: number } }>(
    '/api/trades',
    {
      schema: {
        tags: ['orders'],
        summary: 'Executions, newest first',
        querystring: TRADES_QUERY,
        response: { 200: arrayOf(TRADE), ...errorResponses() },
      },
    },
    async (req) => engine.trades(req.query),
  );

  app.get(
    '/api/risk',
    {
      schema: {
        tags: ['risk'],
        summary: 'Limits, counters, pause state and alerts',
        response: { 200: RISK_STATUS, ...errorResponses() },
      },
    },
    async () => engine.riskStatus(),
  );

  app.post<{ Body: { reason?: string } | undefined }>(
    '/api/risk/pause',
    {
      config: { auditBody: true },
      schema: {
        tags: ['risk'],
        summary: 'Emergency pause: no new order leaves the pod until resumed (cancels still do)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', maxLength: 200 } },
        },
        response: { 200: RISK_STATUS, ...errorResponses(403) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await engine.pause(req.body?.reason?.trim() || `paused by ${actor.username}`, actor);
      return engine.riskStatus();
    },
  );

  app.post(
    '/api/risk/resume',
    {
      schema: {
        tags: ['risk'],
        summary: 'Resume after a pause',
        response: { 200: RISK_STATUS, ...errorResponses(403) },
      },
    },
    async (req) => {
      await engine.resume(actorOf(req));
      return engine.riskStatus();
    },
  );
}
