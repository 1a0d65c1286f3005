/**
 * The README's test command (`npm test`): from a bare machine to a finished test run.
 *   1. host prerequisites (apt packages, Docker engine)      npm run setup
 *   2. the local single-node cluster                          npm run cluster -- up
 *   3. the project's images, loaded into the cluster          npm run images
 *   4. every test: unit beside the code, e2e on the cluster   vitest run
 * It ends with the plain line "N passed, N failed" that CI reads.
 *
 * Flags: --unit-only skips steps 1–3 and the e2e project (for a quick loop while developing).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
const unitOnly = process.argv.includes('--unit-only');
const passthrough = process.argv.slice(2).filter((a) => a !== '--unit-only');

function step(title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const started = Date.now();
  console.log(`\n▶ ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`✗ ${title} failed after ${secs}s (exit ${r.status ?? r.signal}); see the output above.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`✓ ${title} (${secs}s)`);
}

function kubeconfigPath(): string {
  const r = spawnSync('node', ['cluster/cli.ts', 'kubeconfig'], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cluster kubeconfig failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!.trim();
}

const env = { ...process.env };
if (!unitOnly) {
  step('host prerequisites', 'node', ['scripts/setup-host.ts']);
  step('local cluster', 'node', ['cluster/cli.ts', 'up']);
  step('images', 'node', ['runtime-image/build.ts']);
  env.KUBECONFIG = kubeconfigPath();
}

const resultsDir = join(repo, '.tmp');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, 'vitest-results.json');
const vitestArgs = [
  'vitest',
  'run',
  ...(unitOnly ? ['--project', 'unit'] : []),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultsFile}`,
  ...passthrough,
];
const started = Date.now();
const r = spawnSync('npx', vitestArgs, { cwd: repo, stdio: 'inherit', env });
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
  skipped = report.numPendingTests + report.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`\nTests took ${((Date.now() - started) / 1000).toFixed(0)}s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
