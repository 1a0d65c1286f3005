/**
 * The README's test command (`npm test`): from a bare machine to a finished test run.
 *   1. host prerequisites (apt packages, Docker engine)      npm run setup
 *      and helm (for the chart's tests)                       node charts/helm.ts
 *   2. the unit layer (tests beside the code)                 vitest run --project unit
 *   3. the local single-node cluster                          npm run cluster -- up
 *   4. the project's images, loaded into the cluster          npm run images
 *   5. the e2e layer, on the cluster                          vitest run --project e2e
 * It ends with the plain line "N passed, N failed" that CI reads.
 *
 * Flags: --unit-only runs step 2 alone (for a quick loop while developing).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

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
  step('helm (built from its Go module once, then cached)', 'node', ['charts/helm.ts']);
}

/** Everything the e2e layer stands on; started after the unit layer so its idle load does not slow that. */
function prepareCluster(): void {
  step('local cluster', 'node', ['cluster/cli.ts', 'up']);
  step('images', 'node', ['runtime-image/build.ts']);
  env.KUBECONFIG = kubeconfigPath();
}

const resultsDir = join(repo, '.tmp');
mkdirSync(resultsDir, { recursive: true });

/** What failed, listed again just before the last line so a truncated CI log still names it. */
const failures: string[] = [];

function firstLine(message: unknown): string {
  return (String(message ?? '').split('\n')[0] ?? '').slice(0, 300);
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Runs one vitest project; the unit layer runs before the e2e layer so neither slows the other. */
function runProject(project: string): Counts {
  const resultsFile = join(resultsDir, `vitest-${project}.json`);
  rmSync(resultsFile, { force: true });
  const args = [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultsFile}`,
    ...passthrough,
  ];
  const started = Date.now();
  console.log(`\n▶ ${project} tests: npx ${args.join(' ')}`);
  const r = spawnSync('npx', args, { cwd: repo, stdio: 'inherit', env });
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
    counts.passed = report.numPassedTests;
    // numFailedTestSuites counts every describe block around a failed test too, so it is not added:
    // failed = failed tests + files that failed without a failed test (an import error, a hook).
    counts.failed = report.numFailedTests;
    for (const file of report.testResults ?? []) {
      const failedTests = (file.assertionResults ?? []).filter(
        (t: { status: string }) => t.status === 'failed',
      );
      for (const t of failedTests) {
        failures.push(
          `${relative(repo, file.name)} > ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`,
        );
      }
      if (file.status === 'failed' && failedTests.length === 0) {
        counts.failed += 1;
        failures.push(`${relative(repo, file.name)}: ${firstLine(file.message ?? 'failed')}`);
      }
    }
    counts.skipped = report.numPendingTests + report.numTodoTests;
  } catch {
    counts.failed = 1;
  }
  if (r.status !== 0 && counts.failed === 0) counts.failed = 1;
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`${project} tests took ${secs}s: ${counts.passed} passed, ${counts.failed} failed`);
  return counts;
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const project of unitOnly ? ['unit'] : ['unit', 'e2e']) {
  if (project === 'e2e') prepareCluster();
  const c = runProject(project);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(
  `\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
