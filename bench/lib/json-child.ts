/**
 * Runs a replay in a process of its own whose last line on stdout is its result as JSON (the Python peers,
 * Aurum's replay child): the result, or why there is none (the error or exit status and the last lines of
 * stderr).
 */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';

export type ChildResult<T> = { ok: true; result: T } | { ok: false; reason: string };

export function runJsonChild<T>(
  command: string,
  args: readonly string[],
  options: Pick<SpawnSyncOptions, 'env' | 'timeout'>,
): ChildResult<T> {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  const last = `${r.stdout ?? ''}`.trim().split('\n').pop() ?? '';
  if (r.status === 0 && last.startsWith('{')) {
    try {
      return { ok: true, result: JSON.parse(last) as T };
    } catch {
      // fall through to the failure report
    }
  }
  const why = r.error?.message ?? `exit ${r.status}`;
  return { ok: false, reason: `${why}: ${`${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')}` };
}
