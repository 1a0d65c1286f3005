/**
 * `npm run cluster -- up | down | status | kubeconfig | load-image <image>`
 *
 * The local single-node Kubernetes (or another provider, see providers.ts). `kubeconfig` prints the
 * admin kubeconfig path as its last stdout line (scripts/test.ts reads it).
 */
import { existsSync } from 'node:fs';
import { defaultPaths, layout } from './config.ts';
import { DOWN_STEPS } from './down.ts';
import { loadIntoContainerd } from './images/addons.ts';
import { existingKubeconfig, existingUp, kind, providerName } from './providers.ts';
import { runSteps } from './lib/steps.ts';
import { clusterStatus, formatStatus } from './status.ts';
import { UP_STEPS, upContext } from './up.ts';

const USAGE = 'usage: npm run cluster -- up | down | status | kubeconfig | load-image <image>';

async function main(argv: string[]): Promise<number> {
  const [cmd, arg] = argv;
  const provider = providerName();
  const paths = defaultPaths();
  const l = layout(paths);
  const t0 = Date.now();
  switch (cmd) {
    case 'up': {
      if (provider === 'existing') return console.log(`existing cluster answers; KUBECONFIG=${existingUp()}`), 0;
      if (provider === 'kind') return console.log(`kind cluster up; KUBECONFIG=${kind.up()}`), 0;
      console.log(`cluster up (local, state in ${l.state})`);
      const ok = await runSteps(UP_STEPS, upContext(l, paths.cache));
      if (!ok) return 1;
      console.log(`cluster is up in ${((Date.now() - t0) / 1000).toFixed(1)}s; KUBECONFIG=${l.adminKubeconfig}`);
      return 0;
    }
    case 'down': {
      if (provider === 'existing') return console.log('provider "existing": nothing to tear down'), 0;
      if (provider === 'kind') return kind.down(), 0;
      console.log('cluster down (local)');
      const ok = await runSteps(DOWN_STEPS, { l });
      if (ok) console.log(`cluster is down in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      return ok ? 0 : 1;
    }
    case 'status': {
      if (provider !== 'local') return console.log(`provider ${provider}; use kubectl`), 0;
      const lines = await clusterStatus(l);
      console.log(formatStatus(lines));
      return lines.every((s) => s.ok) ? 0 : 1;
    }
    case 'kubeconfig': {
      const p = provider === 'existing' ? existingKubeconfig() : provider === 'kind' ? kind.kubeconfig() : l.adminKubeconfig;
      if (!existsSync(p)) console.error(`note: ${p} does not exist yet; run \`npm run cluster -- up\``);
      console.log(p);
      return 0;
    }
    case 'load-image': {
      if (!arg) return console.error(USAGE), 2;
      if (provider === 'kind') return kind.loadImage(arg), 0;
      if (provider === 'existing') return console.error('provider "existing": push images to your registry instead'), 1;
      loadIntoContainerd(arg, l.containerdSock);
      console.log(`loaded ${arg} into the cluster's containerd`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    console.error(`✗ ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
