/**
 * Runs the reference kstatus implementation (the Go program beside this file) on objects read from the
 * cluster. Built once into the project's binary cache; the Go build cache makes later builds instant.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN_CACHE } from '../../charts/helm.ts';

/** kstatus' verdict on one object. */
export interface KStatus {
  status: 'InProgress' | 'Failed' | 'Current' | 'Terminating' | 'NotFound' | 'Unknown' | '';
  message: string;
  error?: string;
}

/** Builds the kstatus program (idempotent) and returns its path. */
export function buildKstatus(): string {
  const out = join(BIN_CACHE, 'kstatus', 'kstatus');
  mkdirSync(join(BIN_CACHE, 'kstatus'), { recursive: true });
  const go = ['/usr/local/go/bin/go', 'go'].find((g) => spawnSync(g, ['version']).status === 0);
  if (!go) throw new Error('Go is needed to build the kstatus checker');
  const r = spawnSync(go, ['build', '-o', out, '.'], {
    cwd: join(import.meta.dirname, 'kstatus'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`go build kstatus failed: ${r.stderr}`);
  return out;
}

/** kstatus of each object. */
export function kstatus(bin: string, objects: unknown[]): KStatus[] {
  const r = spawnSync(bin, [], { input: JSON.stringify(objects), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`kstatus failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as KStatus[];
}
