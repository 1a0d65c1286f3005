/**
 * Test helper: writes a runtime configuration and runs `node runtime/main.ts` as a child process (so a
 * test can SIGKILL it), waiting for readiness over HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RuntimeConfigInput } from '../../common/runtime-config.ts';
import { listedContracts, makeCalendar, tradingDayOf } from '../../common/shfe/index.ts';

const MAIN = resolve(import.meta.dirname, '../main.ts');

/** A contract listed today (the risk engine refuses expired ones), second nearest. */
export function liveContract(now = Date.now()): string {
  const cal = makeCalendar();
  return listedContracts(cal, tradingDayOf(cal, now))[1]!;
}

/** Writes `runtime.json` (and the counter password) under `dir`; returns the config path. */
export function writeRuntimeConfig(dir: string, config: RuntimeConfigInput, password = 'pw'): string {
  mkdirSync(join(dir, 'counter'), { recursive: true });
  writeFileSync(join(dir, 'counter', 'password'), `${password}\n`);
  const path = join(dir, 'runtime.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** A running runtime child process. */
export interface RuntimeProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** Spawns the runtime with a config file. */
export function spawnRuntime(configPath: string, env: Record<string, string> = {}): RuntimeProcess {
  // As the image's entry point: crash reports on (runtime/strategy/fatal-reports.ts), without the environment.
  const child = spawn(process.execPath, ['--report-exclude-env', MAIN], {
    env: { ...process.env, AURUM_RUNTIME_CONFIG: configPath, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output, exited };
}

/** Polls `/readyz` until it answers 200. */
export async function waitReady(port: number, timeoutMs = 30_000, proc?: RuntimeProcess): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`runtime not ready on ${port}: ${proc?.output.join('').slice(-3000) ?? ''}`);
}
