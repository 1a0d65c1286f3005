/**
 * The start-and-wait logic of `up` on harmless stand-in processes (sleep/false) in a temporary state
 * directory: a healthy start, a crash right after start, and a port held by someone else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component } from './components.ts';
import { layout } from './config.ts';
import { livePid, stopProc } from './lib/procs.ts';
import { StepError } from './lib/steps.ts';
import { ensureComponent, type StartContext } from './start.ts';

let dir = '';
let ctx: StartContext;

function fake(
  name: string,
  bin: string,
  args: string[],
  health: () => Promise<string>,
  ports?: number[],
): Component {
  return { name, spec: { name, bin, args }, health, ports };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'up-test-'));
  const l = layout({ state: dir, cache: join(dir, 'cache') });
  ctx = { l, comps: [] };
});

afterEach(async () => {
  for (const c of ctx.comps) await stopProc({ run: ctx.l.run, logs: ctx.l.logs }, c.name, c.spec.bin, 1000);
  rmSync(dir, { recursive: true, force: true });
});

describe('ensureComponent', () => {
  it('starts a process, waits for health, and is a no-op the second time', async () => {
    let calls = 0;
    ctx.comps = [fake('sleeper', '/usr/bin/sleep', ['30'], async () => (++calls >= 2 ? '' : 'starting'), [])];
    expect(await ensureComponent(ctx, 'sleeper', 10_000)).toBeUndefined();
    expect(livePid({ run: ctx.l.run, logs: ctx.l.logs }, 'sleeper', '/usr/bin/sleep')).toBeGreaterThan(0);
    expect(await ensureComponent(ctx, 'sleeper', 10_000)).toBe('already running');
  });

  it('reports a process that exits at once with its log file, without waiting for the timeout', async () => {
    ctx.comps = [fake('crasher', '/usr/bin/false', [], async () => 'down', [])];
    const t0 = Date.now();
    const err = await ensureComponent(ctx, 'crasher', 30_000).catch((e) => e);
    expect(err).toBeInstanceOf(StepError);
    expect(err.message).toContain('crasher exited right after start');
    expect(err.log).toBe(join(ctx.l.logs, 'crasher.log'));
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('refuses to start when a needed port is taken, naming the port and the fix', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      ctx.comps = [fake('needsport', '/usr/bin/sleep', ['30'], async () => 'down', [port])];
      const err = await ensureComponent(ctx, 'needsport', 5000).catch((e) => e);
      expect(err).toBeInstanceOf(StepError);
      expect(err.message).toBe(`port ${port} (needed by needsport) is in use by another process`);
      expect(err.fix).toContain(`sport = :${port}`);
    } finally {
      server.close();
    }
  });
});
