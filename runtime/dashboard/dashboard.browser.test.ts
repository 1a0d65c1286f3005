/**
 * The dashboard end to end in a real headless Chromium (Debian's, driven by playwright-core): the real counter
 * simulator (`node simulator/main.ts`) and the real runtime (`node runtime/main.ts`, engine + investor API +
 * dashboard) run as child processes on loopback ports. The test logs in, starts the sample EMA-crossover
 * strategy, watches its order appear live, enters and cancels a manual order, and saves a screenshot to
 * e2e/artifacts/dashboard.png.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../common/fix/testing.ts';
import { DEFAULT_USERS, usersJson } from '../api/testing/harness.ts';
import {
  liveContract,
  type RuntimeProcess,
  spawnRuntime,
  waitReady,
  writeRuntimeConfig,
} from '../testing/runtime-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'e2e/artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let dir: string;
let simulator: ChildProcess | undefined;
const simOutput: string[] = [];
let runtime: RuntimeProcess | undefined;
let browser: BrowserContext | undefined;
let page: Page;
let base: string;
let instrument: string;

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null ? r() : p.once('exit', () => r())));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  dir = mkdtempSync(join(tmpdir(), 'aurum-dash-'));
  const [fixPort, adminPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  instrument = liveContract();
  simulator = spawn(process.execPath, [join(ROOT, 'simulator/main.ts')], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      SIM_FIX_PORT: String(fixPort),
      SIM_ADMIN_PORT: String(adminPort),
      SIM_DATA_DIR: join(dir, 'simulator'),
      SIM_ALWAYS_OPEN: 'true',
      SIM_ACCOUNTS: JSON.stringify([
        { id: '80001', compId: 'ALICE', password: 'alice-pw', fundCny: '1000000' },
      ]),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  simulator.stdout?.on('data', (d: Buffer) => simOutput.push(d.toString()));
  simulator.stderr?.on('data', (d: Buffer) => simOutput.push(d.toString()));
  writeFileSync(join(dir, 'users.json'), await usersJson(DEFAULT_USERS));
  const config = writeRuntimeConfig(
    dir,
    {
      platform: { name: 'alice', namespace: 'investors', investor: 'alice' },
      counter: {
        protocol: 'fix44',
        endpoints: [{ host: '127.0.0.1', port: fixPort }],
        senderCompId: 'ALICE',
        targetCompId: 'COUNTER',
        accountId: '80001',
        credentialsDir: join(dir, 'counter'),
        heartbeatSeconds: 5,
      },
      marketData: { instruments: [instrument] },
      strategies: [
        {
          name: 'ema-cross',
          file: join(ROOT, 'examples/strategies/ema-cross.js'),
          instruments: [instrument],
          // Short averages on ticks so a crossing comes within seconds on the simulator's market.
          params: { fast: 3, slow: 6, useTicks: true },
          enabled: false,
        },
      ],
      risk: { tradingHours: 'always' },
      api: { port: apiPort, usersFile: join(dir, 'users.json') },
      journal: { path: join(dir, 'data', 'journal.db') },
    },
    'alice-pw',
  );
  runtime = spawnRuntime(config, { LOG_LEVEL: 'warn' });
  // Ready = logged on to the simulator (the runtime retries until the simulator listens) and journal open.
  await waitReady(apiPort, 90_000, runtime).catch((err) => {
    throw new Error(`${err.message}\nsimulator: ${simOutput.join('').slice(-2000)}`);
  });
  base = `http://127.0.0.1:${apiPort}`;
  browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 980 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (err) => console.error('page error:', err));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const p of [runtime?.child, simulator]) {
    if (p && p.exitCode === null) {
      p.kill('SIGTERM');
      await Promise.race([exited(p), new Promise((r) => setTimeout(r, 5000))]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dashboard in Chromium against the real engine and simulator', () => {
  it('refuses a wrong password with the API’s message', async () => {
    await page.goto(base);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wrong');
    await page.click('#login-form button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toBe('Unknown username or wrong password.');
  });

  it('logs in, starts the sample strategy and shows its order live', async () => {
    await page.fill('#username', 'alice');
    await page.fill('#password', DEFAULT_USERS[0]!.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app-view:not([hidden])');
    await page.waitForSelector('#conn.ok');
    expect(await page.textContent('#acct-id')).toBe('80001');
    await page.click('[data-action="start"][data-name="ema-cross"]');
    await page.waitForSelector('[data-strategy="ema-cross"][data-state="running"]');
    await page.click('.tab[data-tab="orders"]');
    const row = await page.waitForSelector('#orders tr[data-origin="ema-cross"]', { timeout: 90_000 });
    expect(await row.textContent()).toContain(instrument);
  }, 120_000);

  it('enters a manual order from the ticket and cancels it from the table', async () => {
    await page.click('.tab[data-tab="working"]');
    // One yuan under the bid (50 ticks, inside the risk engine's price band): it rests, so it can be cancelled.
    const bid = await page.evaluate(async (inst) => {
      const ticks = await (await fetch('/api/market/ticks')).json();
      return ticks.find((t: { instrument: string }) => t.instrument === inst).bidPrice as string;
    }, instrument);
    const fen = Math.round(Number(bid) * 100) - 100;
    const price = ((fen - (fen % 2)) / 100).toFixed(2);
    await page.fill('#ticket [name=price]', price);
    await page.fill('#ticket [name=quantity]', '1');
    await page.click('#ticket-submit');
    const row = await page.waitForSelector('#orders tr[data-origin="manual:alice"][data-status="new"]', {
      timeout: 30_000,
    });
    const id = await row.getAttribute('data-clordid');
    await page.click(`[data-cancel="${id}"]`);
    await page.click('.tab[data-tab="orders"]');
    await page.waitForSelector(`#orders tr[data-clordid="${id}"][data-status="cancelled"]`, {
      timeout: 30_000,
    });
  }, 90_000);

  it('pauses and resumes trading, and opens the strategy log', async () => {
    await page.click('#btn-pause');
    await page.fill('#dialog-form [name=reason]', 'browser test');
    await page.click('#dialog-form button.warn');
    await expect.poll(() => page.textContent('#pause-state')).toBe('PAUSED — browser test');
    // The risk panel's headline counts critical alerts; the pause is one of them only while it lasts.
    const criticals = async () =>
      Number((await page.textContent('#risk-summary'))?.match(/(\d+) critical/)?.[1] ?? 0);
    await expect.poll(criticals).toBeGreaterThan(0);
    const whilePaused = await criticals();
    await page.click('#btn-resume');
    await expect.poll(() => page.textContent('#pause-state')).toBe('Trading');
    await expect.poll(criticals).toBe(whilePaused - 1);
    await expect.poll(() => page.textContent('#risk')).toContain('Trading resumed by alice');
    await page.click('[data-action="logs"][data-name="ema-cross"]');
    await expect.poll(() => page.textContent('#dialog-form pre.logs')).toMatch(/started/);
    await page.click('#dialog-form button[value=cancel]');
  });

  it('uploads a strategy from the dialog: a syntax error is refused with where it is, the mended module joins the list', async () => {
    await page.click('#btn-upload');
    try {
      await page.fill('#dialog-form [name=name]', 'typo');
      const code = (condition: string) =>
        `export default {\n  onTick(ctx, tick) { if ${condition} { ctx.log('up'); } },\n};\n`;
      await page.fill('#dialog-form [name=code]', code('(tick.lastPrice > 1'));
      await page.click('#dialog-form button.primary');
      const refused = await page.waitForSelector('.toast.error:has-text("Syntax error")');
      expect(await refused.textContent()).toMatch(
        /Syntax error at line 2, column \d+: Expected '\)', got '\{'/,
      );
      // The dialog stays open with the code, to be mended.
      await page.fill('#dialog-form [name=code]', code('(tick.lastPrice > 1)'));
      await page.click('#dialog-form button.primary');
      await page.waitForSelector('[data-strategy="typo"][data-state="stopped"]');
      expect(await page.isVisible('#dialog')).toBe(false);
    } finally {
      if (await page.isVisible('#dialog')) await page.click('#dialog-form button[value=cancel]');
    }
  });

  it('saves a screenshot of the live dashboard', async () => {
    await page.waitForTimeout(3000);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'dashboard.png');
    await page.screenshot({ path: file });
    expect(existsSync(file)).toBe(true);
  });

  it('shows a viewer the same account without any trading control', async () => {
    await page.click('#btn-logout');
    await page.waitForSelector('#login-view:not([hidden])');
    await page.fill('#username', 'bob');
    await page.fill('#password', DEFAULT_USERS[1]!.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app-view:not([hidden])');
    expect(await page.textContent('#user-role')).toBe('viewer');
    await page.click('.tab[data-tab="orders"]');
    // The panels were emptied at logout, so these rows are rendered for the viewer.
    await page.waitForSelector('#orders tr[data-origin="ema-cross"]');
    await page.waitForSelector('[data-strategy="ema-cross"]');
    for (const sel of ['#btn-pause', '#btn-cancel-all', '#ticket', '[data-action="stop"]', '[data-cancel]'])
      expect(await page.isVisible(sel), sel).toBe(false);
  });
});
