/**
 * `npm run demo` — the whole product on this machine, from nothing to an investor's view of a trading strategy:
 *   1. host prerequisites (apt packages, Docker)           npm run setup
 *   2. the local single-node Kubernetes                     npm run cluster -- up
 *   3. the images, built and loaded into the cluster        npm run images
 *   4. the Helm chart with the counter simulator            charts/install.ts (helm from its Go module)
 *   5. the examples: firewall, platform + sample strategy,  kubectl apply -k scripts/demo/overlay
 *      investor access                                      (examples/ + an InvestorAccess)
 *   6. the platform Ready (counter connected)
 *   7. the investor's laptop: a network namespace with the WireGuard client from the generated Secret
 *   8. log in to the runtime API through the tunnel, wait until the strategy trades
 *   9. the investor's view: PnL, positions, orders, and where the dashboard is
 *
 * `npm run demo -- down` removes what the demo made: the laptop, the examples, the release, the cluster.
 * Flags: --skip-setup / --skip-images (when done already), --keep-cluster (with down).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureHelm } from '../charts/helm.ts';
import { installChart, uninstallChart } from '../charts/install.ts';
import { type AccessView, type PlatformView, type PodSummaryView, statusLine } from '../cli/format.ts';
import { binary } from '../cluster/build/binaries.ts';
import { defaultPaths, layout } from '../cluster/config.ts';
import { demoContract, tradeContract } from './demo/contract.ts';
import { call, connectLaptop, LAPTOP, login, removeLaptop } from './demo/investor.ts';
import { DemoError, runSteps, type Sink, type Step, waitUntil } from './demo/progress.ts';
import { formatInvestorView, type InvestorView } from './demo/view.ts';

const repo = join(import.meta.dirname, '..');
const OVERLAY = join(repo, 'scripts', 'demo', 'overlay');
const NS = 'investors';
const PLATFORM = 'alice';
const ACCESS = 'alice-laptop';
const out: Sink = (line) => console.log(line);
const argv = process.argv.slice(2);

/** Values the demo installs the chart with: the simulator on, seeded with the account examples/ logs on with. */
const CHART_SETS = ['simulator.enabled=true'];
const CHART_SET_STRINGS = [
  'simulator.accounts[0].id=80001234',
  'simulator.accounts[0].compId=ALICE',
  'simulator.accounts[0].password=change-me', // the example counter Secret (examples/tradingplatform.yaml)
];

let kubeconfig = process.env.KUBECONFIG ?? '';

/** The kubectl built with the local cluster (matches its version), else the one on PATH. */
function kubectlPath(): string {
  const local = binary(layout(defaultPaths()), 'kubectl');
  return existsSync(local) ? local : 'kubectl';
}

/** Runs a project command with inherited output, indented under the step. */
function sh(cmd: string, args: string[], note: Sink): void {
  note(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  if (r.status !== 0) throw new DemoError(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
}

function kubectl(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(kubectlPath(), args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, KUBECONFIG: kubeconfig },
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function getJson<T>(args: string[]): T | undefined {
  const r = kubectl([...args, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
}

/**
 * Helm upgrades by merging, so fields another writer added to the operator Deployment survive it — the e2e suite
 * deploys the operator with only the TradingPlatform controller, for one. A Deployment written by anyone but Helm
 * (and the controller-manager's status) is deleted first, so the chart creates exactly its own.
 */
function dropForeignOperatorDeployment(note: Sink): void {
  const dep = getJson<{ metadata: { managedFields?: Array<{ manager?: string }> } }>([
    '-n',
    'aurum-system',
    'get',
    'deployment',
    'aurum-operator',
    '--show-managed-fields',
  ]);
  const foreign = [...new Set((dep?.metadata.managedFields ?? []).map((f) => f.manager ?? '?'))].filter(
    (m) => m !== 'helm' && m !== 'kube-controller-manager',
  );
  if (!foreign.length) return;
  note(`the operator Deployment was also written by ${foreign.join(', ')}: recreating it from the chart`);
  const r = kubectl(['-n', 'aurum-system', 'delete', 'deployment', 'aurum-operator', '--wait=true']);
  if (r.code !== 0) throw new DemoError(r.stderr.trim());
}

function secretData(name: string): Record<string, string> | undefined {
  const s = getJson<{ data?: Record<string, string> }>(['-n', NS, 'get', 'secret', name]);
  if (!s) return undefined;
  return Object.fromEntries(
    Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
}

/** Shared between the steps of one run. */
const run = { apiBase: '', token: '', username: '', password: '' };

const upSteps: Step[] = [
  ...(argv.includes('--skip-setup')
    ? []
    : [
        {
          title: 'host prerequisites (apt packages, Docker)',
          run: (n: Sink) => sh('node', ['scripts/setup-host.ts'], n),
        },
      ]),
  {
    title: 'local Kubernetes cluster',
    run: (n) => {
      sh('node', ['cluster/cli.ts', 'up'], n);
      const r = spawnSync('node', ['cluster/cli.ts', 'kubeconfig'], { cwd: repo, encoding: 'utf8' });
      kubeconfig = r.stdout.trim().split('\n').pop()!.trim();
      n(`KUBECONFIG=${kubeconfig}`);
    },
  },
  ...(argv.includes('--skip-images')
    ? []
    : [
        {
          title: 'images (runtime, operator, sidecar, simulator) into the cluster',
          run: (n: Sink) => sh('node', ['runtime-image/build.ts'], n),
        },
      ]),
  {
    title: 'Helm chart charts/aurum with the counter simulator',
    run: (n) => {
      n(`helm: ${ensureHelm(n)}`);
      dropForeignOperatorDeployment(n);
      installChart({
        kubeconfig,
        kubectl: kubectlPath(),
        sets: CHART_SETS,
        setStrings: CHART_SET_STRINGS,
        log: n,
      });
      n(kubectl(['-n', 'aurum-system', 'get', 'deploy']).stdout.trim().split('\n').join('\n      '));
    },
  },
  {
    title: 'examples: NetworkPolicySpec, TradingPlatform "alice" with the EMA-cross strategy, InvestorAccess',
    run: (n) => {
      const built = kubectl(['kustomize', OVERLAY]);
      if (built.code !== 0) throw new DemoError(built.stderr.trim());
      const contract = demoContract(Date.now());
      n(`trading ${contract} (a contract listed today; examples/ names a fixed one)`);
      const objects = tradeContract(
        parseAllDocuments(built.stdout).map((d) => d.toJS() as Record<string, any>),
        contract,
      );
      const input = objects.map((o) => JSON.stringify(o)).join('\n---\n');
      const r = kubectl(
        ['apply', '--server-side', '--force-conflicts', '--field-manager=aurum-demo', '-f', '-'],
        input,
      );
      if (r.code !== 0) throw new DemoError(r.stderr.trim());
      for (const line of r.stdout.trim().split('\n')) n(line);
    },
  },
  {
    title: 'platform ready: runtime pod running, FIX session with the counter logged on',
    run: (n) =>
      waitUntil(
        'TradingPlatform alice to be Ready',
        () => {
          const tp = getJson<PlatformView>(['-n', NS, 'get', 'tradingplatform', PLATFORM]);
          if (!tp) return { state: 'not found yet' };
          const ready = tp.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
          const pod = getJson<PodSummaryView>(['-n', NS, 'get', 'pod', `${PLATFORM}-runtime-0`]);
          return { done: ready ? tp : undefined, state: statusLine(tp, pod) };
        },
        n,
      ).then(() => undefined),
  },
  {
    title: "the investor's laptop: WireGuard client from the generated Secret, in a network namespace",
    run: async (n) => {
      const ia = await waitUntil(
        'the InvestorAccess client configuration',
        () => {
          const o = getJson<AccessView>(['-n', NS, 'get', 'investoraccess', ACCESS]);
          const ref = o?.status?.clientConfigSecretRef?.name;
          const data = ref ? secretData(ref) : undefined;
          const conf = data?.['aurum.conf'];
          const ready = o?.status?.conditions?.find((c) => c.type === 'Ready');
          return {
            done: conf && /^Endpoint = /m.test(conf) ? { conf, data: data! } : undefined,
            state: ready
              ? `InvestorAccess Ready=${ready.status} ${ready.reason ?? ''} ${ready.message ?? ''}`
              : 'waiting for status',
          };
        },
        n,
      );
      run.username = ia.data.username ?? '';
      run.password = ia.data.password ?? '';
      n(`kubectl aurum wg-config ${ACCESS} -n ${NS}  (what an admin hands to the investor)`);
      for (const line of ia.conf
        .replace(/^PrivateKey = .*$/m, 'PrivateKey = (hidden)')
        .trim()
        .split('\n'))
        n(`  ${line}`);
      await connectLaptop(ia.conf);
      n(`tunnel up in network namespace ${LAPTOP.ns} (wireguard-go, interface ${LAPTOP.wgIf})`);
      const tp = getJson<PlatformView>(['-n', NS, 'get', 'tradingplatform', PLATFORM]);
      run.apiBase = String(tp?.status?.endpoint?.api ?? '').replace(/\/$/, '');
      if (!run.apiBase) throw new DemoError('the platform status names no API address (status.endpoint.api)');
    },
  },
  {
    title: 'log in to the runtime API through the tunnel and wait until the strategy trades',
    run: async (n) => {
      run.token = await waitUntil(
        'a login through the tunnel',
        async () => {
          const token = await login(run.apiBase, run.username, run.password);
          return { done: token, state: `logged in to ${run.apiBase} as ${run.username}` };
        },
        n,
        { timeoutMs: 120_000 },
      );
      await waitUntil(
        'the first fill of the strategy',
        async () => {
          const trades = await call(`${run.apiBase}/api/trades`, { token: run.token });
          const orders = await call(`${run.apiBase}/api/orders`, { token: run.token });
          const t = trades.status === 200 ? (JSON.parse(trades.body) as unknown[]) : [];
          const o = orders.status === 200 ? (JSON.parse(orders.body) as unknown[]) : [];
          return { done: t.length > 0 ? true : undefined, state: `${o.length} orders, ${t.length} fills` };
        },
        n,
        { timeoutMs: 900_000, intervalMs: 5000 },
      );
    },
  },
  {
    title: "the investor's view",
    run: async (n) => {
      const get = async (path: string) => {
        const r = await call(`${run.apiBase}${path}`, { token: run.token });
        if (r.status !== 200) throw new DemoError(`GET ${path} answered ${r.status}`);
        return JSON.parse(r.body);
      };
      const view: InvestorView = {
        account: await get('/api/account'),
        positions: await get('/api/positions'),
        orders: await get('/api/orders'),
        trades: await get('/api/trades'),
      };
      for (const line of formatInvestorView(view).split('\n')) n(line);
      n('');
      n(
        `Dashboard: ${run.apiBase}/ inside the tunnel — e.g. ip netns exec ${LAPTOP.ns} curl ${run.apiBase}/`,
      );
      n(
        `  or from this machine's browser: kubectl -n ${NS} port-forward pod/${PLATFORM}-runtime-0 8080 → http://localhost:8080/`,
      );
      n(
        `  log in as ${run.username} with the password in Secret ${ACCESS}-access (kubectl aurum wg-config ${ACCESS} -n ${NS} --show-login)`,
      );
      n(`Health in one line: cli/kubectl-aurum status ${PLATFORM} -n ${NS}`);
      n('Clean up: npm run demo -- down');
    },
  },
];

const downSteps: Step[] = [
  { title: "the investor's laptop (network namespace, WireGuard client)", run: () => removeLaptop() },
  {
    title: 'the examples (the investors namespace and its firewall stay: they belong to the chart)',
    run: (n) => {
      const r = kubectl([
        '-n',
        NS,
        'delete',
        '--ignore-not-found',
        '--wait=true',
        '--timeout=120s',
        `investoraccess/${ACCESS}`,
        `tradingplatform/${PLATFORM}`,
        'configmap/ema-cross',
        `secret/${PLATFORM}-counter`,
        'networkpolicyspec/demo-simulator',
      ]);
      for (const line of (r.stdout || r.stderr).trim().split('\n')) n(line);
    },
  },
  { title: 'the Helm release (CRDs are kept by design)', run: () => uninstallChart({ kubeconfig }) },
  ...(argv.includes('--keep-cluster')
    ? []
    : [{ title: 'the local cluster', run: (n: Sink) => sh('node', ['cluster/cli.ts', 'down'], n) }]),
];

async function main(): Promise<number> {
  if (!kubeconfig) {
    const r = spawnSync('node', ['cluster/cli.ts', 'kubeconfig'], { cwd: repo, encoding: 'utf8' });
    kubeconfig = r.status === 0 ? r.stdout.trim().split('\n').pop()!.trim() : '';
  }
  const down = argv[0] === 'down';
  out(
    down
      ? 'Aurum demo: cleaning up'
      : 'Aurum demo: from this machine to an investor watching a strategy trade',
  );
  const ok = await runSteps(down ? downSteps : upSteps, out);
  return ok ? 0 : 1;
}

const code = await main();
// The laptop's wireguard-go stays up after the demo (its child handle would keep this process alive): exit
// explicitly once the output is flushed.
process.stdout.write('', () => process.exit(code));
