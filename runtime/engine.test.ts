import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../common/log.ts';
import { RuntimeConfigSchema } from '../common/runtime-config.ts';
import type { Actor, EngineEvent } from './api/engine-port.ts';
import { createEngine, type EngineOptions } from './engine.ts';
import { FakeGateway } from './gateway/fake-gateway.ts';
import { openJournal } from './journal/journal.ts';

const EMA = resolve(import.meta.dirname, '../examples/strategies/ema-cross.js');
const trader: Actor = { username: 'alice', role: 'trader' };
const viewer: Actor = { username: 'bob', role: 'viewer' };
const T = Date.UTC(2026, 2, 2, 2, 0, 0);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An engine over a fresh journal, or over the journal in `dir` (a restart). */
function setup(
  strategies: unknown[] = [],
  logLines: string[] = [],
  dir?: string,
  extra: Partial<EngineOptions> = {},
) {
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'aurum-engine-'));
    dirs.push(dir);
  }
  const config = RuntimeConfigSchema.parse({
    platform: { name: 'alice', namespace: 'investors', investor: 'alice' },
    counter: {
      protocol: 'fix44',
      endpoints: [{ host: '127.0.0.1', port: 1 }],
      senderCompId: 'A',
      targetCompId: 'C',
      accountId: '8001',
    },
    marketData: { instruments: ['au2606'] },
    strategies,
    risk: { maxOrdersPerSecond: 50 },
    journal: { path: join(dir, 'journal.db') },
  });
  const journal = openJournal(config.journal.path);
  const gateway = new FakeGateway();
  let t = T;
  const engine = createEngine({
    config,
    journal,
    gateway,
    logger: createLogger('test', { level: 'warn' }, { write: (line: string) => logLines.push(line) }),
    now: () => t,
    ...extra,
  });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  return { engine, gateway, journal, events, dir, advance: (ms: number) => (t += ms), now: () => t };
}

const until = async (cond: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** One lot bought at 612.00 by hand, as the API would submit it. */
const manualBuy = {
  instrument: 'au2606',
  side: 'buy' as const,
  offset: 'open' as const,
  price: '612.00',
  quantity: 1,
};

describe('engine', () => {
  it('a failed strategy is counted in the metrics and logged with its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-engine-strategy-'));
    dirs.push(dir);
    const boom = join(dir, 'boom.js');
    writeFileSync(boom, "export default { onTick() { throw new Error('boom at tick'); } };");
    const lines: string[] = [];
    const { engine, gateway, now } = setup(
      [
        { name: 'ema', file: EMA, instruments: ['au2606'], params: { fast: 2, slow: 4, useTicks: true } },
        { name: 'boom', file: boom, instruments: ['au2606'] },
      ],
      lines,
    );
    await engine.start();
    const series = async () =>
      await engine.metrics.registry.getSingleMetricAsString('aurum_runtime_strategies');
    expect(await series()).toMatch(/aurum_runtime_strategies\{state="running"\} 2/);
    gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: now(), lastPrice: 61200, volume: 1 } });
    await until(() => engine.strategies.list().some((s) => s.state === 'failed'));
    expect(await series()).toMatch(/aurum_runtime_strategies\{state="running"\} 1/);
    expect(await series()).toMatch(/aurum_runtime_strategies\{state="failed"\} 1/);
    const failed = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'strategy failed');
    expect(failed).toMatchObject({ strategy: 'boom', level: 40 });
    expect(failed.error).toMatch(/boom at tick/);
    await engine.stop();
  });

  it("measures tick-to-order for a strategy's orders sent from onTick, and only for those", async () => {
    const { engine, gateway, now, advance } = setup([
      { name: 'ema', file: EMA, instruments: ['au2606'], params: { fast: 2, slow: 4, useTicks: true } },
    ]);
    await engine.start();
    await until(() => engine.account().available !== '0.00');
    const histogram = async () =>
      await engine.metrics.registry.getSingleMetricAsString('aurum_runtime_tick_to_order_seconds');
    const count = async () =>
      Number(
        (await histogram()).match(/aurum_runtime_tick_to_order_seconds_count\{strategy="ema"\} (\d+)/)?.[1] ??
          0,
      );
    gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: now(), lastPrice: 61200, volume: 1 } });
    expect(await engine.submitOrder(manualBuy, trader)).toMatchObject({ ok: true });
    expect(await count()).toBe(0); // a manual order is not a tick's
    // Falling, then rising: the fast average crosses the slow one and the strategy buys on that tick.
    let price = 61200;
    for (let i = 0; i < 40 && !gateway.sent.some((o) => o.origin === 'ema'); i++) {
      price += i < 8 ? -10 : 20;
      advance(500);
      gateway.emit({
        type: 'tick',
        tick: { instrument: 'au2606', time: now(), lastPrice: price, volume: i + 2 },
      });
      await new Promise((r) => setTimeout(r, 5));
    }
    const sent = gateway.sent.filter((o) => o.origin === 'ema').length;
    expect(sent).toBeGreaterThan(0);
    await until(async () => (await count()) === sent);
    const sum = Number(
      (await histogram()).match(/aurum_runtime_tick_to_order_seconds_sum\{strategy="ema"\} ([\d.e-]+)/)?.[1],
    );
    expect(sum).toBeGreaterThan(0);
    expect(sum / sent).toBeLessThan(1); // seconds: a tick's order leaves within its own dispatch or soon after
    await engine.stop();
  });

  it("restarts a TradingPlatform strategy on its ConfigMap's new version, state kept, orders cancelled; refuses one that does not load", async () => {
    // The kubelet's layout: sig → ..data/sig, ..data → ..<version>. An update writes a new version directory
    // and swaps ..data in one rename.
    const root = mkdtempSync(join(tmpdir(), 'aurum-engine-configmap-'));
    dirs.push(root);
    let version = 0;
    const publish = (code: string) => {
      const v = `..2026_12_03_20_00_0${++version}`;
      mkdirSync(join(root, v, 'sig'), { recursive: true });
      writeFileSync(join(root, v, 'sig', 'sig.js'), code);
      symlinkSync(v, join(root, '..data_tmp'));
      renameSync(join(root, '..data_tmp'), join(root, '..data'));
    };
    const v1 = `export default {
      onStart(ctx) { ctx.state.starts = (ctx.state.starts ?? 0) + 1; ctx.log('v1 start ' + ctx.state.starts); },
      onTick(ctx, t) { if (!ctx.state.bid) { ctx.state.bid = true; ctx.buy(t.lastPrice - 100, 1); } },
    };`;
    publish(v1);
    symlinkSync(join('..data', 'sig'), join(root, 'sig'));
    const { engine, gateway, now } = setup(
      [{ name: 'sig', file: join(root, 'sig', 'sig.js'), instruments: ['au2606'] }],
      [],
      undefined,
      { sourcePollMs: 50 },
    );
    const alerts = (code: string) => engine.riskStatus().alerts.filter((a) => a.code === code);
    await engine.start();
    await until(() => engine.account().available !== '0.00');
    expect(engine.strategies.list()[0]).toMatchObject({ name: 'sig', state: 'running', source: 'configMap' });
    gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: now(), lastPrice: 61200, volume: 1 } });
    await until(() => gateway.sent.length === 1);
    const bid = gateway.sent[0]!;
    gateway.emit({
      type: 'execution',
      report: {
        execType: 'new',
        clOrdId: bid.clOrdId,
        execId: 'N1',
        status: 'new',
        instrument: 'au2606',
        side: 'buy',
        quantity: 1,
        cumQty: 0,
        leavesQty: 1,
        time: now(),
      },
    });
    await until(
      () => engine.orders({ activeOnly: true }).length === 1 && engine.orders()[0]!.status === 'new',
    );

    publish(v1.replace("'v1 start '", "'v2 start '"));
    await until(() => alerts('STRATEGY_RELOADED').length === 1);
    expect(alerts('STRATEGY_RELOADED')[0]).toMatchObject({ level: 'info' });
    expect(engine.strategies.list()[0]).toMatchObject({ state: 'running', source: 'configMap' });
    const lines = engine.strategies.logs('sig').map((l) => l.message);
    expect(lines).toContain('v1 start 1');
    expect(lines).toContain('v2 start 2'); // the new code, the old state
    expect(gateway.cancels.map((c) => c.order.clOrdId)).toEqual([bid.clOrdId]);

    publish('export default { onTick( {');
    await until(() => alerts('STRATEGY_SOURCE_REFUSED').length === 1);
    expect(alerts('STRATEGY_SOURCE_REFUSED')[0]!.message).toMatch(
      /^The TradingPlatform's new version of strategy sig was refused: .+ The running version goes on/,
    );
    expect(engine.strategies.list()[0]).toMatchObject({ state: 'running' });
    expect(alerts('STRATEGY_RELOADED')).toHaveLength(1);

    // The investor replaced it by an upload: a later ConfigMap version does not override that, and says so.
    expect(await engine.strategies.stop('sig', trader)).toMatchObject({ ok: true });
    const mine = 'export default { onStart(ctx) { ctx.log("mine"); } };';
    expect(await engine.strategies.upload('sig', mine, trader)).toMatchObject({ ok: true });
    publish(v1.replace("'v1 start '", "'v4 start '"));
    await until(() =>
      engine.strategies.logs('sig').some((l) => l.message.includes('the uploaded version stays in effect')),
    );
    expect(engine.strategies.list()[0]).toMatchObject({ source: 'upload', state: 'stopped' });
    expect(alerts('STRATEGY_RELOADED')).toHaveLength(1);
    await engine.stop();
  });

  it('stops a strategy that sends orders in a loop (a runaway), cancels its orders, and keeps the journal small', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-engine-runaway-'));
    dirs.push(dir);
    // 'loop' asks for 400 orders per tick: under the batch limit (500 at 50 orders/s), but most are refused.
    writeFileSync(
      join(dir, 'loop.js'),
      'export default { onTick(ctx, t) { for (let i = 0; i < 400; i++) ctx.buy(t.lastPrice - 2 * (i % 40), 1); } };',
    );
    // 'burst' asks for 20,000 at once, once.
    writeFileSync(
      join(dir, 'burst.js'),
      'export default { onTick(ctx, t) { if (ctx.state.done) return; ctx.state.done = true; for (let i = 0; i < 20000; i++) ctx.buy(t.lastPrice, 1); } };',
    );
    const { engine, gateway, journal, now } = setup([
      { name: 'loop', file: join(dir, 'loop.js'), instruments: ['au2606'] },
      { name: 'burst', file: join(dir, 'burst.js'), instruments: ['au2606'] },
    ]);
    await engine.start();
    await until(() => engine.account().available !== '0.00');
    // Ticks until both are stopped: on a busy machine the lane may hand 'loop' several ticks as one.
    for (let i = 0; i < 60 && engine.strategies.list().some((s) => s.state === 'running'); i++) {
      gateway.emit({
        type: 'tick',
        tick: { instrument: 'au2606', time: now(), lastPrice: 61200, volume: i + 1 },
      });
      await new Promise((r) => setTimeout(r, 300));
    }
    await until(() => engine.strategies.list().every((s) => s.state === 'failed'));
    const byName = Object.fromEntries(engine.strategies.list().map((s) => [s.name, s.error]));
    // The host hands over what the worker has posted so far: usually the whole 20,000 at once, but a host that
    // reads while the worker is still posting submits the first ones apart, and then the refusals stop it.
    expect(byName.burst).toMatch(
      /^stopped as a runaway: (it asked for \d+ orders at once \(at most 500\); none was sent|more than 500 of its orders were refused within a second)/,
    );
    expect(byName.loop).toMatch(
      /^stopped as a runaway: more than 500 of its orders were refused within a second \([A-Z_]+: /,
    );
    const alerts = engine.riskStatus().alerts.filter((a) => a.code === 'STRATEGY_RUNAWAY');
    expect(alerts.map((a) => a.level)).toEqual(['critical', 'critical']);
    expect(engine.orders({ activeOnly: true }).filter((o) => o.status !== 'pendingCancel')).toEqual([]);
    const refusals = journal.events(0, 100_000).filter((e) => e.kind === 'riskRejected').length;
    expect(refusals).toBeGreaterThan(500);
    expect(refusals).toBeLessThan(2000); // not the 20,000 of the burst, nor the loop's for every tick
    expect(engine.health().checks.journal).toBe('ok');
    await engine.stop();
  });

  it('is ready only when the counter is logged on and the journal open', async () => {
    const { engine, gateway, journal } = setup();
    expect(engine.health().ready).toBe(false);
    await engine.start();
    expect(engine.health()).toMatchObject({ ready: true, checks: { journal: 'ok' } });
    gateway.setState('disconnected', 'socket closed');
    expect(engine.health()).toMatchObject({
      ready: false,
      checks: { counter: 'disconnected: socket closed' },
    });
    expect(engine.riskStatus().alerts.map((a) => a.code)).toContain('COUNTER_DISCONNECTED');
    await engine.stop();
    journal.close();
    expect(engine.health().checks.journal).toBe('closed');
  });

  it('one alert per counter outage however many reconnects fail, and one when it is back', async () => {
    const { engine, gateway, advance } = setup();
    await engine.start();
    const codes = () => engine.riskStatus().alerts.map((a) => a.code);
    gateway.setState('disconnected', 'the connection was closed by the counter or the network');
    for (let i = 0; i < 5; i++) {
      advance(2000);
      gateway.setState('connecting');
      gateway.setState('disconnected', 'connect ECONNREFUSED 127.0.0.1:1');
    }
    expect(codes().filter((c) => c === 'COUNTER_DISCONNECTED')).toHaveLength(1);
    expect(engine.connection()).toMatchObject({
      state: 'disconnected',
      lastError: 'connect ECONNREFUSED 127.0.0.1:1',
    });
    advance(1000);
    gateway.setState('loggedOn');
    const back = engine.riskStatus().alerts.at(-1);
    expect(back).toMatchObject({
      level: 'info',
      code: 'COUNTER_RECONNECTED',
      message: 'Counter connection restored after 11 s (6 failed attempts); reconciling.',
    });
    // The next outage is a new one.
    gateway.setState('disconnected', 'socket closed');
    expect(codes().filter((c) => c === 'COUNTER_DISCONNECTED')).toHaveLength(2);
    await engine.stop();
  });

  it('lots adopted from the counter before the first tick neither trip the daily loss limit nor make up PnL', async () => {
    const { engine, gateway } = setup();
    // A position the journal does not know (a new volume, a trade made outside Aurum), reconciled at logon.
    gateway.positions = [
      { instrument: 'au2606', longToday: 0, longYesterday: 0, shortToday: 2, shortYesterday: 0 },
    ];
    await engine.start();
    await until(() => engine.positions().some((p) => p.short.today === 2));
    expect(engine.positions()[0]!.short.avgPrice).toBeUndefined(); // not known yet: not shown as 0.00
    gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: T, lastPrice: 61200, volume: 1 } });
    expect(engine.riskStatus().counters.dailyPnl).toBe('0.00'); // at a cost of 0 it would read −1,224,000.00
    expect(await engine.submitOrder(manualBuy, trader)).toMatchObject({ ok: true });
    gateway.emit({
      type: 'tick',
      tick: { instrument: 'au2606', time: T + 1000, lastPrice: 61100, volume: 2 },
    });
    expect(engine.riskStatus().counters.dailyPnl).toBe('2000.00'); // two short lots, 1.00 CNY/g down from their entry
    expect(engine.positions()[0]!.short.avgPrice).toBe('612.00');
  });

  it('the entry an adopted lot took from the first tick survives a restart', async () => {
    const tick = (price: number, at: number) =>
      ({ type: 'tick', tick: { instrument: 'au2606', time: at, lastPrice: price, volume: 1 } }) as const;
    // A runtime that has seen today's trading day, flat.
    const first = setup();
    await first.engine.start();
    first.gateway.emit(tick(61300, T));
    await first.engine.stop();
    first.journal.close();

    // Restarted while the counter holds lots the journal does not know: adopted before any price, then the
    // first tick prices them (the trading day is already journaled, so nothing else writes the book).
    const counterHolds = [
      { instrument: 'au2606', longToday: 0, longYesterday: 0, shortToday: 2, shortYesterday: 0 },
    ];
    const second = setup([], [], first.dir);
    second.gateway.positions = counterHolds;
    await second.engine.start();
    await until(() => second.engine.positions().some((p) => p.short.today === 2));
    second.gateway.emit(tick(61200, T + 60_000));
    expect(second.engine.positions()[0]!.short.avgPrice).toBe('612.00');
    expect(second.journal.events().some((e) => e.kind === 'positionPriced')).toBe(true);
    await second.engine.stop();
    second.journal.close();

    // Restarted again: the counter agrees, so nothing is adopted, and the entry is still the first tick's.
    const third = setup([], [], first.dir);
    third.gateway.positions = counterHolds;
    await third.engine.start();
    expect(third.engine.positions()[0]!.short.avgPrice).toBe('612.00');
    third.gateway.emit(tick(61100, T + 120_000));
    expect(third.engine.positions()[0]!.short.avgPrice).toBe('612.00'); // not re-priced at 611.00
    expect(third.engine.riskStatus().counters.dailyPnl).toBe('2000.00');
    await third.engine.stop();
  });

  it('manual orders: viewers are refused, traders pass risk, bad input gets catalogued errors', async () => {
    const { engine, gateway, journal } = setup();
    await engine.start();
    await until(() => engine.account().available !== '0.00');
    gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: T, lastPrice: 61200, volume: 1 } });
    const req = manualBuy;
    expect(await engine.submitOrder(req, viewer)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await engine.submitOrder({ ...req, price: '612.01' }, trader)).toMatchObject({
      ok: false,
      code: 'PRICE_OFF_TICK',
    });
    expect(await engine.submitOrder({ ...req, price: 'abc' }, trader)).toMatchObject({
      ok: false,
      code: 'INVALID_PRICE',
    });
    expect(await engine.submitOrder({ ...req, offset: 'sideways' as 'open' }, trader)).toMatchObject({
      ok: false,
      code: 'INVALID_OFFSET',
    });
    const ok = await engine.submitOrder(req, trader);
    expect(ok).toMatchObject({
      ok: true,
      value: { status: 'pendingNew', price: '612.00', origin: 'manual:alice' },
    });
    expect(gateway.sent).toHaveLength(1);
    await engine.pause('test', trader);
    expect(await engine.submitOrder({ ...req, price: '611.98' }, trader)).toMatchObject({
      ok: false,
      code: 'RISK_PAUSED',
    });
    expect(engine.riskStatus()).toMatchObject({
      paused: true,
      pauseReason: 'test',
      counters: { ordersToday: 1 },
    });
    expect(await engine.cancelAll(undefined, trader)).toMatchObject({ ok: true, value: { requested: 1 } });
    await engine.pause('again', trader); // a second press changes nothing
    expect(engine.riskStatus().pauseReason).toBe('test');
    await engine.resume(trader);
    expect(engine.riskStatus().paused).toBe(false);
    await engine.resume(trader); // nor does resuming live trading
    expect(engine.riskStatus().alerts.filter((a) => a.code.startsWith('TRADING_'))).toMatchObject([
      { level: 'critical', code: 'TRADING_PAUSED', message: 'Trading paused by alice: test' },
      { level: 'info', code: 'TRADING_RESUMED', message: 'Trading resumed by alice' },
    ]);
    expect(
      journal
        .events()
        .filter((e) => e.kind === 'command')
        .map((e) => (e.data as { what: string }).what)
        .filter((what) => what === 'pause' || what === 'resume'),
    ).toEqual(['pause', 'resume']);
    const kinds = journal.events().map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'command',
        'riskRejected',
        'riskAccepted',
        'orderNew',
        'order:cancelRequested',
      ]),
    );
    await engine.stop();
    journal.close();
  });

  it('the account shows one snapshot: the counter margin, not a local estimate beside an older balance', async () => {
    const { engine, gateway, journal } = setup();
    gateway.funds = { ...gateway.funds, time: T };
    await engine.start();
    await until(() => engine.account().available !== '0.00');
    expect(engine.account()).toMatchObject({ margin: '0.00' });
    gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: T, lastPrice: 61200, volume: 1 } });
    const req = manualBuy;
    expect(await engine.submitOrder(req, trader)).toMatchObject({ ok: true });
    const o = gateway.sent[0]!;
    gateway.emit({
      type: 'execution',
      report: {
        execType: 'trade',
        clOrdId: o.clOrdId,
        orderId: 'V1',
        execId: 'T1',
        status: 'filled',
        instrument: o.instrument,
        side: o.side,
        quantity: 1,
        cumQty: 1,
        leavesQty: 0,
        lastQty: 1,
        lastPx: 61200,
        time: T,
      },
    });
    expect(engine.positions()).toHaveLength(1);
    // The counter has not reported since the fill: its snapshot (flat, margin 0) stands until it does.
    expect(engine.account()).toMatchObject({ margin: '0.00', balance: engine.account().available });
    await engine.stop();
    journal.close();
  });

  it('the sample strategy trades through the engine and sees its fill', async () => {
    const { engine, gateway, journal, events, advance, now } = setup([
      { name: 'ema', file: EMA, instruments: ['au2606'], params: { fast: 2, slow: 4, useTicks: true } },
    ]);
    await engine.start();
    expect(engine.strategies.list()[0]).toMatchObject({ name: 'ema', state: 'running' });
    await until(() => engine.account().available !== '0.00');
    for (const p of [61200, 61190, 61180, 61170, 61160, 61150, 61200, 61260, 61320]) {
      advance(500);
      gateway.emit({ type: 'tick', tick: { instrument: 'au2606', time: now(), lastPrice: p, volume: 1 } });
    }
    await until(() => gateway.sent.length > 0);
    const o = gateway.sent[0]!;
    expect(o).toMatchObject({ side: 'buy', offset: 'open', origin: 'ema' });
    gateway.emit({
      type: 'execution',
      report: {
        execType: 'trade',
        clOrdId: o.clOrdId,
        execId: 'E1',
        status: 'filled',
        instrument: 'au2606',
        side: 'buy',
        quantity: 1,
        cumQty: 1,
        leavesQty: 0,
        lastQty: 1,
        lastPx: o.price,
        time: now(),
      },
    });
    await until(() => engine.strategies.logs('ema').some((l) => l.message.startsWith('filled buy open 1')));
    expect(engine.positions()[0]).toMatchObject({ instrument: 'au2606', long: { today: 1 } });
    expect(events.some((e) => e.type === 'trade')).toBe(true);
    expect(await engine.metrics.registry.metrics()).toContain('aurum_runtime_fills_total 1');
    await engine.stop();
    journal.close();
  });
});
