/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core): log in, start the sample
 * strategy, watch its order appear live, enter and cancel a manual order, and save a screenshot to
 * e2e/artifacts/dashboard.png. The engine behind the API is the in-memory fake (runtime/api/testing).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { buildApiServer } from '../api/server.ts';
import { createFakeEngine } from '../api/testing/fake-engine.ts';
import { DEFAULT_USERS, usersJson } from '../api/testing/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '../../e2e/artifacts');
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

let app: FastifyInstance;
let browser: BrowserContext;
let page: Page;
let base: string;
let stopFeed: () => void;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/setup-host.ts does it)`);
  dir = mkdtempSync(join(tmpdir(), 'aurum-dash-'));
  writeFileSync(join(dir, 'users.json'), await usersJson(DEFAULT_USERS));
  // Ninety minutes of history in fast-forward, then real time.
  let offset = -90 * 60_000;
  const engine = createFakeEngine({ now: () => Date.now() + offset, seed: 7 });
  for (let i = 0; i < 360; i++) {
    engine.step();
    offset += 15_000;
  }
  offset = 0;
  stopFeed = engine.run(150);
  app = await buildApiServer({
    engine,
    usersFile: join(dir, 'users.json'),
    health: () => ({ ready: true, checks: {} }),
    logger: createLogger('dashboard-test', { level: 'warn' }),
    platform: {
      async current() {
        return { profile: 'standard', allowedProfiles: ['standard', 'large'] };
      },
      async requestProfile(profile) {
        return { ok: true, value: { profile } };
      },
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  // A fresh profile directory per run.
  browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 980 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (err) => console.error('page error:', err));
});

afterAll(async () => {
  await browser?.close();
  stopFeed?.();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
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
    await page.waitForSelector('#price-chart canvas');
    await page.click('[data-action="start"][data-name="ema-cross"]');
    await page.waitForSelector('[data-strategy="ema-cross"][data-state="running"]');
    await page.click('.tab[data-tab="orders"]');
    const row = await page.waitForSelector('#orders tr[data-origin="ema-cross"]', { timeout: 30_000 });
    expect(await row.textContent()).toMatch(/au2606/);
  });

  it('enters a manual order from the ticket and cancels it from the table', async () => {
    await page.click('.tab[data-tab="working"]');
    await page.fill('#ticket [name=price]', '500.00');
    await page.fill('#ticket [name=quantity]', '2');
    await page.click('#ticket-submit');
    const row = await page.waitForSelector('#orders tr[data-origin="manual:alice"][data-status="new"]');
    const id = await row.getAttribute('data-clordid');
    await page.click(`[data-cancel="${id}"]`);
    await page.waitForSelector(`#orders tr[data-clordid="${id}"]`, { state: 'detached' });
    await page.click('.tab[data-tab="orders"]');
    await page.waitForSelector(`#orders tr[data-clordid="${id}"][data-status="cancelled"]`);
  });

  it('saves a screenshot of the live dashboard', async () => {
    // Let a few more ticks and strategy orders arrive so the picture shows a working platform.
    await page.waitForTimeout(2500);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'dashboard.png');
    await page.screenshot({ path: file });
    expect(existsSync(file)).toBe(true);
  });
});
