/**
 * Background processes of the local cluster: each runs detached, writes its pid to `<run>/<name>.pid`
 * and its output to `<logs>/<name>.log`. A pid only counts as ours while /proc/<pid>/exe is still the
 * binary we started (pids get reused).
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { sleep } from './sh.ts';

/** A managed background process. */
export interface ProcSpec {
  name: string;
  bin: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** Where a process's pid file and log live. */
export interface ProcDirs {
  run: string;
  logs: string;
}

export const pidFile = (d: ProcDirs, name: string) => join(d.run, `${name}.pid`);
export const logFile = (d: ProcDirs, name: string) => join(d.logs, `${name}.log`);

/** Returns the pid if the process recorded for `name` is alive and still runs `bin`. */
export function livePid(d: ProcDirs, name: string, bin?: string): number | undefined {
  const f = pidFile(d, name);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    if (bin && exe !== bin) return undefined;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return undefined; // zombie
    return pid;
  } catch {
    return undefined;
  }
}

/** Starts `spec` detached (its own session, so it outlives this CLI). Appends to its log. */
export function startProc(d: ProcDirs, spec: ProcSpec): number {
  mkdirSync(d.run, { recursive: true });
  mkdirSync(d.logs, { recursive: true });
  const log = logFile(d, spec.name);
  const fd = openSync(log, 'a');
  writeFileSync(fd, `\n--- ${new Date().toISOString()} starting ${spec.bin} ${spec.args.join(' ')}\n`);
  const child = spawn(spec.bin, spec.args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...spec.env },
  });
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${spec.bin}; see ${log}`);
  child.unref();
  writeFileSync(pidFile(d, spec.name), `${child.pid}\n`);
  return child.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** Stops a process by pid: SIGTERM, then SIGKILL after `graceMs`. Resolves when it is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {}
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
    while (alive(pid)) await sleep(50);
  }
}

/** Stops the process recorded for `name` (if it is ours) and removes its pid file. */
export async function stopProc(d: ProcDirs, name: string, bin?: string, graceMs?: number): Promise<boolean> {
  const pid = livePid(d, name, bin);
  if (pid) await stopPid(pid, graceMs);
  rmSync(pidFile(d, name), { force: true });
  return pid !== undefined;
}

/** Last lines of a log, for error messages. */
export function logTail(path: string, lines = 12): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
