/**
 * Helpers of the access and firewall e2e tests: the operator (deployed, plus in-process whichever of the
 * access/firewall controllers it does not run yet), TradingPlatforms whose pods the operator renders with the
 * WireGuard sidecar, and investor hosts: network namespaces on this machine with a veth to the host, using
 * the wg-quick file from the `<access>-access` Secret.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { createLogger } from '../../common/log.ts';
import type { TradingPlatform } from '../../operator/api/tradingplatform.ts';
import { TradingPlatformSpec } from '../../operator/api/tradingplatform.ts';
import { parseOperatorConfig } from '../../operator/config.ts';
import { registerInvestorAccessController } from '../../operator/controllers/investoraccess/register.ts';
import { registerFirewallControllers } from '../../operator/controllers/networkpolicyspec/register.ts';
import { operatorManifests, STUB_RUNTIME_CONFIG, toYaml } from '../../operator/deploy/manifests.ts';
import { Manager } from '../../operator/kube/manager.ts';
import {
  createNetns,
  deleteNetns,
  httpStatus,
  linkNetns,
  nsRun,
  WgClient,
} from '../../sidecar/testing/netns.ts';
import { apply, kubeconfigPath, kubectl, kubectlJson, TOOLBOX, waitFor } from '../lib/index.ts';
import { leader, OPERATOR_NS, operatorPods } from '../operator/lib.ts';

export const repo = join(import.meta.dirname, '..', '..');
export const operatorConfig = parseOperatorConfig({});

/** Applies crds/ and waits until Established. */
export function installCrds(): void {
  kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=e2e', '-f', join(repo, 'crds')]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(repo, 'crds')]);
}

/** Controllers the deployed operator runs (its AURUM_CONTROLLERS; operator/main.ts's default is all three). */
function deployedControllers(): Set<string> {
  const r = kubectl(['-n', OPERATOR_NS, 'get', 'deployment', 'aurum-operator', '-o', 'json'], {
    check: false,
  });
  if (r.code !== 0) return new Set();
  const dep = JSON.parse(r.stdout) as {
    spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
  };
  const env = dep.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'AURUM_CONTROLLERS')?.value;
  return new Set((env ?? 'tradingplatform,firewall,investoraccess').split(',').map((x) => x.trim()));
}

/**
 * Deploys the operator as the operator e2e tests do (stub runtime), but with investor access enabled, so
 * every platform pod carries the WireGuard sidecar.
 */
async function deployOperatorWithAccess(): Promise<void> {
  const objects = operatorManifests({
    config: { ...STUB_RUNTIME_CONFIG, access: { enabled: true } } as never,
    env: { AURUM_RESYNC_SECONDS: '120' },
    logLevel: 'info',
  }) as Array<Record<string, any>>;
  const dep = objects.find((o) => o.kind === 'Deployment');
  if (dep) dep.spec.template.metadata.annotations = { 'aurum.dev/access': 'enabled' };
  apply(toYaml(objects));
  kubectl(['-n', OPERATOR_NS, 'rollout', 'status', 'deployment/aurum-operator', '--timeout=240s'], {
    timeoutMs: 260_000,
  });
  await waitFor(() => leader(), { describe: 'an operator leader', timeout: 90_000 });
}

/** false when the deployed operator's configuration turns investor access off (e.g. a scale benchmark's). */
function deployedAccessEnabled(): boolean {
  const r = kubectl(
    [
      '-n',
      OPERATOR_NS,
      'get',
      'configmap',
      'aurum-operator-config',
      '-o',
      'jsonpath={.data.operator\\.json}',
    ],
    { check: false },
  );
  try {
    return (JSON.parse(r.stdout) as { access?: { enabled?: boolean } }).access?.enabled !== false;
  } catch {
    return true;
  }
}

/**
 * Makes sure the operator runs (redeployed with the stub runtime and access enabled when it is absent or
 * its configuration turns access off): the deployed one (deployed with the stub runtime if absent), plus — in this
 * process — whichever of the access and firewall controllers the deployed operator does not run yet.
 * Returns the in-process Manager (stop it after the tests), or undefined when nothing runs in-process.
 */
export async function ensureOperator(namespace?: string): Promise<Manager | undefined> {
  installCrds();
  if (!operatorPods().length || !leader() || !deployedAccessEnabled()) await deployOperatorWithAccess();
  const running = deployedControllers();
  // The firewall always runs here too (scoped to the test's namespace): on a shared cluster the deployed
  // operator's controller list can change under a running test, and an absent firewall would let traffic
  // through that the tests expect blocked. Two firewall writers apply identical objects under one manager.
  const missing = ['investoraccess', 'firewall'].filter((c) => c === 'firewall' || !running.has(c));
  if (!missing.length) return undefined;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  const mgr = new Manager({
    connection: kc,
    // Only the test's namespace: other engineers' tests share this cluster.
    ...(namespace ? { namespace } : {}),
    log: createLogger('e2e-operator', { level: process.env.E2E_OPERATOR_LOG ?? 'warn' }),
    identity: 'e2e',
  });
  if (missing.includes('investoraccess')) registerInvestorAccessController(mgr, { config: operatorConfig });
  if (missing.includes('firewall')) registerFirewallControllers(mgr, { config: operatorConfig });
  await mgr.start();
  console.log(
    `e2e: running in-process: ${missing.join(', ')} (the deployed operator runs ${[...running].join(', ')})`,
  );
  return mgr;
}

/** The counter credentials Secret a platform references (the stub runtime is ready once it is mounted). */
export function counterSecret(platformName: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${platformName}-counter` },
    stringData: { password: 'e2e-not-a-secret' },
  };
}

/** A valid TradingPlatform object. */
export function platform(
  name: string,
  namespace: string,
  labels: Record<string, string> = {},
): TradingPlatform {
  return {
    apiVersion: 'aurum.dev/v1alpha1',
    kind: 'TradingPlatform',
    metadata: { name, namespace, labels },
    spec: TradingPlatformSpec.parse({
      investor: name,
      runtime: { profile: 'standard', allowedProfiles: ['standard', 'large'] },
      counter: {
        endpoints: [{ host: 'counter', port: 9878 }],
        senderCompId: name.toUpperCase(),
        targetCompId: 'COUNTER',
        accountId: '80001234',
        credentialsSecretRef: { name: `${name}-counter` },
      },
      marketData: { instruments: ['au2606'] },
    }),
  };
}

/** A plain toolbox pod serving TCP 9878 (the counter stand-in) — `node` answers any HTTP request. */
export function counterPod(name = 'counter'): object[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'counter',
            image: TOOLBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['node', '-e', "require('http').createServer((q,s)=>s.end('counter')).listen(9878)"],
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: name }, ports: [{ port: 9878, targetPort: 9878 }] },
    },
  ];
}

/**
 * Waits until the platform pod's WireGuard sidecar is ready. The runtime container's own readiness needs a
 * logged-on counter session, which these tests do not provide; the network path needs only the sidecar.
 */
export async function waitSidecarReady(namespace: string, pod: string, timeout = 300_000): Promise<void> {
  await waitFor(
    () => {
      const r = kubectl(['-n', namespace, 'get', 'pod', pod, '-o', 'json'], { check: false });
      if (r.code !== 0) return false;
      const p = JSON.parse(r.stdout) as {
        status?: { containerStatuses?: { name: string; ready?: boolean }[] };
      };
      return p.status?.containerStatuses?.find((c) => c.name === 'wireguard')?.ready === true;
    },
    { timeout, interval: 1000, describe: `the WireGuard sidecar of ${namespace}/${pod} ready` },
  );
}

/** Reads a Secret's decoded data. */
export function secretData(namespace: string, name: string): Record<string, string> | undefined {
  const r = kubectl(['-n', namespace, 'get', 'secret', name, '-o', 'json'], { check: false });
  if (r.code !== 0) return undefined;
  const s = JSON.parse(r.stdout) as { data?: Record<string, string> };
  return Object.fromEntries(
    Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

/** An investor host: a network namespace on this machine, a veth to the host, optionally a tunnel. */
export class InvestorHost {
  readonly ns: string;
  readonly addr: string;
  private readonly hostIf: string;
  private wg: WgClient | undefined;
  private readonly idx: number;
  private generation = 0;

  /** @param idx 1..250: picks 10.231.<idx>.0/24 for the veth link */
  constructor(idx: number, tag: string) {
    this.idx = idx;
    this.ns = `aurum-inv${idx}-${tag}`;
    this.hostIf = `ainv${idx}${tag}`.slice(0, 15);
    this.addr = `10.231.${idx}.2`;
  }

  create(): void {
    createNetns(this.ns);
    linkNetns(
      null,
      this.hostIf,
      `10.231.${this.idx}.1/24`,
      this.ns,
      `vi${this.idx}${this.hostIf.slice(-4)}`,
      `${this.addr}/24`,
      `10.231.${this.idx}.1`,
    );
  }

  /** Brings up the tunnel from the wg-quick text (routing `routeOverride` instead of AllowedIPs if given). */
  async connect(wgQuick: string, routeOverride?: string[]): Promise<void> {
    this.disconnect();
    // A fresh interface name each time: a stopping wireguard-go removes its interface asynchronously.
    this.wg = new WgClient(this.ns, `wgi${this.idx}n${++this.generation}`);
    await this.wg.up(wgQuick, routeOverride);
  }

  disconnect(): void {
    // wireguard-go's exit removes its interface and with it the tunnel routes.
    this.wg?.down();
    this.wg = undefined;
  }

  status(url: string, timeoutS = 2): Promise<number> {
    return httpStatus(this.ns, url, timeoutS);
  }

  /** POST /login with the credentials; resolves the HTTP status (0 when unreachable). */
  async login(url: string, username: string, password: string, timeoutS = 3): Promise<number> {
    const r = await nsRun(
      this.ns,
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-m',
        String(timeoutS),
        '-X',
        'POST',
        '-H',
        'content-type: application/json',
        '-d',
        JSON.stringify({ username, password }),
        url,
      ],
      (timeoutS + 2) * 1000,
    );
    return Number(r.stdout.trim()) || 0;
  }

  destroy(): void {
    this.wg?.down();
    deleteNetns(this.ns);
    try {
      execFileSync('ip', ['link', 'del', this.hostIf], { stdio: 'ignore' });
    } catch {
      /* gone with the namespace */
    }
  }
}

/** Current TradingPlatform status. */
export function tpStatus(namespace: string, name: string): any {
  return kubectlJson(['-n', namespace, 'get', 'tradingplatform', name]).status ?? {};
}

/** Current InvestorAccess. */
export function accessObject(namespace: string, name: string): any {
  return kubectlJson(['-n', namespace, 'get', 'investoraccess', name]);
}

export { apply };

/** One HTTP request of a {@link TunnelProber}: when it was sent and answered (ms since the epoch), status 0 = none. */
export interface ProbeResult {
  start: number;
  end: number;
  status: number;
}

/** The prober's program: a new connection every `every` ms, each given `timeout` ms; one JSON line per answer. */
const PROBE_SCRIPT = `
const http = require('node:http');
const [url, every, timeout] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
process.stdin.on('end', () => process.exit(0)).resume();
setInterval(() => {
  const start = Date.now();
  let done = false;
  const fin = (status) => {
    if (done) return;
    done = true;
    process.stdout.write(JSON.stringify({ start, end: Date.now(), status }) + '\\n');
  };
  const req = http.get(url, { agent: false, timeout }, (res) => { res.resume(); fin(res.statusCode); });
  req.on('timeout', () => { req.destroy(); fin(0); });
  req.on('error', () => fin(0));
}, every);
`;

/**
 * Probes a URL from inside an investor host without a process per request: one Node process in the host's
 * network namespace opens a fresh TCP connection every `everyMs` (requests overlap, so a lost packet costs
 * one interval, not a timeout) and reports each answer. Used by the access-latency benchmark.
 */
export class TunnelProber {
  readonly results: ProbeResult[] = [];
  private readonly child: ChildProcess;
  private readonly timeoutMs: number;
  private listeners: Array<() => void> = [];

  constructor(ns: string, url: string, everyMs = 50, timeoutMs = 500) {
    this.timeoutMs = timeoutMs;
    this.child = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, '-e', PROBE_SCRIPT, url, String(everyMs), String(timeoutMs)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.results.push(JSON.parse(line) as ProbeResult);
      } catch {
        return;
      }
      for (const l of this.listeners) l();
    });
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const tick = () => {
        const v = check();
        if (v === undefined) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      // Re-checks without new answers too: "every request for a while failed" needs time, not a line.
      const poll = setInterval(tick, 50);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners = this.listeners.filter((l) => l !== tick);
      };
      this.listeners.push(tick);
      tick();
    });
  }

  /** The first answer with `status` among requests sent at or after `since` (resolves when it arrives). */
  firstAnswer(since: number, status = 200, timeoutMs = 60_000): Promise<ProbeResult> {
    return this.until(
      () => this.results.find((r) => r.start >= since && r.status === status),
      timeoutMs,
      `an HTTP ${status} through the tunnel`,
    );
  }

  /**
   * When requests started failing for good after `since`: the send time of the first request of a run of
   * at least `confirm` failed ones that no later answer broke. Only requests whose timeout has passed are
   * judged, so a slow answer still counts as an answer.
   */
  cutSince(since: number, confirm = 5, timeoutMs = 60_000): Promise<number> {
    return this.until(
      () => {
        const settled = Date.now() - this.timeoutMs - 100;
        const judged = this.results.filter((r) => r.start >= since && r.start <= settled);
        judged.sort((a, b) => a.start - b.start);
        let first: number | undefined;
        let run = 0;
        for (const r of judged) {
          if (r.status === 0) {
            first ??= r.start;
            run++;
          } else {
            first = undefined;
            run = 0;
          }
        }
        return run >= confirm ? first : undefined;
      },
      timeoutMs,
      'requests through the tunnel refused',
    );
  }

  stop(): void {
    this.child.stdin?.end();
    this.child.kill('SIGTERM');
  }
}

/** Decoded data of the Secrets of one namespace, kept current by a watch, with the time each change arrived. */
export class SecretWatch {
  private readonly data = new Map<string, { at: number; data: Record<string, string> }>();
  private listeners: Array<() => void> = [];
  private req: { abort(): void } | undefined;
  private readonly namespace: string;

  constructor(namespace: string) {
    this.namespace = namespace;
  }

  async start(): Promise<void> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath());
    this.req = await new Watch(kc).watch(
      `/api/v1/namespaces/${this.namespace}/secrets`,
      {},
      (type: string, obj: { metadata: { name: string }; data?: Record<string, string> }) => {
        if (type === 'DELETED') this.data.delete(obj.metadata.name);
        else
          this.data.set(obj.metadata.name, {
            at: Date.now(),
            data: Object.fromEntries(
              Object.entries(obj.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
            ),
          });
        for (const l of this.listeners) l();
      },
      () => {},
    );
  }

  get(name: string): Record<string, string> | undefined {
    return this.data.get(name)?.data;
  }

  /** Resolves when `check` holds for the Secret `name`, with the time the satisfying version arrived. */
  when(name: string, check: (d: Record<string, string>) => boolean, timeoutMs = 60_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const tick = () => {
        const e = this.data.get(name);
        if (!e || !check(e.data)) return;
        cleanup();
        resolve(e.at);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for Secret ${name}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== tick);
      };
      this.listeners.push(tick);
      tick();
    });
  }

  stop(): void {
    this.req?.abort();
  }
}
