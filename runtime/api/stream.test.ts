import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './testing/harness.ts';
import { createHarness, DEFAULT_USERS } from './testing/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

type Msg = Record<string, any>;
/** Opens a stream and collects its frames; `next(pred)` resolves with the first frame matching. */
async function open(cookieOrToken: { cookie?: string; token?: string }, query = '') {
  const headers: Record<string, string> = cookieOrToken.cookie
    ? { cookie: cookieOrToken.cookie }
    : { authorization: `Bearer ${cookieOrToken.token}` };
  const frames: Msg[] = [];
  const waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  let closed: { code: number; reason: string } | undefined;
  const closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];
  // Listeners go on in onInit: the hello frame can arrive before injectWS resolves.
  const attach = (ws: any) => {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString());
      frames.push(m);
      for (const w of [...waiters])
        if (w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      closed = { code, reason: reason.toString() };
      for (const c of closeWaiters) c(closed);
    });
  };
  const ws = await h.app.injectWS(`/api/stream${query}`, { headers }, { onInit: attach });
  return {
    ws,
    frames,
    next: (pred: (m: Msg) => boolean) =>
      new Promise<Msg>((resolve) => {
        const found = frames.find(pred);
        if (found) resolve(found);
        else waiters.push({ pred, resolve });
      }),
    closed: () =>
      new Promise<{ code: number; reason: string }>((resolve) =>
        closed ? resolve(closed) : closeWaiters.push(resolve),
      ),
  };
}

describe('/api/stream', () => {
  it('greets, then streams engine events to a trader', async () => {
    h = await createHarness();
    const { cookie } = await h.login('alice', DEFAULT_USERS[0]!.password);
    const s = await open({ cookie });
    expect(await s.next((m) => m.type === 'hello')).toMatchObject({ username: 'alice', role: 'trader' });
    h.engine.step();
    expect((await s.next((m) => m.type === 'tick')).tick.instrument).toBe('au2606');
    await h.engine.strategies.setParams('ema-cross', { fast: 2 }, { username: 'alice', role: 'trader' });
    expect((await s.next((m) => m.type === 'strategy')).strategy.params.fast).toBe(2);
    s.ws.terminate();
  });

  it('filters by topics and strips strategy parameters for a viewer', async () => {
    h = await createHarness();
    const { token } = await h.login('bob', DEFAULT_USERS[1]!.password);
    const s = await open({ token }, '?topics=strategy,order');
    await s.next((m) => m.type === 'hello');
    h.engine.step();
    await h.engine.strategies.setParams('ema-cross', { fast: 2 }, { username: 'alice', role: 'trader' });
    const ev = await s.next((m) => m.type === 'strategy');
    expect(ev.strategy.params).toEqual({});
    expect(s.frames.some((m) => m.type === 'tick')).toBe(false);
    s.ws.terminate();
  });

  it('refuses an unauthenticated upgrade and reports unknown topics', async () => {
    h = await createHarness();
    await expect(h.app.injectWS('/api/stream')).rejects.toThrow(/401/);
    const { token } = await h.login('alice', DEFAULT_USERS[0]!.password);
    const s = await open({ token }, '?topics=tick,gossip');
    expect((await s.next((m) => m.type === 'error')).message).toMatch(/unknown topics: gossip/);
    expect((await s.closed()).code).toBe(1008);
  });

  it('refuses an upgrade from another origin', async () => {
    h = await createHarness();
    const { token } = await h.login('alice', DEFAULT_USERS[0]!.password);
    await expect(
      h.app.injectWS('/api/stream', {
        headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example' },
      }),
    ).rejects.toThrow(/403/);
  });

  it('ends the stream at once when the user is revoked or logs out', async () => {
    h = await createHarness();
    const a = await h.login('alice', DEFAULT_USERS[0]!.password);
    const b = await h.login('bob', DEFAULT_USERS[1]!.password);
    const sa = await open({ token: a.token });
    const sb = await open({ token: b.token });
    await sa.next((m) => m.type === 'hello');
    await sb.next((m) => m.type === 'hello');
    await h.writeUsers([{ ...DEFAULT_USERS[0]!, disabled: true }, DEFAULT_USERS[1]!]);
    expect(await sa.closed()).toEqual({ code: 4001, reason: 'user disabled' });
    expect(sa.frames.at(-1)).toEqual({ type: 'bye', reason: 'user disabled' });
    await h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${b.token}` },
    });
    expect(await sb.closed()).toEqual({ code: 4001, reason: 'logged out' });
  });

  it('ends the stream when the session expires', async () => {
    h = await createHarness({ sessionTtlMs: 5_000 });
    const a = await h.login('alice', DEFAULT_USERS[0]!.password);
    const s = await open({ token: a.token });
    await s.next((m) => m.type === 'hello');
    h.clock.advance(5_000);
    expect((await s.closed()).reason).toBe('session expired');
  });
});
