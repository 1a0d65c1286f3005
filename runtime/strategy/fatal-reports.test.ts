import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFatalReport, reportsExcludeEnv, takeFatalReports } from './fatal-reports.ts';

const MODULE = resolve(import.meta.dirname, 'fatal-reports.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aurum-reports-'));
  dirs.push(d);
  return d;
}

/**
 * A real Node process that enables reports as the runtime does, starts two workers under a 14 MB heap cap and
 * makes the second allocate 32 MB at once: V8 aborts the process and Node writes its report.
 */
function abortInWorker(
  dir: string,
  flags: string[],
): { status: number | null; signal: string | null; threadId: number } {
  const script = `
    import { Worker } from 'node:worker_threads';
    import { enableFatalReports } from ${JSON.stringify(MODULE)};
    console.log(JSON.stringify({ on: enableFatalReports(${JSON.stringify(dir)}) }));
    const limits = { maxOldGenerationSizeMb: 14, maxYoungGenerationSizeMb: 4 };
    new Worker('setInterval(() => {}, 1000)', { eval: true, resourceLimits: limits });
    const w = new Worker('setTimeout(() => { globalThis.a = new Array(4e6).fill(1.5); }, 200)', { eval: true, resourceLimits: limits });
    console.log(JSON.stringify({ threadId: w.threadId }));
  `;
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    env: { ...process.env, AURUM_TEST_SECRET: 'do-not-write-me' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
  const threadId = (JSON.parse(lines.find((l) => l.includes('threadId'))!) as { threadId: number }).threadId;
  return { status: r.status, signal: r.signal, threadId };
}

describe('fatal reports', () => {
  it('name the worker thread whose allocation aborted the process, and leave the environment out', () => {
    const dir = tempDir();
    const r = abortInWorker(dir, ['--report-exclude-env']);
    expect(r.status === 0 && r.signal === null).toBe(false); // the whole process died
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const text = readFileSync(join(dir, files[0]!), 'utf8');
    expect(text).not.toContain('do-not-write-me');
    const reports = takeFatalReports(dir);
    expect(reports).toEqual([
      {
        event: 'Allocation failed - JavaScript heap out of memory',
        trigger: 'OOMError',
        threadId: r.threadId,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    ]);
    expect(r.threadId).toBeGreaterThan(1); // the second worker, not the first
    expect(readdirSync(dir)).toEqual([]); // taken: deleted
  });

  it('are not written when the process would copy its environment into them', () => {
    const dir = tempDir();
    const r = abortInWorker(dir, []);
    expect(r.status === 0 && r.signal === null).toBe(false); // it died as above, but left nothing
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reportsExcludeEnv reads the flag from the command line or NODE_OPTIONS', () => {
    expect(reportsExcludeEnv(['--report-exclude-env'], '')).toBe(true);
    expect(reportsExcludeEnv([], '--max-old-space-size=100 --report-exclude-env')).toBe(true);
    expect(reportsExcludeEnv([], '--report-exclude-envx')).toBe(false);
    expect(reportsExcludeEnv(['--expose-gc'], '')).toBe(false);
  });

  it('parseFatalReport keeps the header fields and refuses what is not a report', () => {
    const header = { event: 'x', trigger: 'FatalError', threadId: 0, dumpEventTime: '2026-12-03T00:00:00Z' };
    expect(parseFatalReport(JSON.stringify({ header }))).toEqual({
      event: 'x',
      trigger: 'FatalError',
      threadId: 0,
      time: '2026-12-03T00:00:00Z',
    });
    for (const bad of [
      '',
      '{',
      'null',
      '{"header":null}',
      JSON.stringify({ header: { ...header, threadId: -1 } }),
    ])
      expect(parseFatalReport(bad)).toBeUndefined();
  });

  it('takeFatalReports drops half-written reports, leaves other files and copes with a missing directory', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.20261203.1.json'), '{"header":');
    writeFileSync(join(dir, 'notes.txt'), 'keep');
    expect(takeFatalReports(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(takeFatalReports(join(dir, 'absent'))).toEqual([]);
  });
});
