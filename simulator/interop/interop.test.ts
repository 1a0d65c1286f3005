/**
 * Interop with an independent FIX engine: QuickFIX/J (Java, Maven Central) drives the simulator through
 * logon, market data (snapshot + incremental), order -> partial fill -> fill, cancel, an off-tick reject,
 * a sequence gap (the counter asks for a resend, QuickFIX/J gap-fills) and a resend request.
 * The Java project builds once with Maven (offline when ~/.m2 has the artifacts; build output under
 * ~/.cache/aurum/interop-quickfixj) and is rebuilt only when its sources change.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator } from '../testing.ts';

const project = join(import.meta.dirname, 'quickfixj');
const target = join(homedir(), '.cache', 'aurum', 'interop-quickfixj', 'target');
const jar = join(target, 'simulator-interop-0.1.0.jar');
const sources = [join(project, 'pom.xml'), join(project, 'src/main/java/aurum/interop/InteropClient.java')];

function buildIfNeeded(): void {
  const built = existsSync(jar) ? statSync(jar).mtimeMs : 0;
  if (sources.every((s) => statSync(s).mtimeMs < built)) return;
  // -o first (the cache), falling back to an online build that fills ~/.m2 from Maven Central.
  let r = spawnSync('mvn', ['-q', '-o', '-B', 'package'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0)
    r = spawnSync('mvn', ['-q', '-B', 'package'], { cwd: project, encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`maven build failed:\n${r.stdout}\n${r.stderr}`);
}

let ctx: Awaited<ReturnType<typeof startTestSimulator>>;
beforeAll(async () => {
  buildIfNeeded();
  ctx = await startTestSimulator();
}, 900_000);
afterAll(async () => {
  await ctx?.sim.stop();
});

describe('QuickFIX/J interop', () => {
  it('passes every scenario step', async () => {
    const args = [
      '-cp',
      `${jar}:${join(target, 'lib')}/*`,
      'aurum.interop.InteropClient',
      '127.0.0.1',
      String(ctx.fixPort),
      'au2612',
      'ALICE',
      '80001',
      'alice-pw',
      'BOB',
      '80002',
      'bob-pw',
    ];
    const r = await promisify(execFile)('java', args, { encoding: 'utf8', timeout: 180_000 }).catch(
      (e: { stdout?: string; stderr?: string }) => e,
    );
    const out = String(r.stdout ?? '');
    const steps = Object.fromEntries(
      out
        .split('\n')
        .filter((l) => l.startsWith('STEP '))
        .map((l) => {
          const [, name, status, ...detail] = l.split(' ');
          return [name, { status, detail: detail.join(' ') }];
        }),
    );
    const expected = [
      'logon',
      'md-snapshot',
      'md-incremental',
      'partial-fill',
      'fill',
      'cancel',
      'off-tick-reject',
      'gap-fill',
      'resend',
      'session-up',
    ];
    for (const s of expected)
      expect(steps[s]?.status, `${s}: ${steps[s]?.detail ?? 'missing'}\n${out}\n${r.stderr ?? ''}`).toBe(
        'OK',
      );
    expect(steps['off-tick-reject']!.detail).toMatch(/off the tick grid/);
  }, 300_000);
});
