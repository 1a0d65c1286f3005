import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, PlatformPort } from './engine-port.ts';
import { createHarness, DEFAULT_USERS, type Harness } from './testing/harness.ts';

let h: Harness;
let auth: Record<string, string>;
const requests: { profile: string; actor: Actor }[] = [];
const platform: PlatformPort = {
  async current() {
    return {
      profile: 'standard',
      allowedProfiles: ['standard', 'large'],
      resources: { limits: { cpu: '1' } },
    };
  },
  async requestProfile(profile, actor) {
    if (profile !== 'standard' && profile !== 'large')
      return { ok: false, code: 'PROFILE_NOT_ALLOWED', message: `${profile} is not an allowed profile.` };
    requests.push({ profile, actor });
    return { ok: true, value: { profile } };
  },
};

beforeEach(async () => {
  h = await createHarness({ platform });
  const { token } = await h.login('alice', DEFAULT_USERS[0]!.password);
  auth = { authorization: `Bearer ${token}` };
});
afterEach(async () => h.close());

const get = (url: string) => h.app.inject({ url, headers: auth });
const send = (method: 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({ method, url, headers: { ...auth, ...headers }, payload: payload as string });
const order = { instrument: 'au2606', side: 'buy', offset: 'open', price: '600.00', quantity: 1 };

describe('trading routes', () => {
  it('enters, lists and cancels a manual order attributed to the user', async () => {
    const placed = await send('POST', '/api/orders', order);
    expect(placed.statusCode).toBe(201);
    const o = placed.json();
    expect(o).toMatchObject({ instrument: 'au2606', status: 'new', origin: 'manual:alice', price: '600.00' });
    expect(
      (await get('/api/orders?activeOnly=true')).json().map((x: { clOrdId: string }) => x.clOrdId),
    ).toEqual([o.clOrdId]);
    expect((await get('/api/orders?instrument=au2608')).json()).toEqual([]);
    const cancelled = await send('POST', `/api/orders/${o.clOrdId}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await get('/api/orders?activeOnly=true')).json()).toEqual([]);
    expect(h.engine.commands.map((c) => `${c.kind}:${c.actor}`)).toEqual(['submit:alice', 'cancel:alice']);
  });

  it('passes engine refusals through with their code and a status', async () => {
    const offTick = await send('POST', '/api/orders', { ...order, price: '600.01' });
    expect(offTick.statusCode).toBe(422);
    expect(offTick.json().error).toEqual({
      code: 'PRICE_OFF_TICK',
      message: 'Price 600.01 is not on the 0.02 tick grid.',
    });
    const unknown = await send('POST', '/api/orders/NOPE/cancel');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('UNKNOWN_ORDER');
  });

  it('bulk cancels per contract and all', async () => {
    await send('POST', '/api/orders', order);
    await send('POST', '/api/orders', { ...order, instrument: 'au2608' });
    await send('POST', '/api/orders', { ...order, instrument: 'au2608' });
    expect((await send('POST', '/api/orders/cancel-all', { instrument: 'au2608' })).json()).toEqual({
      requested: 2,
    });
    expect((await send('POST', '/api/orders/cancel-all')).json()).toEqual({ requested: 1 });
    expect((await send('POST', '/api/orders/cancel-all', {})).json()).toEqual({ requested: 0 });
  });

  it('pauses and resumes, and a paused engine refuses orders with 409', async () => {
    const paused = await send('POST', '/api/risk/pause', { reason: 'lunch' });
    expect(paused.json()).toMatchObject({ paused: true, pauseReason: 'lunch' });
    const refused = await send('POST', '/api/orders', order);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('RISK_PAUSED');
    expect((await send('POST', '/api/risk/resume')).json().paused).toBe(false);
    const defaultReason = await send('POST', '/api/risk/pause');
    expect(defaultReason.json().pauseReason).toBe('paused by alice');
    expect((await get('/api/risk')).json()).toMatchObject({
      paused: true,
      limits: { maxCancelsPerDay: 400 },
    });
  });

  it('serves account, positions, trades, ticks, bars, equity and connection', async () => {
    await send('POST', '/api/orders', { ...order, price: '700.00' });
    h.engine.step();
    h.engine.step();
    expect((await get('/api/account')).json()).toMatchObject({ accountId: '80001234', currency: 'CNY' });
    expect((await get('/api/positions')).json()[0]).toMatchObject({
      instrument: 'au2606',
      long: { today: 1 },
    });
    expect((await get('/api/trades')).json()[0]).toMatchObject({
      instrument: 'au2606',
      quantity: 1,
      origin: 'manual:alice',
    });
    expect((await get('/api/market/ticks')).json()).toHaveLength(2);
    expect((await get('/api/market/bars/au2606?limit=10')).json()[0]).toHaveProperty('open');
    expect((await get('/api/equity')).json()).toHaveLength(2);
    expect((await get('/api/connection')).json()).toMatchObject({ state: 'loggedOn' });
  });
});

describe('strategy routes', () => {
  it('lists, starts, stops, changes parameters and reads logs', async () => {
    expect((await get('/api/strategies')).json()[0]).toMatchObject({
      name: 'ema-cross',
      state: 'stopped',
      params: { fast: 3 },
    });
    expect((await send('POST', '/api/strategies/ema-cross/start')).json().state).toBe('running');
    const params = await send('PUT', '/api/strategies/ema-cross/params', { params: { fast: 5, slow: 20 } });
    expect(params.json().params).toEqual({ fast: 5, slow: 20, lots: 1 });
    const bad = await send('PUT', '/api/strategies/ema-cross/params', { params: { fast: 30 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toEqual({
      code: 'STRATEGY_PARAMS_INVALID',
      message: 'fast must be smaller than slow.',
    });
    expect((await send('POST', '/api/strategies/ema-cross/stop')).json().state).toBe('stopped');
    const logs = (await get('/api/strategies/ema-cross/logs?limit=2')).json();
    expect(logs.map((l: { message: string }) => l.message)).toEqual([
      'parameters changed by alice: {"fast":5,"slow":20}',
      'stopped by alice',
    ]);
    expect((await get('/api/strategies/nope/logs')).statusCode).toBe(404);
    expect((await send('POST', '/api/strategies/nope/start')).statusCode).toBe(404);
  });

  it('uploads code as JSON or as a JavaScript body, and reports invalid modules', async () => {
    const json = await send('PUT', '/api/strategies/breakout/code', {
      code: 'export default class Breakout {}',
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ name: 'breakout', source: 'upload', state: 'stopped' });
    const raw = await send('PUT', '/api/strategies/breakout/code', 'export default class B2 {}', {
      'content-type': 'application/javascript',
    });
    expect(raw.statusCode).toBe(200);
    const invalid = await send('PUT', '/api/strategies/breakout/code', { code: 'module.exports = 1' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.code).toBe('STRATEGY_INVALID');
    expect((await get('/api/strategies')).json().map((s: { name: string }) => s.name)).toEqual([
      'ema-cross',
      'breakout',
    ]);
  });
});

describe('platform routes', () => {
  it('reads the profile and requests a switch, attributed to the user', async () => {
    expect((await get('/api/platform/profile')).json()).toMatchObject({
      profile: 'standard',
      allowedProfiles: ['standard', 'large'],
    });
    const res = await send('POST', '/api/platform/profile', { profile: 'large' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ profile: 'large' });
    expect(requests.at(-1)).toEqual({ profile: 'large', actor: { username: 'alice', role: 'trader' } });
    const refused = await send('POST', '/api/platform/profile', { profile: 'huge' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('PROFILE_NOT_ALLOWED');
  });

  it('answers 503 outside a cluster', async () => {
    const plain = await createHarness();
    const { token } = await plain.login('alice', DEFAULT_USERS[0]!.password);
    const res = await plain.app.inject({
      url: '/api/platform/profile',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('PLATFORM_UNAVAILABLE');
    await plain.close();
  });
});

describe('malformed requests', () => {
  const cases: [string, 'POST' | 'PUT', string, unknown, RegExp][] = [
    [
      'price off the decimal format',
      'POST',
      '/api/orders',
      { ...order, price: '600.001' },
      /body\/price must match pattern/,
    ],
    ['price as a number', 'POST', '/api/orders', { ...order, price: 600 }, /body\/price must be string/],
    [
      'missing quantity',
      'POST',
      '/api/orders',
      { ...order, quantity: undefined },
      /must have required property 'quantity'/,
    ],
    ['fractional lots', 'POST', '/api/orders', { ...order, quantity: 1.5 }, /body\/quantity must be integer/],
    [
      'market order',
      'POST',
      '/api/orders',
      { ...order, type: 'market' },
      /must NOT have additional properties/,
    ],
    [
      'bad contract',
      'POST',
      '/api/orders',
      { ...order, instrument: 'ag2606' },
      /body\/instrument must match pattern/,
    ],
    [
      'bad side',
      'POST',
      '/api/orders',
      { ...order, side: 'short' },
      /^body\/side must be one of "buy", "sell"$/,
    ],
    // The upload is a JSON object or the source as text: the message is about the branch the caller chose.
    [
      'upload code not a string',
      'PUT',
      '/api/strategies/ema-cross/code',
      { code: 5 },
      /^body\/code must be string$/,
    ],
    ['bulk cancel bad contract', 'POST', '/api/orders/cancel-all', { instrument: 'x' }, /body\/instrument/],
    [
      'params not an object',
      'PUT',
      '/api/strategies/ema-cross/params',
      { params: 3 },
      /body\/params must be object/,
    ],
    [
      'bad strategy name',
      'POST',
      '/api/strategies/Bad_Name/start',
      undefined,
      /params\/name must match pattern/,
    ],
    ['empty code', 'PUT', '/api/strategies/x1/code', { code: '' }, /body/],
    [
      'bad profile name',
      'POST',
      '/api/platform/profile',
      { profile: 'Huge!' },
      /body\/profile must match pattern/,
    ],
  ];
  for (const [what, method, url, payload, message] of cases)
    it(`answers 400 for ${what}`, async () => {
      const res = await send(method, url, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_REQUEST');
      expect(res.json().error.message).toMatch(message);
    });

  it('answers 400 for broken JSON and bad query values', async () => {
    const res = await send('POST', '/api/orders', '{"instrument": ', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_REQUEST');
    const q = await get('/api/orders?limit=0');
    expect(q.statusCode).toBe(400);
    expect(q.json().error.message).toMatch(/querystring\/limit must be >= 1/);
    expect((await get('/api/orders?color=red')).statusCode).toBe(400);
  });

  it('answers 404 with the catalog shape for unknown routes', async () => {
    const res = await get('/api/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});

describe('operations', () => {
  it('serves health, readiness, metrics and the OpenAPI document without a session', async () => {
    expect((await h.app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await h.app.inject({ url: '/readyz' })).json()).toEqual({
      ready: true,
      checks: { counter: 'loggedOn', journal: 'open' },
    });
    const metrics = await h.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('aurum_api_requests_total');
    expect(metrics.body).toMatch(/aurum_api_sessions 1/);
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/auth/login',
      '/api/orders',
      '/api/orders/{clOrdId}/cancel',
      '/api/orders/cancel-all',
      '/api/strategies/{name}/code',
      '/api/strategies/{name}/params',
      '/api/risk/pause',
      '/api/platform/profile',
      '/api/market/bars/{instrument}',
      '/api/stream',
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.paths['/api/orders'].post.requestBody.content['application/json'].schema.required).toContain(
      'price',
    );
  });
});
