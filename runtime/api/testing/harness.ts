/**
 * Test harness for the investor API: a users file in a temporary directory, a manual clock, the fake engine,
 * captured log lines. Hashes use a low scrypt cost so tests stay fast; the format is the production one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../../common/auth/password.ts';
import type { RuntimeUser } from '../../../common/auth/users.ts';
import { createLogger } from '../../../common/log.ts';
import type { PlatformPort } from '../engine-port.ts';
import type { Lockout } from '../lockout.ts';
import { buildApiServer } from '../server.ts';
import type { SessionPersistence } from '../sessions.ts';
import { createFakeEngine, type FakeEngine } from './fake-engine.ts';

export const TEST_COST = { N: 1024, r: 8, p: 1 };

export interface TestUser {
  username: string;
  password: string;
  role: 'trader' | 'viewer';
  disabled?: boolean;
  expiresAt?: string;
}

// The same password keeps the same hash, so rewriting the file changes only what a test changes.
const hashes = new Map<string, Promise<string>>();
const hashOf = (u: TestUser): Promise<string> => {
  const key = `${u.username}\0${u.password}`;
  let h = hashes.get(key);
  if (!h) {
    h = hashPassword(u.password, TEST_COST);
    hashes.set(key, h);
  }
  return h;
};

export async function usersJson(users: TestUser[]): Promise<string> {
  const list: Partial<RuntimeUser>[] = [];
  for (const u of users)
    list.push({
      username: u.username,
      role: u.role,
      passwordHash: await hashOf(u),
      disabled: u.disabled ?? false,
      ...(u.expiresAt ? { expiresAt: u.expiresAt } : {}),
      source: `investors/${u.username}`,
    });
  return JSON.stringify({ users: list }, null, 2);
}

export const DEFAULT_USERS: TestUser[] = [
  { username: 'alice', password: 'correct horse battery', role: 'trader' },
  { username: 'bob', password: 'viewer password 1', role: 'viewer' },
];

export interface Harness {
  app: FastifyInstance;
  engine: FakeEngine;
  dir: string;
  usersFile: string;
  logs: Record<string, unknown>[];
  /** Raw log text, to check that no secret leaked. */
  rawLogs: () => string;
  clock: { now: number; advance(ms: number): void };
  login(
    username: string,
    password: string,
    ip?: string,
  ): Promise<{ status: number; token?: string; cookie?: string; body: Record<string, any> }>;
  writeUsers(users: TestUser[]): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(
  opts: {
    users?: TestUser[];
    platform?: PlatformPort;
    sessionTtlMs?: number;
    sessionPersistence?: SessionPersistence;
    lockout?: Lockout;
    dashboard?: boolean;
    engine?: FakeEngine;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'aurum-api-'));
  const usersFile = join(dir, 'users.json');
  writeFileSync(usersFile, await usersJson(opts.users ?? DEFAULT_USERS));
  const clock = {
    now: Date.parse('2026-06-01T01:00:00Z'),
    advance(ms: number) {
      this.now += ms;
    },
  };
  let raw = '';
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      cb();
    },
  });
  const logger = createLogger('runtime-test', { level: 'info' }, sink);
  const engine = opts.engine ?? createFakeEngine({ now: () => clock.now });
  const app = await buildApiServer({
    engine,
    platform: opts.platform,
    usersFile,
    health: () => ({ ready: true, checks: { counter: 'loggedOn', journal: 'open' } }),
    logger,
    clock: () => clock.now,
    sessionTtlMs: opts.sessionTtlMs,
    ...(opts.sessionPersistence ? { sessionPersistence: opts.sessionPersistence } : {}),
    lockout: opts.lockout,
    usersPollMs: 60_000,
    sweepMs: 20,
    dashboard: opts.dashboard ?? false,
  });
  await app.ready();
  return {
    app,
    engine,
    dir,
    usersFile,
    logs,
    rawLogs: () => raw,
    clock,
    async login(username, password, ip = '10.77.0.2') {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
        remoteAddress: ip,
      });
      const setCookie = res.headers['set-cookie'];
      const cookie = typeof setCookie === 'string' ? setCookie.split(';')[0] : undefined;
      const body = res.json();
      return { status: res.statusCode, token: body.token, cookie, body };
    },
    async writeUsers(users) {
      writeFileSync(usersFile, await usersJson(users));
      await app.aurum.users.reloadFile();
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
