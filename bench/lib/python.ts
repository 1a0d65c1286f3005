/**
 * The Python side of a benchmark: a virtualenv outside the repository with the peers' pinned packages,
 * created on first use, and a runner that starts one peer script and reads its JSON result line.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type ChildResult, runJsonChild } from './json-child.ts';
import type { RegionTimes } from './replay-regions.ts';

/** Where the peers' virtualenv lives: `$AURUM_BENCH_VENV`, default `~/.cache/aurum/bench-venv`. */
export function venvDir(): string {
  return process.env.AURUM_BENCH_VENV ?? join(homedir(), '.cache', 'aurum', 'bench-venv');
}

/**
 * Interpreters tried for a new virtualenv, best first (NautilusTrader needs Python >= 3.12):
 * `$AURUM_BENCH_PYTHON`, then python3.12 / python3.13 / python3 on the PATH, then pyenv's installed versions
 * (pyenv's shims only answer for the selected version, so its version folders are looked at directly).
 */
function pythonCandidates(): string[] {
  const out = process.env.AURUM_BENCH_PYTHON ? [process.env.AURUM_BENCH_PYTHON] : [];
  out.push('python3.12', 'python3.13', 'python3');
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (existsSync(pyenv))
    for (const v of readdirSync(pyenv).sort().reverse())
      if (/^3\.1[2-4]\.\d+$/.test(v)) out.push(join(pyenv, v, 'bin', 'python3'));
  return out;
}

/** The result of {@link ensureVenv}. */
export type VenvResult = { ok: true; python: string; created: boolean } | { ok: false; reason: string };

function run(
  cmd: string,
  args: string[],
  log: (line: string) => void,
  timeoutMs = 1_800_000,
): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0)
    log(
      `${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${out.trim().split('\n').slice(-5).join(' | ')}`,
    );
  return { ok: r.status === 0, out };
}

/**
 * Makes sure the virtualenv exists with exactly the requirements in `requirementsFile` (a stamp file holds
 * their hash, so editing the pins reinstalls). pip talks to PyPI only.
 * @param requirementsFile pip requirements
 * @param log progress lines (to stderr in a benchmark)
 */
export function ensureVenv(requirementsFile: string, log: (line: string) => void): VenvResult {
  const dir = venvDir();
  const python = join(dir, 'bin', 'python');
  const want = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');
  const stamp = join(dir, '.aurum-requirements.sha256');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want)
    return { ok: true, python, created: false };
  if (!existsSync(python)) {
    const candidates = pythonCandidates();
    const base = candidates.find((p) => {
      const r = spawnSync(
        p,
        ['-c', 'import sys; raise SystemExit(0 if sys.version_info >= (3, 12) else 1)'],
        { encoding: 'utf8' },
      );
      return r.status === 0;
    });
    if (!base)
      return {
        ok: false,
        reason: `no Python >= 3.12 found (tried ${candidates.join(', ')}; set AURUM_BENCH_PYTHON)`,
      };
    log(`creating ${dir} with ${base}`);
    if (!run(base, ['-m', 'venv', dir], log).ok)
      return { ok: false, reason: `could not create a virtualenv with ${base}` };
  }
  log(`installing ${requirementsFile} into ${dir} (first run only; a few minutes)`);
  run(python, ['-m', 'pip', 'install', '-q', '--upgrade', 'pip'], log);
  const r = run(python, ['-m', 'pip', 'install', '-q', '-r', requirementsFile], log);
  if (!r.ok) return { ok: false, reason: `pip install -r ${requirementsFile} failed` };
  writeFileSync(stamp, want);
  return { ok: true, python, created: true };
}

/**
 * One peer's report (the JSON line its script prints last). CPU seconds are the peer process's (all
 * threads); the two timed regions are described in replay-regions.ts.
 */
export interface PeerResult extends RegionTimes {
  engine: string;
  version: string;
  loadSeconds: number;
  /** What the report region holds, for the printout. */
  report: string;
  signals: number;
  orders: number;
  fills: number;
  [extra: string]: unknown;
}

/**
 * Runs a peer script and returns its result, or why it could not.
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed for the peer alone: this machine sets them for old
 * OpenBLAS builds, and they slow a current numpy (see the machine notes).
 */
export function runPeer(
  python: string,
  script: string,
  args: string[],
  timeoutMs = 1_800_000,
): ChildResult<PeerResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return runJsonChild<PeerResult>(python, [script, ...args], { env, timeout: timeoutMs });
}
