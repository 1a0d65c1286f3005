import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Journal, openJournal } from '../journal/journal.ts';
import { StrategyHost } from './host.ts';
import type { OrderRequest, OrderTrigger } from './protocol.ts';

const EMA = resolve(import.meta.dirname, '../../examples/strategies/ema-cross.js');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function setup(
  journal?: Journal,
  watchdogMs = 1000,
  busyPoll = false,
  memoryLimit: () => number | undefined = () => undefined,
) {
  const dir = mkdtempSync(join(tmpdir(), 'aurum-host-'));
  const j = journal ?? openJournal(join(dir, 'j.db'));
  const orders: Array<{ strategy: string; order: OrderRequest; trigger?: OrderTrigger }> = [];
  const cancels: string[] = [];
  const batches: number[] = [];
  const host = new StrategyHost({
    journal: j,
    uploadDir: join(dir, 'uploads'),
    submit: (strategy, requests) => {
      j.tx(() => {
        for (const r of requests) r.persistState?.();
      });
      for (const { order, trigger } of requests) {
        expect(host.submitting()).toEqual({
          strategy,
          ...(requests[0]!.trigger ? { trigger: requests[0]!.trigger } : {}),
        });
        expect(trigger).toEqual(requests[0]!.trigger);
        orders.push({ strategy, order, ...(trigger ? { trigger } : {}) });
      }
      batches.push(requests.length);
    },
    cancelAll: (s) => cancels.push(s),
    positionsOf: () => ({}),
    watchdogMs,
    memoryMb: 32,
    memoryLimit,
    busyPoll,
  });
  cleanups.push(async () => {
    await host.close();
    if (!journal) j.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { host, orders, cancels, batches, journal: j, dir };
}

const until = async (cond: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A strategy whose first tick allocates without end. */
const HOG = 'const keep = []; export default { onTick() { for (;;) keep.push(new Array(1e6).fill(1)); } }';

const tick = (lastPrice: number, i: number) => ({ instrument: 'au2606', time: i, lastPrice, volume: i });

describe('StrategyHost', () => {
  it('runs the sample EMA crossover in a worker: warm-up, then orders on a crossover; state persists', async () => {
    const { host, orders, journal } = setup();
    host.add({
      name: 'ema',
      file: EMA,
      instruments: ['au2606'],
      params: { fast: 2, slow: 4, useTicks: true },
      enabled: true,
      source: 'configMap',
    });
    const r = await host.start('ema');
    expect(r).toMatchObject({ ok: true, value: { state: 'running', params: { fast: 2, slow: 4, lots: 1 } } });
    const prices = [61200, 61190, 61180, 61170, 61160, 61150, 61200, 61260, 61320];
    for (const [i, p] of prices.entries()) host.dispatchTick(tick(p, i));
    await until(() => orders.length > 0);
    expect(orders[0]).toMatchObject({
      strategy: 'ema',
      order: { side: 'buy', offset: 'open', quantity: 1, instrument: 'au2606' },
    });
    expect(orders[0]!.order.price % 2).toBe(0);
    await host.stop('ema');
    expect(journal.get<{ samples: number }>('strategy:ema:state')?.samples).toBe(prices.length);
    expect(host.get('ema')?.state).toBe('stopped');
    expect(host.logs('ema').some((l) => l.message.includes('crossed above'))).toBe(true);
  });

  it('a strategy that throws stops alone, with the reason; others keep running', async () => {
    const { host, orders } = setup();
    const bad = await host.upload('bad', 'export default { onTick() { throw new Error("kaboom") } }', [
      'au2606',
    ]);
    expect(bad.ok).toBe(true);
    host.add({
      name: 'ema',
      file: EMA,
      instruments: ['au2606'],
      params: { fast: 2, slow: 3, useTicks: true },
      enabled: true,
      source: 'configMap',
    });
    await host.start('bad');
    await host.start('ema');
    host.dispatchTick(tick(61200, 1));
    await until(() => host.get('bad')?.state === 'failed');
    expect(host.get('bad')?.error).toMatch(/onTick: Error: kaboom/);
    for (const [i, p] of [61100, 61000, 61300, 61500].entries()) host.dispatchTick(tick(p, i + 2));
    await until(() => orders.length > 0);
    expect(host.get('ema')?.state).toBe('running');
  });

  it('a callback that never returns is terminated by the watchdog', async () => {
    const { host } = setup(undefined, 300);
    await host.upload('loop', 'export default { onTick() { for (;;) {} } }', ['au2606']);
    await host.start('loop');
    host.dispatchTick(tick(61200, 1));
    await until(() => host.get('loop')?.state === 'failed');
    expect(host.get('loop')?.error).toMatch(/onTick did not return within 300 ms/);
  });

  it('a memory blow-up stops that strategy with a clear error', async () => {
    const { host } = setup(undefined, 10_000);
    await host.upload('hog', HOG, ['au2606']);
    await host.start('hog');
    host.dispatchTick(tick(61200, 1));
    await until(() => host.get('hog')?.state === 'failed', 20_000);
    expect(host.get('hog')?.error).toMatch(/memory limit of 32 MB exceeded/);
  });

  it('a strategy piling up buffers outside the heap is stopped too, with the reason', async () => {
    const { host } = setup(undefined, 400);
    await host.upload(
      'buffers',
      'const keep = []; export default { onTick() { keep.push(Buffer.alloc(8 * 2 ** 20, 1)); } }',
      ['au2606'],
    );
    await host.upload('quiet', 'export default { onTick() {} }', ['au2606']);
    await host.start('buffers');
    await host.start('quiet');
    for (let i = 1; i <= 8 && host.get('buffers')?.state === 'running'; i++) {
      host.dispatchTick(tick(61200, i));
      await new Promise((r) => setTimeout(r, 150));
    }
    await until(() => host.get('buffers')?.state === 'failed', 20_000);
    expect(host.get('buffers')?.error).toMatch(
      /memory limit of 32 MB exceeded by buffers outside the heap \(\d+ MB\)/,
    );
    expect(host.get('quiet')?.state).toBe('running');
  });

  it("shares the pod's memory limit among the strategies meant to run; one too many is refused with the reason", async () => {
    const { host } = setup(undefined, 10_000, false, () => 192 * 2 ** 20);
    for (const name of ['a', 'b', 'c', 'd'])
      expect(await host.upload(name, 'export default { onTick() {} }', ['au2606'])).toMatchObject({
        ok: true,
      });
    for (const name of ['a', 'b', 'c']) {
      await host.start(name);
      expect(host.get(name)?.state).toBe('running');
    }
    expect(await host.start('d')).toMatchObject({ ok: false });
    expect(host.get('d')?.error).toMatch(
      /memory limit \(192 MiB\) leaves 20 MiB per strategy for 4 strategies.*larger resource profile or run fewer/,
    );
    // A stopped strategy takes no share: with c stopped, d fits beside a and b.
    await host.stop('c');
    await host.start('d');
    expect(host.get('d')?.state).toBe('running');
  });

  it('a blow-up under a share smaller than the configured cap names the share', async () => {
    const { host } = setup(undefined, 10_000, false, () => 192 * 2 ** 20);
    for (const name of ['a', 'b'])
      expect(await host.upload(name, 'export default { onTick() {} }', ['au2606'])).toMatchObject({
        ok: true,
      });
    await host.upload('hog', HOG, ['au2606']);
    await host.start('a');
    await host.start('b');
    await host.start('hog');
    host.dispatchTick(tick(61200, 1));
    await until(() => host.get('hog')?.state === 'failed', 20_000);
    expect(host.get('hog')?.error).toMatch(
      /memory limit of 14 MB exceeded \(its share of the pod's memory limit\)/,
    );
    expect(host.get('a')?.state).toBe('running');
    expect(host.get('b')?.state).toBe('running');
  });

  it('malformed code and bad exports are refused at upload with the reason', async () => {
    const { host } = setup();
    const a = await host.upload('syntax', 'export default { onTick( {', ['au2606']);
    expect(a).toMatchObject({ ok: false, code: 'STRATEGY_INVALID' });
    const b = await host.upload('noexport', 'export const x = 1;', ['au2606']);
    expect(b).toMatchObject({ ok: false, code: 'STRATEGY_INVALID' });
    expect(b.ok ? '' : b.message).toMatch(/no default export/);
    const c = await host.upload('badparams', 'export default { params: { n: { type: "float" } } }', [
      'au2606',
    ]);
    expect(c.ok ? '' : c.message).toMatch(/needs type integer/);
    expect(host.list().map((s) => s.name)).toEqual([]);
  });

  it('accepts TypeScript uploads, validates parameters, applies them live, and hot-reloads', async () => {
    const { host, orders } = setup();
    const ts = `
      interface P { lots: number }
      export default {
        params: { lots: { type: 'integer', default: 1, minimum: 1, maximum: 3 } },
        onTick(ctx: any, t: { lastPrice: number }): void { ctx.buy(t.lastPrice, (ctx.params as P).lots); },
      };`;
    expect((await host.upload('ts', ts, ['au2606'])).ok).toBe(true);
    expect(await host.setParams('ts', { lots: 9 })).toMatchObject({
      ok: false,
      code: 'STRATEGY_PARAMS_INVALID',
    });
    expect(await host.setParams('ts', { lotz: 1 })).toMatchObject({
      ok: false,
      code: 'STRATEGY_PARAMS_INVALID',
    });
    await host.start('ts');
    expect((await host.setParams('ts', { lots: 2 })).ok).toBe(true);
    host.dispatchTick(tick(61200, 1));
    await until(() => orders.length === 1);
    expect(orders[0]!.order.quantity).toBe(2);
    expect(await host.upload('ts', 'export default {}', ['au2606'])).toMatchObject({
      ok: false,
      code: 'STRATEGY_RUNNING',
    });
    await host.stop('ts');
    const v2 = 'export default { onTick(ctx, t) { ctx.short(t.lastPrice, 1); } }';
    expect((await host.upload('ts', v2, ['au2606'])).ok).toBe(true);
    await host.start('ts');
    host.dispatchTick(tick(61200, 2));
    await until(() => orders.length === 2);
    expect(orders[1]!.order).toMatchObject({ side: 'sell', offset: 'open' });
  });

  for (const busyPoll of [false, true])
    it(`an order sent from onTick names its tick (lane number, time), one sent after a fill none${busyPoll ? ' (busy-poll)' : ''}`, async () => {
      const { host, orders } = setup(undefined, 1000, busyPoll);
      const code = `export default {
        onTick(ctx, t) { if (t.lastPrice === 61202) ctx.buy(t.lastPrice, 1); },
        onOrder(ctx, o) { if (o.status === 'filled') ctx.sell(o.price, 1); },
      }`;
      expect((await host.upload('trig', code, ['au2606'])).ok).toBe(true);
      await host.start('trig');
      for (const [i, p] of [61200, 61202, 61204].entries()) host.dispatchTick(tick(p, 1000 + i));
      await until(() => orders.length === 1);
      expect(host.lanePublished('trig')).toBe(3);
      expect(orders[0]).toMatchObject({ order: { side: 'buy' }, trigger: { lane: 2, time: 1001 } });
      host.dispatchOrder('trig', {
        clOrdId: 'X-1',
        instrument: 'au2606',
        side: 'buy',
        offset: 'open',
        price: 61202,
        quantity: 1,
        filledQuantity: 1,
        status: 'filled',
      });
      await until(() => orders.length === 2);
      expect(orders[1]!.order).toMatchObject({ side: 'sell', offset: 'close' });
      expect(orders[1]!.trigger).toBeUndefined();
      // Control messages still reach a worker that spins on its lane: a live parameter change is answered.
      expect((await host.setParams('trig', {})).ok).toBe(true);
      expect(host.submitting()).toBeUndefined();
    });

  it('orders sent one after another for the same tick reach the engine together, in order, with their tick', async () => {
    const { host, orders, batches } = setup();
    const code = `export default {
      onTick(ctx, t) { if (t.lastPrice === 61202) { ctx.sell(t.lastPrice, 1); ctx.short(t.lastPrice, 2); ctx.log('reversed'); } },
    }`;
    expect((await host.upload('rev', code, ['au2606'])).ok).toBe(true);
    await host.start('rev');
    host.dispatchTick(tick(61200, 2000));
    host.dispatchTick(tick(61202, 2001));
    // Whether the engine's spin caught the answer or not, both orders are queued by the time it reads one.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    await until(() => orders.length === 2);
    expect(batches).toEqual([2]);
    expect(orders.map((o) => [o.order.side, o.order.offset, o.order.quantity, o.trigger?.lane])).toEqual([
      ['sell', 'close', 1, 2],
      ['sell', 'open', 2, 2],
    ]);
  });

  it('busy-polling keeps the isolation: a throw and an endless loop stop only their strategy', async () => {
    const { host, orders } = setup(undefined, 300, true);
    await host.upload(
      'bad',
      'export default { onTick(ctx, t) { if (t.lastPrice > 61200) throw new Error("kaboom") } }',
      ['au2606'],
    );
    await host.upload('loop', 'export default { onTick(ctx, t) { if (t.lastPrice > 61200) for (;;) {} } }', [
      'au2606',
    ]);
    await host.upload('ok', 'export default { onTick(ctx, t) { ctx.buy(t.lastPrice, 1); } }', ['au2606']);
    for (const n of ['bad', 'loop', 'ok']) await host.start(n);
    host.dispatchTick(tick(61200, 1));
    await until(() => orders.length === 1);
    host.dispatchTick(tick(61202, 2));
    await until(() => host.get('bad')?.state === 'failed' && host.get('loop')?.state === 'failed');
    expect(host.get('bad')?.error).toMatch(/onTick: Error: kaboom/);
    expect(host.get('loop')?.error).toMatch(/onTick did not return within 300 ms/);
    host.dispatchTick(tick(61204, 3));
    await until(() => orders.length === 3);
    expect(host.get('ok')?.state).toBe('running');
  });

  it('refuses bad timer requests to the strategy with the reason, caps timers at 64, and cuts overlong log lines (console.log too)', async () => {
    const { host } = setup();
    const code = `export default {
      onStart(ctx) {
        ctx.log('x'.repeat(5000));
        console.log('y'.repeat(9000));
        for (const [name, ms] of [['nan', NaN], ['text', 'soon'], ['month', 31 * 24 * 3600 * 1000], ['', 100]]) {
          try { ctx.setTimer(name, ms); ctx.log('accepted ' + name); } catch (e) { ctx.log('refused: ' + e.message); }
        }
        for (let i = 0; i < 64; i++) ctx.setTimer('t' + i, 60000);
        try { ctx.setTimer('t64', 60000); ctx.log('accepted t64'); } catch (e) { ctx.log('refused: ' + e.message); }
        ctx.setTimer('t0', 60000); // replacing one is not one more
        ctx.clearTimer('t1');
        ctx.setTimer('t64', 60000);
        ctx.log('done');
      },
    };`;
    expect((await host.upload('timers', code, ['au2606'])).ok).toBe(true);
    expect((await host.start('timers')).ok).toBe(true);
    const lines = host.logs('timers').map((l) => l.message);
    expect(lines.find((l) => l.startsWith('xxx'))).toBe(
      `${'x'.repeat(4000)}… (1000 more characters not kept)`,
    );
    // console.log reaches the host through the worker's stdout, in chunks: each is cut on arrival.
    await until(() => host.logs('timers').some((l) => l.message.startsWith('yyy')));
    const printed = host.logs('timers').filter((l) => l.message.startsWith('yyy'));
    expect(printed.every((l) => l.message.length <= 4100)).toBe(true);
    expect(lines.filter((l) => l.startsWith('refused: '))).toEqual([
      'refused: ctx.setTimer("nan"): the period must be a number of milliseconds up to 2147483647 (about 24.8 days); got NaN',
      'refused: ctx.setTimer("text"): the period must be a number of milliseconds up to 2147483647 (about 24.8 days); got soon',
      'refused: ctx.setTimer("month"): the period must be a number of milliseconds up to 2147483647 (about 24.8 days); got 2678400000',
      'refused: ctx.setTimer: the name must be a non-empty string',
      'refused: ctx.setTimer("t64"): at most 64 timers per strategy; clear one first',
    ]);
    expect(lines).toContain('done');
    expect(host.get('timers')?.state).toBe('running');
  });

  it('a persistent state past 1 MiB fails the strategy with the reason; the last state that fitted stays journaled', async () => {
    const { host, journal } = setup();
    const code = `export default {
      onStart(ctx) { ctx.state.small = 1; },
      onTick(ctx) { ctx.state.history = 'x'.repeat(2 * 1024 * 1024); },
    };`;
    expect((await host.upload('hoard', code, ['au2606'])).ok).toBe(true);
    expect((await host.start('hoard')).ok).toBe(true);
    host.dispatchTick(tick(61200, 1));
    await until(() => host.get('hoard')?.state === 'failed');
    expect(host.get('hoard')?.error).toMatch(
      /^saving ctx\.state: RangeError: ctx\.state is \d{7} characters as JSON; at most 1048576 are kept/,
    );
    expect(journal.get('strategy:hoard:state')).toEqual({ small: 1 });
  });

  it('keeps only the stored version of an upload on the volume, and checks uploads arriving together one by one', async () => {
    const { host, dir, journal } = setup();
    const files = () => readdirSync(join(dir, 'uploads')).sort();
    expect((await host.upload('keep', 'export default { onTick() {} };', ['au2606'])).ok).toBe(true);
    const first = files();
    expect(first).toHaveLength(1);
    expect((await host.upload('keep', 'export default 5;', ['au2606'])).ok).toBe(false);
    expect(files()).toEqual(first); // refused: not kept
    expect((await host.upload('keep', 'export default { onBar() {} };', ['au2606'])).ok).toBe(true);
    expect(files()).toHaveLength(1); // replaced: the old version is gone
    expect(files()).not.toEqual(first);
    const together = await Promise.all(
      ['a', 'b', 'c', 'd'].map((n) =>
        host.upload(n, `export default { params: { ${n}: { type: 'integer', default: 1 } } };`, ['au2606']),
      ),
    );
    expect(together.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(host.list().map((s) => [s.name, Object.keys(s.params)])).toEqual([
      ['keep', []],
      ['a', ['a']],
      ['b', ['b']],
      ['c', ['c']],
      ['d', ['d']],
    ]);
    expect(files()).toHaveLength(5);
    // A file no stored upload names (its check brought the runtime down) is swept at the next start.
    writeFileSync(join(dir, 'uploads', 'hog.1796330000000-abcdef.mjs'), 'export default {};');
    const nextHost = new StrategyHost({
      journal,
      uploadDir: join(dir, 'uploads'),
      submit: () => {},
      cancelAll: () => {},
      positionsOf: () => ({}),
    });
    nextHost.restoreUploads();
    expect(files()).toHaveLength(5);
    expect(nextHost.list().map((s) => s.name)).toEqual(['keep', 'a', 'b', 'c', 'd']);
    await nextHost.close();
  });

  it("a start's failure names its step: loading the module or its onInit", async () => {
    const { host } = setup();
    await host.upload('warmup', 'export default { onInit() { throw new Error("no history"); } };', [
      'au2606',
    ]);
    expect(await host.start('warmup')).toMatchObject({ ok: false });
    expect(host.get('warmup')?.error).toMatch(
      /^onInit: Error: no history\n {4}at Object\.onInit \(warmup\.\d+-[0-9a-f]{6}\.mjs:1:\d+\)$/,
    );
  });

  it('orders are held back until the strategy is trading (onInit)', async () => {
    const { host, orders } = setup();
    await host.upload('eager', 'export default { onInit(ctx) { ctx.buy(61200, 1); } }', ['au2606']);
    await host.start('eager');
    await new Promise((r) => setTimeout(r, 100));
    expect(orders).toHaveLength(0);
    expect(host.logs('eager').some((l) => l.message.includes('held back'))).toBe(true);
  });
});

describe('what a strategy may use (confine.ts)', () => {
  it("cannot reach the worker's message ports to forge messages, and its console writes to its log", async () => {
    const { host } = setup();
    // Unconfined, process.stdout (and console._stdout) carry the worker's internal port to the engine's thread,
    // and a forged error message on it fails an assertion there: the whole process ends.
    const code = `export default {
      onStart(ctx) {
        const ports = new Set();
        const isPort = (v) => v !== null && typeof v === 'object' && typeof v.postMessage === 'function' && typeof v.on === 'function' && !Object.hasOwn(v, 'constructor'); // an instance, not MessagePort.prototype
        const look = (v) => { try { if (isPort(v)) ports.add(v); for (const k of Reflect.ownKeys(Object(v))) { const d = Object.getOwnPropertyDescriptor(v, k); if (d && 'value' in d && isPort(d.value)) ports.add(d.value); } } catch {} };
        try { for (const h of process._getActiveHandles()) look(h); } catch {}
        for (const v of [process.stdout, process.stderr, process.stdin, console._stdout, console._stderr]) look(v);
        const seen = new Set();
        const walk = (o, depth) => {
          if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 6) return;
          seen.add(o);
          look(o);
          for (const k of Reflect.ownKeys(o)) { let d; try { d = Object.getOwnPropertyDescriptor(o, k); } catch { continue; } if (d && 'value' in d) walk(d.value, depth + 1); }
        };
        walk(globalThis, 0);
        walk(process, 0);
        ctx.log('ports found: ' + ports.size);
        for (const p of ports) try { p.postMessage({ type: 'errorMessage', error: 5 }); } catch {}
        console.log('printed %d', 42);
        console.error(new Error('to stderr').message);
      },
    };`;
    expect((await host.upload('ports', code, ['au2606'])).ok).toBe(true);
    expect((await host.start('ports')).ok).toBe(true);
    await until(() => host.logs('ports').some((l) => l.message === 'to stderr'));
    const lines = host.logs('ports');
    expect(lines.map((l) => l.message)).toContain('ports found: 0');
    expect(lines.find((l) => l.message === 'printed 42')?.level).toBe('info');
    expect(lines.find((l) => l.message === 'to stderr')?.level).toBe('warn');
    expect(host.get('ports')?.state).toBe('running');
  });

  it('loads a strategy from a ConfigMap as the kubelet mounts it (symbolic links), with its helper; errors name its file', async () => {
    const { host, orders } = setup();
    // /etc/aurum/strategies/ema → ..data/ema, ..data → ..2026_12_03_…: the loader resolves to the last one.
    const root = mkdtempSync(join(tmpdir(), 'aurum-configmap-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const version = join(root, '..2026_12_03_20_00_00.1', 'ema');
    mkdirSync(version, { recursive: true });
    writeFileSync(join(version, 'helper.mjs'), 'export const lots = () => 1;\n');
    writeFileSync(
      join(version, 'ema.js'),
      "import { lots } from './helper.mjs';\nexport default { onTick(ctx, t) { if (t.lastPrice > 61300) null.x; ctx.buy(t.lastPrice, lots()); } };\n",
    );
    symlinkSync('..2026_12_03_20_00_00.1', join(root, '..data'));
    symlinkSync(join('..data', 'ema'), join(root, 'ema'));
    host.add({
      name: 'ema',
      file: join(root, 'ema', 'ema.js'),
      instruments: ['au2606'],
      params: {},
      enabled: true,
      source: 'configMap',
    });
    expect(await host.start('ema')).toMatchObject({ ok: true });
    host.dispatchTick(tick(61200, 1));
    await until(() => orders.length === 1);
    host.dispatchTick(tick(61400, 2));
    await until(() => host.get('ema')?.state === 'failed');
    expect(host.get('ema')?.error).toMatch(
      /^onTick: TypeError: .+\n {4}at Object\.onTick \(ema\.js:2:\d+\)$/,
    );
  });

  it('an upload importing fs, net, child_process or worker_threads is refused with the reason; nothing is stored', async () => {
    const { host } = setup();
    for (const mod of ['node:fs', 'fs', 'node:child_process', 'node:net', 'node:worker_threads']) {
      const r = await host.upload('sneaky', `import * as m from '${mod}';\nexport default { onTick() {} };`, [
        'au2606',
      ]);
      expect(r).toMatchObject({ ok: false, code: 'STRATEGY_INVALID' });
      expect(r.ok ? '' : r.message).toContain(`may not import ${mod}: strategies reach the counter`);
      expect(r.ok ? '' : r.message).not.toMatch(/node:internal|worker\.ts/);
    }
    expect(host.list()).toEqual([]);
  });

  it("a running strategy finds every way around Node's API closed, keeps its own helpers, and cannot kill the runtime", async () => {
    const { host, dir } = setup();
    const strategyDir = mkdtempSync(join(tmpdir(), 'aurum-confined-'));
    cleanups.push(() => rmSync(strategyDir, { recursive: true, force: true }));
    writeFileSync(join(strategyDir, 'helper.mjs'), 'export const double = (n) => 2 * n;\n');
    const outside = pathToFileURL(join(dir, 'j.db')).href;
    writeFileSync(
      join(strategyDir, 'probe.mjs'),
      `import { double } from './helper.mjs';
import { format } from 'node:util';
export default {
  async onInit(ctx) {
    const tries = {
      'import node:fs': () => import('node:fs'),
      'import fs': () => import('fs'),
      'import node:child_process': () => import('node:child_process'),
      'import data:': () => import('data:text/javascript,export default 1'),
      'import the journal': () => import(${JSON.stringify(outside)}),
      getBuiltinModule: () => process.getBuiltinModule('node:fs'),
      binding: () => process.binding('fs'),
      dlopen: () => process.dlopen({ exports: {} }, '/nonexistent.node'),
      'report.writeReport': () => process.report.writeReport('/tmp/aurum-report.json'),
      fetch: () => fetch('http://127.0.0.1:9/'),
      WebSocket: () => new WebSocket('ws://127.0.0.1:9/'),
      'restore kill': () => { process.kill = () => {}; if (process.kill === undefined) throw new Error('read-only'); },
    };
    for (const [name, f] of Object.entries(tries)) {
      try { await f(); ctx.log(name + ': ALLOWED'); } catch (e) { ctx.log(name + ': refused: ' + e.message); }
    }
    ctx.log(format('helper %d, environment variables %d', double(21), Object.keys(process.env).length));
  },
  onTick() { process.kill(process.pid, 'SIGKILL'); },
};
`,
    );
    host.add({
      name: 'probe',
      file: join(strategyDir, 'probe.mjs'),
      instruments: ['au2606'],
      params: {},
      enabled: true,
      source: 'configMap',
    });
    expect((await host.start('probe')).ok).toBe(true);
    const lines = host.logs('probe').map((l) => l.message);
    expect(lines.filter((l) => l.includes('ALLOWED'))).toEqual([]);
    expect(lines.filter((l) => l.includes(': refused: '))).toHaveLength(12);
    expect(lines.find((l) => l.startsWith('import node:fs'))).toContain('may not import node:fs');
    expect(lines).toContain('helper 42, environment variables 0');
    host.dispatchTick(tick(61200, 1));
    await until(() => host.get('probe')?.state === 'failed');
    expect(host.get('probe')?.error).toMatch(
      /^onTick: TypeError: process\.kill is not a function\n {4}at Object\.onTick \(probe\.mjs:\d+:\d+\)$/,
    );
    // The hook and the removals are the strategy thread's: this thread still has its file system.
    expect(existsSync(dir)).toBe(true);
    expect(typeof (await import('node:child_process')).spawn).toBe('function');
    expect(typeof process.kill).toBe('function');
  });
});
