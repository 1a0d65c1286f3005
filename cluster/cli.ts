/**
 * `npm run cluster -- up | down | status | kubeconfig | load-image <image>`
 *
 * The local single-node Kubernetes (or another provider, see providers.ts). `kubeconfig` prints the
 * admin kubeconfig path as its last stdout line (scripts/test.ts reads it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { defaultPaths, layout } from './config.ts';
import { DOWN_STEPS } from './down.ts';
import { loadIntoContainerd } from './images/addons.ts';
import { runSteps } from './lib/steps.ts';
import { existingKubeconfig, existingUp, kind, providerName } from './providers.ts';
import { clusterStatus, formatStatus } from './status.ts';
import { PREFLIGHT, UP_STEPS, upContext } from './up.ts';

const USAGE = 'usage: npm run cluster -- up | down | status | kubeconfig | load-image <image>';

/** Prints a line (stderr when `code` is not 0) and returns `code`. */
function say(line: string, code = 0): number {
  if (code === 0) console.log(line);
  else console.error(line);
  return code;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, arg] = argv;
  const provider = providerName();
  const paths = defaultPaths();
  const l = layout(paths);
  const t0 = Date.now();
  switch (cmd) {
    case 'up': {
      if (provider === 'existing') return say(`existing cluster answers; KUBECONFIG=${await existingUp()}`);
      if (provider === 'kind') return say(`kind cluster up; KUBECONFIG=${kind.up()}`);
      console.log(`cluster up (local, state in ${l.state})`);
      const ctx = upContext(l, paths.cache);
      if (!(await runSteps([PREFLIGHT], ctx))) return 1;
      if (ctx.alreadyUp) return say(`cluster already up; KUBECONFIG=${l.adminKubeconfig}`);
      if (!(await runSteps(UP_STEPS, ctx))) return 1;
      console.log(
        `cluster is up in ${((Date.now() - t0) / 1000).toFixed(1)}s; KUBECONFIG=${l.adminKubeconfig}`,
      );
      return 0;
    }
    case 'down': {
      if (provider === 'existing') return say('provider "existing": nothing to tear down');
      if (provider === 'kind') {
        kind.down();
        return say('kind cluster deleted');
      }
      console.log('cluster down (local)');
      const ok = await runSteps(DOWN_STEPS, { l });
      if (ok) console.log(`cluster is down in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      return ok ? 0 : 1;
    }
    case 'status': {
      if (provider !== 'local') return say(`provider ${provider}; use kubectl`);
      const lines = await clusterStatus(l);
      console.log(formatStatus(lines));
      return lines.every((s) => s.ok) ? 0 : 1;
    }
    case 'kubeconfig': {
      const p =
        provider === 'existing'
          ? existingKubeconfig()
          : provider === 'kind'
            ? kind.kubeconfig()
            : l.adminKubeconfig;
      if (!existsSync(p)) console.error(`note: ${p} does not exist yet; run \`npm run cluster -- up\``);
      console.log(p);
      return 0;
    }
    case 'load-image': {
      if (!arg) return say(USAGE, 2);
      if (provider === 'kind') {
        kind.loadImage(arg);
        return say(`loaded ${arg} into kind`);
      }
      if (provider === 'existing') return say('provider "existing": push images to your registry instead', 1);
      loadIntoContainerd(arg, l.containerdSock);
      console.log(`loaded ${arg} into the cluster's containerd`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

/** Commands that change the machine run one at a time (several people and CI steps share it). */
const LOCKED = new Set(['up', 'down', 'load-image']);
const LOCK = '/run/aurum-cluster.lock';

if (import.meta.main) {
  const argv = process.argv.slice(2);
  try {
    if (LOCKED.has(argv[0] ?? '') && process.env.AURUM_CLUSTER_LOCKED !== '1') {
      const r = spawnSync('flock', [LOCK, process.execPath, ...process.argv.slice(1)], {
        stdio: 'inherit',
        env: { ...process.env, AURUM_CLUSTER_LOCKED: '1' },
      });
      process.exitCode = r.status ?? 1;
    } else {
      process.exitCode = await main(argv);
    }
  } catch (e) {
    console.error(`✗ ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
