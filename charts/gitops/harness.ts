/**
 * Builds and runs lua-harness (Argo CD's Lua engine, gopher-lua, with Argo's library set) so the shipped health
 * check is tested the way Argo CD runs it. The binary is cached by the Go build cache; first build needs the
 * Go module proxy.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN_CACHE } from '../helm.ts';

/** Result of one health evaluation. */
export interface Health {
  status: string;
  message: string;
  error?: string;
}

/** Builds lua-harness (idempotent) and returns its path. */
export function buildLuaHarness(): string {
  const out = join(BIN_CACHE, 'lua-harness', 'lua-harness');
  mkdirSync(join(BIN_CACHE, 'lua-harness'), { recursive: true });
  const go = ['/usr/local/go/bin/go', 'go'].find((g) => spawnSync(g, ['version']).status === 0);
  if (!go) throw new Error('Go is needed to build the Argo CD health-check harness');
  const r = spawnSync(go, ['build', '-o', out, '.'], {
    cwd: join(import.meta.dirname, 'lua-harness'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`go build lua-harness failed: ${r.stderr}`);
  return out;
}

/** Evaluates `script` for each object with the harness at `bin`. */
export function evaluate(bin: string, script: string, objects: unknown[]): Health[] {
  const r = spawnSync(bin, [script], { input: JSON.stringify(objects), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lua-harness failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Health[];
}
