/**
 * The investor API: REST + WebSocket + OpenAPI + the dashboard, built apart from listening so tests can
 * `app.inject` without sockets. `runtime/main.ts` wires the real engine and calls `listen`.
 */
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import { Registry } from 'prom-client';
import type { Logger } from '../../common/log.ts';
import { registerDashboard } from '../dashboard/serve.ts';
import { registerAuth } from './auth.ts';
import type { PlatformPort, TradingEnginePort } from './engine-port.ts';
import { ApiError, errorBody } from './errors.ts';
import { Lockout } from './lockout.ts';
import { registerMarketRoutes } from './routes/market.ts';
import { apiMetrics, type HealthReport, registerOpsRoutes } from './routes/ops.ts';
import { registerPlatformRoutes } from './routes/platform.ts';
import { registerStrategyRoutes } from './routes/strategies.ts';
import { registerTradingRoutes } from './routes/trading.ts';
import { createSessionStore, type SessionPersistence, type SessionStore } from './sessions.ts';
import { registerStream } from './stream.ts';
import { createUsersStore, type UsersStore } from './users-store.ts';
import { schemaErrorText, validatorCompiler } from './validation.ts';

export interface ApiServerDeps {
  engine: TradingEnginePort;
  /** Resource profile switching; absent outside a cluster (the routes then answer 503). */
  platform?: PlatformPort;
  /** The mounted users.json (common/auth/users.ts); watched for changes. */
  usersFile: string;
  /** Readiness checks (counter connected, journal open). */
  health: () => HealthReport;
  /** Served at /metrics; the API adds its own metrics to it. Default: a fresh registry. */
  metrics?: Registry;
  logger: Logger;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** Session lifetime. Default 8 hours. */
  sessionTtlMs?: number;
  /** Where sessions outlive a restart (the journal in the runtime). Default: in memory only. */
  sessionPersistence?: SessionPersistence;
  /** Periodic re-read of the users file. Default 5000 ms. */
  usersPollMs?: number;
  /** How often sessions are checked for expiry and revoked users (ending their streams). Default 1000 ms. */
  sweepMs?: number;
  /** Login throttling. Default: 5 failures per username, 20 per address, doubling locks. */
  lockout?: Lockout;
  /**
   * Extra sources of users.json text (the Kubernetes Secret watch, runtime/api/users-kube-watch.ts): called with
   * the store once it is loaded; returns a stop function called on close.
   */
  userSources?: ((users: UsersStore) => () => void)[];
  /** Serve the dashboard at `/`. Default true. */
  dashboard?: boolean;
  /** `Secure` flag on the session cookie. Default false (plain HTTP inside the WireGuard tunnel). */
  secureCookie?: boolean;
}

export interface ApiServerInternals {
  users: UsersStore;
  sessions: SessionStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    aurum: ApiServerInternals;
  }
}

export async function buildApiServer(deps: ApiServerDeps): Promise<FastifyInstance> {
  const now = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: 'api' });
  const registry = deps.metrics ?? new Registry();
  const users = createUsersStore({ file: deps.usersFile, logger: log, pollMs: deps.usersPollMs });
  const sessions = createSessionStore({
    now,
    ttlMs: deps.sessionTtlMs,
    ...(deps.sessionPersistence ? { persistence: deps.sessionPersistence } : {}),
  });
  const lockout = deps.lockout ?? new Lockout();
  const metrics = apiMetrics(registry, () => sessions.size);

  // Typed as the default instance so route modules need no logger generics.
  const app = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    schemaErrorFormatter: (errors, dataVar) => new Error(schemaErrorText(errors, dataVar)),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('aurum', { users, sessions });

  await users.start();
  const stopSources = (deps.userSources ?? []).map((start) => start(users));
  const platformWatch = deps.platform?.watchUsers;
  if (platformWatch) stopSources.push(platformWatch.call(deps.platform, (text) => users.apply(text, 'kube')));
  users.onRevoke((changes) => {
    for (const c of changes) {
      const n = sessions.endUser(c.username, c.reason);
      if (n > 0)
        log.info(
          { audit: true, event: 'sessions_revoked', username: c.username, reason: c.reason, sessions: n },
          'sessions ended',
        );
    }
  });
  const sweep = setInterval(() => {
    sessions.sweep((s) => users.refusal(s.username, new Date(now())));
    lockout.prune(now());
  }, deps.sweepMs ?? 1000);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    for (const stop of stopSources) stop();
    users.close();
  });

  app.addContentTypeParser(
    ['application/javascript', 'text/javascript'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) {
      if (err.code === 'BAD_CREDENTIALS' || err.code === 'LOCKED_OUT' || err.code === 'ACCESS_REVOKED')
        metrics.loginFailures.inc();
      return reply.code(err.statusCode).headers(err.headers).send(errorBody(err.code, err.message));
    }
    if (err.validation) return reply.code(400).send(errorBody('INVALID_REQUEST', err.message));
    const status = err.statusCode ?? 500;
    if (status < 500)
      return reply
        .code(status)
        .send(errorBody(status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', err.message));
    req.log.error({ err, route: req.routeOptions.url }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'Unexpected failure; see the runtime log.'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}.`)),
  );
  // Optional bodies (pause reason, bulk-cancel instrument) may be sent empty.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined || req.body === null) req.body = {};
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.requests.inc({
      method: req.method,
      route: req.routeOptions.url ?? 'unknown',
      status: reply.statusCode,
    });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Aurum runtime — investor API',
        version: '0.1.0',
        description:
          "Manage one investor's automated gold-futures trading platform. Prices are decimal strings in CNY per gram, money decimal strings in CNY, quantities integer lots. Log in with POST /api/auth/login; send the returned token as `Authorization: Bearer` or let the browser carry the session cookie.",
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'aurum_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(websocket, { options: { maxPayload: 4096 } });
  // @fastify/websocket hides WebSocket routes from the document; the stream is part of the API, so show it.
  app.addHook('onRoute', (route) => {
    if (route.url === '/api/stream' && route.schema) route.schema.hide = false;
  });

  registerAuth(app, { users, sessions, lockout, audit: log, now, secureCookie: deps.secureCookie });
  registerTradingRoutes(app, deps.engine);
  registerStrategyRoutes(app, deps.engine);
  registerMarketRoutes(app, deps.engine);
  registerPlatformRoutes(app, deps.platform);
  registerStream(app, {
    engine: deps.engine,
    sessions,
    logger: log,
    onClients: (d) => metrics.streamClients.inc(d),
  });
  registerOpsRoutes(app, deps.health, registry);
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  if (deps.dashboard !== false) await registerDashboard(app);
  return app;
}
