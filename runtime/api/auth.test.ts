import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, DEFAULT_USERS, type Harness } from './testing/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const alice = DEFAULT_USERS[0]!;
const bob = DEFAULT_USERS[1]!;

describe('login and sessions', () => {
  it('logs in, sets an HttpOnly SameSite=Strict cookie and accepts cookie or bearer', async () => {
    h = await createHarness();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice', password: alice.password },
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^aurum_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/,
    );
    const body = res.json();
    expect(body).toMatchObject({ username: 'alice', role: 'trader' });
    const byBearer = await h.app.inject({
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(byBearer.json()).toMatchObject({ username: 'alice', role: 'trader' });
    const byCookie = await h.app.inject({
      url: '/api/auth/me',
      headers: { cookie: `x=1; ${setCookie.split(';')[0]}` },
    });
    expect(byCookie.statusCode).toBe(200);
  });

  it('refuses requests without a session, and wrong or unknown credentials alike', async () => {
    h = await createHarness();
    const anon = await h.app.inject({ url: '/api/account' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('UNAUTHENTICATED');
    const forged = await h.app.inject({
      url: '/api/account',
      headers: { authorization: 'Bearer not-a-session' },
    });
    expect(forged.statusCode).toBe(401);
    const wrong = await h.login('alice', 'nope');
    const unknown = await h.login('mallory', 'nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('BAD_CREDENTIALS');
  });

  it('cannot be bypassed by encoding or reshaping the path', async () => {
    h = await createHarness();
    for (const url of [
      '/%61pi/account',
      '/api/%61ccount',
      '/%61pi/orders/cancel-all',
      '/api//account',
      '/api/account/',
    ]) {
      const res = await h.app.inject({ url, method: url.includes('cancel') ? 'POST' : 'GET' });
      expect([401, 404], url).toContain(res.statusCode);
    }
    expect(h.engine.commands).toEqual([]);
  });

  it('ends the session on logout', async () => {
    h = await createHarness();
    const { token } = await h.login('alice', alice.password);
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
  });

  it('expires sessions after their lifetime', async () => {
    h = await createHarness({ sessionTtlMs: 60_000 });
    const { token } = await h.login('alice', alice.password);
    h.clock.advance(59_000);
    expect(
      (await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    h.clock.advance(2_000);
    const res = await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/expired or revoked/);
  });
});

describe('lockout', () => {
  it('locks a username after 5 failures with a 429 and Retry-After, then backs off', async () => {
    h = await createHarness();
    for (let i = 0; i < 5; i++) expect((await h.login('alice', `guess${i}`)).status).toBe(401);
    const locked = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice', password: alice.password },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('30');
    expect(locked.json().error).toEqual({
      code: 'LOCKED_OUT',
      message: 'Too many failed logins for this username; try again in 30 s.',
    });
    // Other users are unaffected.
    expect((await h.login('bob', bob.password)).status).toBe(200);
    h.clock.advance(30_001);
    // One more failure after the lock doubles it.
    expect((await h.login('alice', 'again wrong')).status).toBe(401);
    const second = await h.login('alice', alice.password);
    expect(second.status).toBe(429);
    expect(second.body.error.message).toContain('60 s');
    h.clock.advance(60_001);
    expect((await h.login('alice', alice.password)).status).toBe(200);
    expect(h.logs.some((l) => l.event === 'login_locked' && l.username === 'alice')).toBe(true);
  });

  it('locks a source address after 20 failures across usernames', async () => {
    h = await createHarness();
    for (let i = 0; i < 20; i++) await h.login(`user${i}`, 'x', '10.77.0.9');
    const res = await h.login('alice', alice.password, '10.77.0.9');
    expect(res.status).toBe(429);
    expect(res.body.error.message).toContain('this address');
    expect((await h.login('alice', alice.password, '10.77.0.3')).status).toBe(200);
  });

  it('verifies parallel guesses one at a time so the counter cannot be outrun', async () => {
    h = await createHarness();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => h.login('alice', `parallel${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

describe('roles', () => {
  it('lets a viewer read but refuses every write with 403', async () => {
    h = await createHarness();
    const { token } = await h.login('bob', bob.password);
    const auth = { authorization: `Bearer ${token}` };
    for (const url of [
      '/api/account',
      '/api/positions',
      '/api/orders',
      '/api/trades',
      '/api/risk',
      '/api/strategies',
      '/api/market/ticks',
      '/api/equity',
      '/api/connection',
    ])
      expect((await h.app.inject({ url, headers: auth })).statusCode, url).toBe(200);
    const writes: [string, string, unknown][] = [
      [
        'POST',
        '/api/orders',
        { instrument: 'au2606', side: 'buy', offset: 'open', price: '612.00', quantity: 1 },
      ],
      ['POST', '/api/orders/C1/cancel', undefined],
      ['POST', '/api/orders/cancel-all', {}],
      ['POST', '/api/risk/pause', {}],
      ['POST', '/api/risk/resume', undefined],
      ['POST', '/api/strategies/ema-cross/start', undefined],
      ['POST', '/api/strategies/ema-cross/stop', undefined],
      ['PUT', '/api/strategies/ema-cross/params', { params: { fast: 2 } }],
      ['PUT', '/api/strategies/ema-cross/code', { code: 'export default class {}' }],
      ['POST', '/api/platform/profile', { profile: 'large' }],
    ];
    for (const [method, url, payload] of writes) {
      const res = await h.app.inject({
        method: method as 'POST',
        url,
        headers: auth,
        payload: payload as object,
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN_ROLE');
    }
    expect(h.engine.commands).toEqual([]);
    // A viewer sees strategy names and states, not parameters or logs.
    const list = (await h.app.inject({ url: '/api/strategies', headers: auth })).json();
    expect(list[0]).toMatchObject({ name: 'ema-cross', state: 'stopped', params: {} });
    expect(list[0].paramsSchema).toBeUndefined();
    expect((await h.app.inject({ url: '/api/strategies/ema-cross/logs', headers: auth })).statusCode).toBe(
      403,
    );
  });
});

describe('revocation without a restart', () => {
  it('ends live sessions when a user is disabled, removed or gets a new password', async () => {
    h = await createHarness({
      users: [...DEFAULT_USERS, { username: 'carol', password: 'carol password', role: 'trader' }],
    });
    const a = await h.login('alice', alice.password);
    const b = await h.login('bob', bob.password);
    const c = await h.login('carol', 'carol password');
    await h.writeUsers([
      { ...alice, disabled: true },
      { ...bob, password: 'a brand new one' },
    ]);
    for (const s of [a, b, c]) {
      const res = await h.app.inject({
        url: '/api/account',
        headers: { authorization: `Bearer ${s.token}` },
      });
      expect(res.statusCode).toBe(401);
    }
    const disabled = await h.login('alice', alice.password);
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.code).toBe('ACCESS_REVOKED');
    expect((await h.login('bob', bob.password)).status).toBe(401);
    expect((await h.login('bob', 'a brand new one')).status).toBe(200);
    const revoked = h.logs
      .filter((l) => l.event === 'sessions_revoked')
      .map((l) => `${l.username}:${l.reason}`);
    expect(revoked.sort()).toEqual(['alice:user disabled', 'bob:password changed', 'carol:user removed']);
  });

  it('follows the live users Secret from the platform port, ahead of the mounted file', async () => {
    let push: (text: string | undefined) => void = () => {};
    let stopped = false;
    h = await createHarness({
      platform: {
        current: async () => ({ profile: 'standard', allowedProfiles: [] }),
        requestProfile: async (profile) => ({ ok: true, value: { profile } }),
        watchUsers(onUsers) {
          push = onUsers;
          return () => {
            stopped = true;
          };
        },
      },
    });
    const { token } = await h.login('alice', alice.password);
    const { readFileSync } = await import('node:fs');
    const current = JSON.parse(readFileSync(h.usersFile, 'utf8'));
    push(
      JSON.stringify({ users: current.users.filter((u: { username: string }) => u.username !== 'alice') }),
    );
    expect(
      (await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
    await h.app.aurum.users.reloadFile(); // the stale file does not bring alice back
    expect((await h.login('alice', alice.password)).status).toBe(401);
    await h.close();
    expect(stopped).toBe(true);
    h = undefined as unknown as Harness;
  });

  it('ends sessions when the access expires', async () => {
    const expiresAt = new Date(Date.parse('2026-06-01T01:00:00Z') + 10_000).toISOString();
    h = await createHarness({ users: [{ ...alice, expiresAt }] });
    const { token } = await h.login('alice', alice.password);
    expect(
      (await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    h.clock.advance(10_000);
    const res = await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect((await h.login('alice', alice.password)).body.error.message).toContain('access expired');
  });

  it('keeps the previous list when the file is malformed', async () => {
    h = await createHarness();
    const { token } = await h.login('alice', alice.password);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(h.usersFile, '{"users": [ {"username": "alice"');
    await h.app.aurum.users.reloadFile();
    expect(
      (await h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    expect(h.logs.some((l) => l.msg === 'users file malformed; keeping the previous list')).toBe(true);
  });
});

describe('audit', () => {
  it('logs logins, failures and writes with the actor, and never a password or token', async () => {
    h = await createHarness();
    await h.login('alice', 'wrong password here');
    const { token } = await h.login('alice', alice.password);
    await h.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { authorization: `Bearer ${token}` },
      payload: { instrument: 'au2606', side: 'buy', offset: 'open', price: '600.00', quantity: 1 },
    });
    const events = h.logs.filter((l) => l.audit).map((l) => l.event);
    expect(events).toEqual(['login_failed', 'login', 'write']);
    const write = h.logs.find((l) => l.event === 'write')!;
    expect(write).toMatchObject({
      username: 'alice',
      role: 'trader',
      method: 'POST',
      route: '/api/orders',
      status: 201,
    });
    expect(write.body).toMatchObject({ instrument: 'au2606', price: '600.00' });
    const raw = h.rawLogs();
    expect(raw).not.toContain(alice.password);
    expect(raw).not.toContain('wrong password here');
    expect(raw).not.toContain(token!);
  });
});
