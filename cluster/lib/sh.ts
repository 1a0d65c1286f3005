/**
 * Small process helpers shared by the cluster tooling: run a command and capture its output, check that a
 * binary exists, and wait for a condition. Everything that touches processes goes through here so failures
 * carry the command line and its stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Result of a finished command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  /** working directory (default: current) */
  cwd?: string;
  /** extra environment merged over `process.env` */
  env?: NodeJS.ProcessEnv;
  /** data written to stdin */
  input?: string | Buffer;
  /** throw when the exit code is not 0 (default: true) */
  check?: boolean;
  /** kill after this many ms (default: none) */
  timeoutMs?: number;
}

/** Thrown by {@link run} when a command fails; carries the command and its stderr. */
export class CommandError extends Error {
  readonly result: RunResult;
  constructor(cmd: string, args: readonly string[], result: RunResult) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    super(`command failed (exit ${result.code}): ${cmd} ${args.join(' ')}\n${tail}`);
    this.result = result;
  }
}

/** Runs a command synchronously and captures its output. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): RunResult {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs,
  });
  const result: RunResult = {
    code: r.status ?? (r.error ? 127 : 128),
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? String(r.error.message) : ''),
  };
  if ((opts.check ?? true) && result.code !== 0) throw new CommandError(cmd, args, result);
  return result;
}

/** Runs a command asynchronously (for long builds), appending stdout and stderr to `logFd`. */
export function runLogged(
  cmd: string,
  args: readonly string[],
  logFd: number,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['ignore', logFd, logFd],
    });
    p.on('error', () => resolve(127));
    p.on('exit', (code) => resolve(code ?? 128));
  });
}

/** Returns the absolute path of `name` on PATH (or the path itself if it is absolute and executable). */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {}
  }
  return undefined;
}

/** Sleeps for `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes.
 * @returns the truthy value, or undefined on timeout
 */
export async function poll<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {}
    if (Date.now() >= deadline) return undefined;
    await sleep(intervalMs);
  }
}
