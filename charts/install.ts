/**
 * Installs (or upgrades) charts/aurum on a cluster the way the docs tell admins to:
 *   kubectl create namespace aurum-system        (Helm keeps its release record there, so it must exist)
 *   helm upgrade --install aurum charts/aurum -n aurum-system --take-ownership --wait
 * `--take-ownership` lets the chart adopt that namespace (to enforce PodSecurity `restricted` on it) and
 * objects a previous `kubectl apply` of crds/ or operator/deploy left behind.
 * Used by `npm run demo` and e2e/chart.
 *
 *   node charts/install.ts [--set k=v ...]     install into aurum-system with $KUBECONFIG
 *   node charts/install.ts --uninstall
 */
import { spawnSync } from 'node:child_process';
import { CHART_DIR } from './generate.ts';
import { ensureHelm } from './helm.ts';

/** Options of {@link installChart}. */
export interface InstallOptions {
  /** kubeconfig file. Default `$KUBECONFIG`. */
  kubeconfig?: string;
  /** Release namespace. Default `aurum-system`. */
  namespace?: string;
  /** Release name. Default `aurum`. */
  release?: string;
  /** `--set` assignments, e.g. `simulator.enabled=true`. Default none. */
  sets?: string[];
  /** `--set-string` assignments (values that must stay strings, e.g. numeric account ids). Default none. */
  setStrings?: string[];
  /** kubectl binary. Default `kubectl`. */
  kubectl?: string;
  /** How long helm waits for the release to become ready. Default `5m`. */
  timeout?: string;
  /** Progress sink. Default stderr. */
  log?: (line: string) => void;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const r = spawnSync(cmd, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    input,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Installs or upgrades the release and waits until its Deployments are ready; returns helm's status text. */
export function installChart(o: InstallOptions = {}): string {
  const ns = o.namespace ?? 'aurum-system';
  const env = o.kubeconfig ? { KUBECONFIG: o.kubeconfig } : {};
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const helm = ensureHelm(log);
  const nsObject = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  run(o.kubectl ?? 'kubectl', ['apply', '-f', '-'], env, nsObject);
  const args = [
    'upgrade',
    '--install',
    o.release ?? 'aurum',
    CHART_DIR,
    '--namespace',
    ns,
    '--take-ownership',
  ];
  args.push('--wait', '--timeout', o.timeout ?? '5m');
  for (const s of o.sets ?? []) args.push('--set', s);
  for (const s of o.setStrings ?? []) args.push('--set-string', s);
  log(`helm ${args.join(' ')}`);
  return run(helm, args, env);
}

/** `helm uninstall`; CRDs and namespaces stay (resource-policy keep). */
export function uninstallChart(o: Pick<InstallOptions, 'kubeconfig' | 'namespace' | 'release'> = {}): void {
  const env = o.kubeconfig ? { KUBECONFIG: o.kubeconfig } : {};
  const r = spawnSync(
    ensureHelm(),
    [
      'uninstall',
      o.release ?? 'aurum',
      '--namespace',
      o.namespace ?? 'aurum-system',
      '--wait',
      '--ignore-not-found',
    ],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`helm uninstall failed: ${r.stderr.trim()}`);
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  if (argv.includes('--uninstall')) uninstallChart();
  else {
    const sets: string[] = [];
    for (let i = 0; i < argv.length; i++) if (argv[i] === '--set') sets.push(argv[++i]!);
    console.log(installChart({ sets }));
  }
}
