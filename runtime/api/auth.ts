/**
 * Authentication and authorization for the investor API.
 *
 * - `POST /api/auth/login` checks username + password against the live user list (scrypt, constant time, the
 *   same work for unknown users), throttled per username and per source address ({@link Lockout}). Attempts for
 *   one username are verified one after another, so a burst of parallel guesses cannot outrun the counter.
 * - A session token travels in an HttpOnly SameSite=Strict cookie (the dashboard) or as `Authorization: Bearer`
 *   (scripts). Every /api request except login and the OpenAPI document needs one.
 * - Role `viewer` may only read: any other method than GET/HEAD is refused with 403 before the body is parsed.
 * - Audit lines (`audit: true`) for logins, failures, lockouts and every write, never with a secret.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_COST, hashPassword, verifyPassword } from '../../common/auth/password.ts';
import type { Logger } from '../../common/log.ts';
import type { Actor } from './engine-port.ts';
import { ApiError } from './errors.ts';
import type { Lockout } from './lockout.ts';
import { ERROR } from './schemas.ts';
import type { Session, SessionStore } from './sessions.ts';
import type { UsersStore } from './users-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
  }
  interface FastifyContextConfig {
    /** No session needed (login, OpenAPI document). */
    public?: boolean;
    /** Log the request body in the audit line (never for bodies that may hold secrets or code). */
    auditBody?: boolean;
  }
}

export const SESSION_COOKIE = 'aurum_session';

export interface AuthContext {
  users: UsersStore;
  sessions: SessionStore;
  lockout: Lockout;
  audit: Logger;
  now: () => number;
  /** Add `Secure` to the cookie. Default false: the API is reached over plain HTTP inside the WireGuard tunnel. */
  secureCookie?: boolean;
}

/** The token from `Authorization: Bearer …` or the session cookie. */
export function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  const cookie = req.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.session) throw new ApiError('UNAUTHENTICATED', 'Log in first.');
  return { username: req.session.username, role: req.session.role };
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

export function registerAuth(app: FastifyInstance, ctx: AuthContext): void {
  const { users, sessions, lockout, audit, now } = ctx;
  // Unknown users cost one scrypt too, at the cost the real hashes use, so response time does not reveal which
  // usernames exist.
  const dummies = new Map<string, Promise<string>>();
  const dummy = (): Promise<string> => {
    const sample = users.any()?.passwordHash;
    const [, n, r, p] = sample?.split('$') ?? [];
    const cost = n ? { N: Number(n), r: Number(r), p: Number(p) } : DEFAULT_COST;
    const key = `${cost.N}/${cost.r}/${cost.p}`;
    let d = dummies.get(key);
    if (!d) {
      d = hashPassword(randomBytes(12).toString('hex'), cost);
      dummies.set(key, d);
    }
    return d;
  };
  const perUser = new Map<string, Promise<unknown>>();

  app.decorateRequest('session', null);

  app.addHook('onRequest', async (req) => {
    // Decide by the matched route, never by the raw URL: the router decodes `%61pi` to `api`, the URL does not.
    // Unmatched requests reach the 404 handler and reveal nothing.
    const route = req.routeOptions.url;
    if (!route?.startsWith('/api/') || req.routeOptions.config?.public) return;
    const token = tokenOf(req);
    const session = token ? sessions.get(token) : undefined;
    if (!session)
      throw new ApiError(
        'UNAUTHENTICATED',
        token ? 'Session expired or revoked; log in again.' : 'Log in first.',
      );
    const refusal = users.refusal(session.username, new Date(now()));
    if (refusal) {
      sessions.endUser(session.username, refusal);
      throw new ApiError('UNAUTHENTICATED', `Session ended: ${refusal}.`);
    }
    req.session = session;
    // Defence in depth beside SameSite=Strict: a browser upgrade from another origin is refused.
    const origin = req.headers.origin;
    if (origin && req.headers.upgrade && originHost(origin) !== req.headers.host)
      throw new ApiError('FORBIDDEN_ROLE', 'Cross-origin stream refused.');
    if (!READ_METHODS.has(req.method) && session.role !== 'trader' && !route.startsWith('/api/auth/'))
      throw new ApiError('FORBIDDEN_ROLE', `Role ${session.role} may only read; this needs role trader.`);
  });

  // Every write is attributed: who, what, outcome.
  app.addHook('onResponse', async (req, reply) => {
    if (READ_METHODS.has(req.method) || !req.session || req.routeOptions.url?.startsWith('/api/auth/'))
      return;
    audit.info(
      {
        audit: true,
        event: 'write',
        username: req.session.username,
        role: req.session.role,
        ip: req.ip,
        method: req.method,
        route: req.routeOptions.url,
        params: req.params,
        body: req.routeOptions.config?.auditBody ? req.body : undefined,
        status: reply.statusCode,
      },
      'api write',
    );
  });

  async function attempt(username: string, password: string, ip: string, reply: FastifyReply) {
    const keys = [`user:${username}`, `ip:${ip}`];
    const lock = lockout.check(keys, now());
    if (lock.locked) {
      const secs = Math.ceil(lock.retryAfterMs / 1000);
      audit.warn(
        { audit: true, event: 'login_locked', username, ip, retryAfterSeconds: secs },
        'login refused: locked',
      );
      const who = lock.key?.startsWith('user:') ? 'this username' : 'this address';
      throw new ApiError('LOCKED_OUT', `Too many failed logins for ${who}; try again in ${secs} s.`, {
        'retry-after': String(secs),
      });
    }
    const user = users.get(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
    if (!ok || !user) {
      lockout.fail(keys, now());
      audit.warn({ audit: true, event: 'login_failed', username, ip }, 'login failed');
      throw new ApiError('BAD_CREDENTIALS', 'Unknown username or wrong password.');
    }
    const refusal = users.refusal(username, new Date(now()));
    if (refusal) {
      audit.warn({ audit: true, event: 'login_refused', username, ip, reason: refusal }, 'login refused');
      throw new ApiError('ACCESS_REVOKED', `This login is no longer valid: ${refusal}.`);
    }
    lockout.clear(keys[0]!);
    const { token, session } = sessions.create(user.username, user.role);
    audit.info(
      {
        audit: true,
        event: 'login',
        username,
        role: user.role,
        ip,
        session: session.id,
        source: user.source,
      },
      'login succeeded',
    );
    const maxAge = Math.max(0, Math.floor((session.expiresAt - now()) / 1000));
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${ctx.secureCookie ? '; Secure' : ''}`,
    );
    return {
      token,
      username: user.username,
      role: user.role,
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  }

  const SESSION_INFO = {
    type: 'object',
    properties: {
      token: { type: 'string', description: 'for `Authorization: Bearer`; the cookie carries the same' },
      username: { type: 'string' },
      role: { type: 'string', enum: ['trader', 'viewer'] },
      expiresAt: { type: 'string', format: 'date-time' },
    },
  };

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie and returns a bearer token',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 1024 },
          },
        },
        response: { 200: SESSION_INFO, 400: ERROR, 401: ERROR, 403: ERROR, 429: ERROR },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      // One verification at a time per username: the lockout check always sees the previous outcome.
      const prev = perUser.get(username) ?? Promise.resolve();
      const run = prev.catch(() => {}).then(() => attempt(username, password, req.ip, reply));
      perUser.set(username, run);
      try {
        return await run;
      } finally {
        if (perUser.get(username) === run) perUser.delete(username);
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: { type: 'null' }, 401: ERROR },
      },
    },
    async (req, reply) => {
      const token = tokenOf(req);
      if (token) sessions.end(token, 'logged out');
      audit.info({ audit: true, event: 'logout', username: req.session?.username, ip: req.ip }, 'logout');
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who this session belongs to',
        response: {
          200: {
            type: 'object',
            properties: {
              username: { type: 'string' },
              role: { type: 'string' },
              expiresAt: { type: 'string' },
            },
          },
          401: ERROR,
        },
      },
    },
    async (req) => {
      const s = req.session!;
      return { username: s.username, role: s.role, expiresAt: new Date(s.expiresAt).toISOString() };
    },
  );
}
