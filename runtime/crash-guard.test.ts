/**
 * The crash guard against real processes: the runtime (a child process, started as the image starts it) with
 * the real counter simulator. A strategy that makes V8 abort the whole process, and one that SIGKILLs it (as
 * the kernel does at a pod's memory limit), must not keep the runtime down: the next start holds the culprit
 * back — found from Node's crash report — or, without a report, stops starting strategies after a crash loop.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../common/fix/testing.ts';
import type { RuntimeConfigInput } from '../common/runtime-config.ts';
import { DEFAULT_USERS, usersJson } from './api/testing/harness.ts';
import { openJournal } from './journal/journal.ts';
import {
  liveContract,
  type RuntimeProcess,
  spawnRuntime,
  waitReady,
  writeRuntimeConfig,
} from './testing/runtime-process.ts';
import {
  SIM_ACCOUNT,
  type SimulatorProcess,
  simCounter,
  startSimulatorProcess,
} from './testing/simulator-process.ts';

const TESTING = resolve(import.meta.dirname, 'testing');
const HOG = join(TESTING, 'huge-allocation-strategy.js');
const CHURN = join(TESTING, 'churn-strategy.js');
const SLOW_START = join(TESTING, 'slow-start-strategy.js');

const root = mkdtempSync(join(tmpdir(), 'aurum-crash-'));
let sim: SimulatorProcess;
beforeAll(async () => {
  sim = await startSimulatorProcess({ liquidityMs: 50 });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A runtime configuration in a directory of its own, with the given strategies. */
async function setUp(
  name: string,
  strategies: Array<{ name: string; file: string; params?: Record<string, unknown> }>,
  crashGuard: RuntimeConfigInput['crashGuard'] = {},
): Promise<{ dir: string; config: string; port: number; journalPath: string }> {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true }); // a retry starts from nothing, as the first try did
  const instrument = liveContract();
  const port = await freePort();
  const journalPath = join(dir, 'data', 'journal.db');
  const config = writeRuntimeConfig(
    dir,
    {
      platform: { name, namespace: 'test', investor: name },
      counter: simCounter(sim, join(dir, 'counter'), { heartbeatSeconds: 5 }),
      marketData: { instruments: [instrument] },
      strategies: strategies.map((s) => ({ params: {}, ...s, instruments: [instrument], enabled: true })),
      risk: { maxOrdersPerSecond: 20, maxPositionLots: 10_000, tradingHours: 'always' },
      api: { port, usersFile: join(dir, 'users.json') },
      journal: { path: journalPath },
      crashGuard,
    },
    SIM_ACCOUNT.password,
  );
  return { dir, config, port, journalPath };
}

/** Waits for a run that is expected to die by itself; returns how it ended. */
async function diesOnItsOwn(p: RuntimeProcess, timeoutMs = 60_000): Promise<string> {
  const how = new Promise<string>((r) => p.child.on('exit', (code, signal) => r(signal ?? `code ${code}`)));
  const timeout = new Promise<string>((r) => setTimeout(() => r('still running'), timeoutMs));
  const ended = await Promise.race([how, timeout]);
  if (ended === 'still running') {
    p.child.kill('SIGKILL');
    throw new Error(`the runtime did not die: ${p.output.join('').slice(-2000)}`);
  }
  return ended;
}

/** Starts a run and SIGKILLs it as soon as its journal records `what` (once more than before); returns how it ended. */
async function killedWhen(journalPath: string, what: string, config: string): Promise<string> {
  const count = () =>
    existsSync(journalPath) ? lifecycle(journalPath).filter((e) => e.what === what).length : 0;
  const before = count();
  const p = spawnRuntime(config);
  const how = new Promise<string>((r) => p.child.on('exit', (code, signal) => r(signal ?? `code ${code}`)));
  const end = Date.now() + 60_000;
  while (count() === before) {
    if (Date.now() > end || p.child.exitCode !== null)
      throw new Error(`never journaled ${what}: ${p.output.join('').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  p.child.kill('SIGKILL');
  return how;
}

/** Stops a run the way Kubernetes does (SIGTERM) after it stayed up for `ms`. */
async function staysUpThenStops(p: RuntimeProcess, ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  expect(p.child.exitCode, p.output.join('').slice(-2000)).toBeNull();
  p.child.kill('SIGTERM');
  await p.exited;
}

/** Waits until the journal records `what` (a lifecycle entry, see {@link lifecycle}). */
async function journaled(journalPath: string, what: string, p: RuntimeProcess, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(existsSync(journalPath) && lifecycle(journalPath).some((e) => e.what === what))) {
    if (Date.now() > end || p.child.exitCode !== null)
      throw new Error(`never journaled ${what}: ${p.output.join('').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The journal's strategy lifecycle events, in order, as `kind name` (plus the error of a failure). */
function lifecycle(journalPath: string): Array<{ what: string; error?: string }> {
  const j = openJournal(journalPath);
  try {
    return j
      .events(0, 1_000_000)
      .filter((e) => e.kind.startsWith('strategy') || e.kind === 'engineStarted')
      .map((e) => {
        const d = e.data as { name?: string; error?: string };
        return { what: `${e.kind}${d.name ? ` ${d.name}` : ''}`, ...(d.error ? { error: d.error } : {}) };
      });
  } finally {
    j.close();
  }
}

describe('crash guard', () => {
  it('a strategy that makes V8 abort the runtime is held back at the next start; the others trade', async () => {
    const s = await setUp('abort', [
      { name: 'churn', file: CHURN },
      { name: 'hog', file: HOG },
    ]);
    const first = spawnRuntime(s.config);
    const ended = await diesOnItsOwn(first);
    expect(first.output.join('')).toContain('JavaScript heap out of memory');
    expect(ended).not.toBe('code 0');
    const reports = join(s.dir, 'data', 'crash-reports');
    expect(readdirSync(reports).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    const second = spawnRuntime(s.config);
    await waitReady(s.port, 60_000, second);
    await staysUpThenStops(second, 3000);

    expect(readdirSync(reports)).toEqual([]); // read, and not left lying around
    const events = lifecycle(s.journalPath);
    const secondStart = events.map((e) => e.what).lastIndexOf('engineStarted');
    const held = events.find((e) => e.what === 'strategyFailed hog');
    expect(held?.error).toMatch(
      /^not restarted: the runtime was aborted at .+ by "Allocation failed - JavaScript heap out of memory" in this strategy's worker: one allocation larger than its 64 MB memory cap allows/,
    );
    const afterwards = events.slice(secondStart).map((e) => e.what);
    expect(afterwards).toContain('strategyStarted churn');
    expect(afterwards).not.toContain('strategyStarting hog');
    expect(second.output.join('')).toContain('RUNTIME_CRASHED');

    const j = openJournal(s.journalPath);
    const orders = j.orders().filter((o) => o.origin === 'churn');
    j.close();
    expect(orders.length).toBeGreaterThan(0); // the other strategy traded in the second run
  }, 180_000);

  it('a strategy during whose start the runtime was killed twice (as the OOM killer does) is held back; the others trade', async () => {
    // A strategy cannot kill the runtime itself (confine.ts), so the kill comes from outside, as the
    // kernel's does: SIGKILL, no report, while the strategy is still loading.
    const s = await setUp('start', [
      { name: 'churn', file: CHURN },
      { name: 'killer', file: SLOW_START, params: { initMs: 60_000 } },
    ]);
    for (let i = 0; i < 2; i++)
      expect(await killedWhen(s.journalPath, 'strategyStarting killer', s.config)).toBe('SIGKILL');
    const third = spawnRuntime(s.config);
    await waitReady(s.port, 60_000, third);
    await staysUpThenStops(third, 3000);
    const events = lifecycle(s.journalPath);
    const held = events.filter((e) => e.what === 'strategyFailed killer');
    expect(held).toHaveLength(1);
    expect(held[0]!.error).toMatch(
      /^not restarted: .+ while this strategy was starting .+ in each of the last two runs/,
    );
    const thirdStart = events.map((e) => e.what).lastIndexOf('engineStarted');
    expect(events.slice(thirdStart).map((e) => e.what)).toContain('strategyStarted churn');
    expect(third.output.join('')).toContain('RUNTIME_CRASHED');
  }, 180_000);

  it('after a crash loop without a report or a suspect no strategy starts by itself', async () => {
    // Killed once the strategy is running: nothing points at it.
    const s = await setUp('loop', [{ name: 'bystander', file: CHURN }], { holdAfterCrashes: 2 });
    for (let i = 0; i < 2; i++)
      expect(await killedWhen(s.journalPath, 'strategyStarted bystander', s.config)).toBe('SIGKILL');
    expect(existsSync(join(s.dir, 'data', 'crash-reports'))).toBe(true);

    const third = spawnRuntime(s.config);
    await waitReady(s.port, 60_000, third);
    await staysUpThenStops(third, 1500);
    const events = lifecycle(s.journalPath).map((e) => e.what);
    expect(events.filter((w) => w === 'strategyStarting bystander')).toHaveLength(2);
    const held = lifecycle(s.journalPath).filter((e) => e.what === 'strategyFailed bystander');
    expect(held).toHaveLength(1);
    expect(held[0]!.error).toMatch(/^not restarted: the runtime ended abnormally 2 times in a row/);
    expect(third.output.join('')).toContain('crash loop');
  }, 180_000);

  it('a stop (SIGTERM) while strategies are still starting is a clean stop, not a crash, and starts no more of them', async () => {
    // One abnormal end would hold every strategy back: the stop must not count as one.
    const s = await setUp(
      'term',
      [
        { name: 'slow', file: SLOW_START, params: { initMs: 3000 } },
        { name: 'later', file: SLOW_START, params: { initMs: 3000 } },
      ],
      { holdAfterCrashes: 1 },
    );
    const first = spawnRuntime(s.config);
    await journaled(s.journalPath, 'strategyStarting slow', first);
    first.child.kill('SIGTERM');
    const ended = await diesOnItsOwn(first);
    expect(ended, first.output.join('').slice(-2000)).toBe('code 0');
    expect(first.output.join('')).toContain('stop requested while starting');
    // The strategy after the one starting was not started: the stop did not wait for it too.
    expect(lifecycle(s.journalPath).map((e) => e.what)).not.toContain('strategyStarting later');

    const second = spawnRuntime(s.config);
    await waitReady(s.port, 60_000, second);
    await journaled(s.journalPath, 'strategyStarted later', second);
    await staysUpThenStops(second, 500);
    const events = lifecycle(s.journalPath);
    expect(events.filter((e) => e.what === 'strategyStarted slow')).toHaveLength(2);
    expect(events.filter((e) => e.what === 'strategyStarted later')).toHaveLength(1);
    expect(events.some((e) => e.what.startsWith('strategyFailed'))).toBe(false);
    expect(second.output.join('')).not.toContain('RUNTIME_CRASHED');
  }, 180_000);

  it('an upload whose check aborts the runtime is not stored; the next start says so and holds nothing back', async () => {
    const s = await setUp('upload', [{ name: 'churn', file: CHURN }]);
    writeFileSync(join(s.dir, 'users.json'), await usersJson(DEFAULT_USERS));
    const api = `http://127.0.0.1:${s.port}/api`;
    const first = spawnRuntime(s.config);
    await waitReady(s.port, 60_000, first);
    const { username, password } = DEFAULT_USERS[0]!;
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    // Top-level code runs when the module is checked: one allocation past the check's heap cap.
    const code = 'globalThis.hoard = new Array(16_000_000).fill(1.5);\nexport default {};\n';
    const answer = await fetch(`${api}/strategies/hog/code`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    }).then(
      (r) => `HTTP ${r.status}`,
      () => 'no answer',
    );
    expect(answer).toBe('no answer');
    expect(await diesOnItsOwn(first)).not.toBe('code 0');
    expect(first.output.join('')).toContain('JavaScript heap out of memory');

    const second = spawnRuntime(s.config);
    await waitReady(s.port, 60_000, second);
    // Sessions outlive a restart (they are journaled), so the same token reads what the restart found.
    const risk = (await (await fetch(`${api}/risk`, { headers: auth })).json()) as {
      alerts: Array<{ code: string; message: string }>;
    };
    const crashed = risk.alerts.find((a) => a.code === 'RUNTIME_CRASHED');
    expect(crashed?.message).toMatch(
      /an upload of strategy hog aborted the previous run .*while it was being checked .*the upload was not stored/,
    );
    expect(crashed?.message).not.toMatch(/crash loop|ended abnormally/);
    const list = (await (await fetch(`${api}/strategies`, { headers: auth })).json()) as Array<{
      name: string;
      state: string;
    }>;
    expect(list.map((x) => x.name)).not.toContain('hog');
    await staysUpThenStops(second, 500);
    const events = lifecycle(s.journalPath).map((e) => e.what);
    const secondStart = events.lastIndexOf('engineStarted');
    expect(events.slice(secondStart)).toContain('strategyStarted churn');
    expect(events).not.toContain('strategyFailed churn');
  }, 180_000);
});
