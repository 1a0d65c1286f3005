/** Strategies: list, upload code (hot reload), start, stop, parameters, logs. */
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../auth.ts';
import type { TradingEnginePort } from '../engine-port.ts';
import { ApiError } from '../errors.ts';
import { errorResponses, STRATEGY, STRATEGY_LOG, STRATEGY_NAME } from '../schemas.ts';
import { strategyForViewer } from '../stream-filter.ts';
import { sendResult } from './result.ts';

const NAME_PARAMS = { type: 'object', properties: { name: STRATEGY_NAME }, required: ['name'] };
/** Largest strategy module accepted, bytes. */
export const MAX_STRATEGY_CODE = 512 * 1024;

export function registerStrategyRoutes(app: FastifyInstance, engine: TradingEnginePort): void {
  const strategies = engine.strategies;
  const known = (name: string) => {
    if (!strategies.list().some((s) => s.name === name))
      throw new ApiError('NOT_FOUND', `No strategy named ${name}.`);
  };

  app.get(
    '/api/strategies',
    {
      schema: {
        tags: ['strategies'],
        summary: 'Every strategy with its state, parameters and parameter schema',
        response: { 200: { type: 'array', items: STRATEGY }, ...errorResponses() },
      },
    },
    async (req) =>
      req.session?.role === 'trader' ? strategies.list() : strategies.list().map(strategyForViewer),
  );

  // Accepts JSON `{ code }` or the module source itself as text/plain or application/javascript.
  app.put<{ Params: { name: string }; Body: { code: string } | string }>(
    '/api/strategies/:name/code',
    {
      bodyLimit: MAX_STRATEGY_CODE * 2,
      schema: {
        tags: ['strategies'],
        summary:
          'Upload (or replace) a strategy module; validated before it is stored; a stopped strategy reloads',
        params: NAME_PARAMS,
        body: {
          anyOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['code'],
              properties: { code: { type: 'string', minLength: 1, maxLength: MAX_STRATEGY_CODE } },
            },
            { type: 'string', minLength: 1, maxLength: MAX_STRATEGY_CODE },
          ],
        },
        response: { 200: STRATEGY, ...errorResponses(403, 409, 422) },
      },
    },
    async (req, reply) => {
      const code = typeof req.body === 'string' ? req.body : req.body.code;
      return sendResult(reply, await strategies.upload(req.params.name, code, actorOf(req)));
    },
  );

  app.post<{ Params: { name: string } }>(
    '/api/strategies/:name/start',
    {
      schema: {
        tags: ['strategies'],
        summary: 'Start',
        params: NAME_PARAMS,
        response: { 200: STRATEGY, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (req, reply) => sendResult(reply, await strategies.start(req.params.name, actorOf(req))),
  );

  app.post<{ Params: { name: string } }>(
    '/api/strategies/:name/stop',
    {
      schema: {
        tags: ['strategies'],
        summary: 'Stop',
        params: NAME_PARAMS,
        response: { 200: STRATEGY, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (req, reply) => sendResult(reply, await strategies.stop(req.params.name, actorOf(req))),
  );

  app.put<{ Params: { name: string }; Body: { params: Record<string, unknown> } }>(
    '/api/strategies/:name/params',
    {
      config: { auditBody: true },
      schema: {
        tags: ['strategies'],
        summary: "Change parameters live (validated against the strategy's schema)",
        params: NAME_PARAMS,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['params'],
          properties: { params: { type: 'object', additionalProperties: true, maxProperties: 100 } },
        },
        response: { 200: STRATEGY, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (req, reply) =>
      sendResult(reply, await strategies.setParams(req.params.name, req.body.params, actorOf(req))),
  );

  app.get<{ Params: { name: string }; Querystring: { limit?: number } }>(
    '/api/strategies/:name/logs',
    {
      schema: {
        tags: ['strategies'],
        summary: "The strategy's recent log lines, oldest first",
        params: NAME_PARAMS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 5000 } },
        },
        response: { 200: { type: 'array', items: STRATEGY_LOG }, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      if (req.session?.role !== 'trader')
        throw new ApiError(
          'FORBIDDEN_ROLE',
          'Strategy logs are for role trader; a viewer sees names and states.',
        );
      known(req.params.name);
      return strategies.logs(req.params.name, req.query.limit ?? 200);
    },
  );
}
