/**
 * `cluster up` for the local provider: the ordered steps that turn this machine into a single-node
 * Kubernetes. Every step is idempotent; when the whole cluster already runs for the same host identity,
 * `up` only re-checks health (a quick no-op).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { binary, downloadModule, ensureBuild, ensurePause, GO_BUILDS, isCached } from './build/binaries.ts';
import { type Component, components } from './components.ts';
import { ADDON_IMAGES, type HostIdentity, hostIdentity, type Layout, PORTS, VERSIONS } from './config.ts';
import { ensureForwardAccept } from './host/iptables.ts';
import { ensureAddonImages } from './images/addons.ts';
import { logFile } from './lib/procs.ts';
import { poll, run, which } from './lib/sh.ts';
import { type Step, StepError } from './lib/steps.ts';
import { generatePki } from './pki/generate.ts';
import { corednsManifests, patchLocalPathManifest, rbacManifests } from './render/addons.ts';
import {
  renderCniConflist,
  renderContainerdConfig,
  renderKubeconfig,
  renderKubeletConfig,
  renderKubeProxyConfig,
} from './render/node.ts';
import { ensureComponent } from './start.ts';

/** What the steps share. */
export interface UpContext {
  l: Layout;
  cacheRoot: string;
  id: HostIdentity;
  comps: Component[];
  /** set by the "reuse" check: everything already runs for this identity */
  alreadyUp?: boolean;
}

const FIX_SETUP = 'run `npm run setup` (installs the Debian packages and starts dockerd)';

/** The kubectl built for this cluster, with the admin kubeconfig. */
export function kubectl(l: Layout, args: string[], input?: string) {
  return run(binary(l, 'kubectl'), ['--kubeconfig', l.adminKubeconfig, ...args], { input, check: false });
}

/**
 * Writes a file only when its content differs: kube-proxy (and others) watch their config files and
 * exit on any write, so rewriting identical content on a retried `up` would restart them.
 */
function writeIfChanged(path: string, content: string, mode?: number): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  writeFileSync(path, content, mode === undefined ? undefined : { mode });
}

async function stepPreflight(ctx: UpContext): Promise<string> {
  if (process.getuid?.() !== 0) throw new StepError('must run as root', { fix: 'run as root (sudo)' });
  const need = [
    'containerd',
    'ctr',
    'runc',
    'iptables',
    'iptables-save',
    'ipset',
    'conntrack',
    'openssl',
    'docker',
    'ip',
  ];
  const missing = need.filter((b) => !which(b));
  if (!existsSync('/usr/lib/cni/bridge')) missing.push('/usr/lib/cni/bridge');
  if (missing.length)
    throw new StepError(`missing on this machine: ${missing.join(', ')}`, { fix: FIX_SETUP });
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    throw new StepError('no cgroup hierarchy found under /sys/fs/cgroup');
  }
  for (const d of [ctx.l.state, ctx.l.logs, ctx.l.run, ctx.l.config]) mkdirSync(d, { recursive: true });
  // Reuse: everything runs for the same identity -> nothing to do beyond health checks.
  const prev = existsSync(ctx.l.identity)
    ? (JSON.parse(readFileSync(ctx.l.identity, 'utf8')) as HostIdentity)
    : undefined;
  const same = prev && prev.nodeName === ctx.id.nodeName && prev.nodeIp === ctx.id.nodeIp;
  if (prev && !same) {
    throw new StepError(
      `host identity changed (${prev.nodeName}/${prev.nodeIp} -> ${ctx.id.nodeName}/${ctx.id.nodeIp})`,
      {
        fix: 'run `npm run cluster -- down` first, then `up` (certificates are regenerated)',
      },
    );
  }
  if (same) {
    const health = await Promise.all(ctx.comps.map(async (c) => (await c.health()) === ''));
    ctx.alreadyUp = health.every(Boolean);
  }
  return `${ctx.id.nodeName} ${ctx.id.nodeIp}${ctx.alreadyUp ? ', cluster already up' : ''}`;
}

async function stepBinaries(ctx: UpContext): Promise<string> {
  const built: string[] = [];
  for (const b of GO_BUILDS) {
    if (isCached(ctx.l, b)) continue;
    console.log(
      `  building ${b.module}@${b.version} (${Object.keys(b.binaries).join(', ')}); log in ${ctx.cacheRoot}/build/${b.name}-${b.version}/build.log`,
    );
    try {
      await ensureBuild(ctx.l, b, ctx.cacheRoot);
    } catch (e) {
      throw new StepError((e as Error).message, {
        log: join(ctx.cacheRoot, 'build', `${b.name}-${b.version}`, 'build.log'),
        fix: 'check that the Go module proxy is reachable (`go env GOPROXY`) and rerun `up`',
      });
    }
    built.push(b.name);
  }
  ensurePause(ctx.l);
  return built.length ? `built ${built.join(', ')}` : 'cached';
}

function stepHostNetwork(): string {
  const sysctls: Array<[string, string]> = [
    ['/proc/sys/net/ipv4/ip_forward', '1'],
    ['/proc/sys/net/bridge/bridge-nf-call-iptables', '1'],
    ['/proc/sys/net/bridge/bridge-nf-call-ip6tables', '1'],
  ];
  for (const [f, v] of sysctls) {
    if (!existsSync(f)) throw new StepError(`${f} missing (br_netfilter not available?)`);
    if (readFileSync(f, 'utf8').trim() !== v) writeFileSync(f, v);
  }
  ensureForwardAccept();
  return 'ip_forward, bridge-nf-call-iptables, FORWARD accept for pods';
}

function stepPki(ctx: UpContext): string {
  const { l, id } = ctx;
  // New certificates for every cluster (`down` removes them; preflight refuses a changed identity), so a
  // retried, half-finished `up` keeps the ones the running components already use.
  const fresh = !existsSync(join(l.pki, 'sa.pub'));
  if (fresh) generatePki(l.pki, id);
  const server = `https://${id.nodeIp}:${PORTS.apiserver}`;
  const kc = (user: string, certName: string) =>
    renderKubeconfig({
      server,
      caFile: `${l.pki}/ca.crt`,
      certFile: `${l.pki}/${certName}.crt`,
      keyFile: `${l.pki}/${certName}.key`,
      user,
    });
  writeIfChanged(l.adminKubeconfig, kc('admin', 'admin'), 0o600);
  for (const [file, cert] of [
    ['controller-manager', 'controller-manager'],
    ['scheduler', 'scheduler'],
    ['kubelet', 'kubelet'],
    ['kube-proxy', 'kube-proxy'],
    ['kube-router', 'kube-router'],
  ] as const) {
    writeIfChanged(join(l.config, `${file}.kubeconfig`), kc(file, cert), 0o600);
  }
  const params = { l, id, pauseImage: ADDON_IMAGES.pause };
  writeIfChanged(join(l.config, 'containerd.toml'), renderContainerdConfig(params));
  writeIfChanged(join(l.config, 'kubelet.yaml'), renderKubeletConfig(params));
  writeIfChanged(join(l.config, 'kube-proxy.yaml'), renderKubeProxyConfig(params));
  writeIfChanged(l.identity, `${JSON.stringify(id)}\n`);
  return fresh ? 'certificates generated' : 'kept (same cluster, same host identity)';
}

async function stepContainerd(ctx: UpContext): Promise<string | undefined> {
  mkdirSync(ctx.l.cniConfDir, { recursive: true });
  return ensureComponent(ctx, 'containerd', 30_000);
}

function stepAddonImages(ctx: UpContext): string {
  try {
    const loaded = ensureAddonImages(ctx.l);
    return loaded.length ? `loaded ${loaded.join(', ')}` : 'present';
  } catch (e) {
    throw new StepError((e as Error).message, { fix: FIX_SETUP });
  }
}

function apply(ctx: UpContext, objs: unknown[], what: string): void {
  const yaml = objs.map((o) => stringify(o)).join('---\n');
  const r = kubectl(
    ctx.l,
    ['apply', '--server-side', '--force-conflicts', '--field-manager=aurum-cluster', '-f', '-'],
    yaml,
  );
  if (r.code !== 0)
    throw new StepError(`applying ${what} failed: ${r.stderr.trim()}`, {
      log: logFile(ctx.l, 'kube-apiserver'),
    });
}

function stepRbac(ctx: UpContext): string {
  apply(ctx, rbacManifests(), 'RBAC for host components');
  return 'applied';
}

async function stepPodCidr(ctx: UpContext): Promise<string> {
  let cidr = '';
  const ok = await poll(
    () => {
      const r = kubectl(ctx.l, ['get', 'node', ctx.id.nodeName, '-o', 'jsonpath={.spec.podCIDR}']);
      cidr = r.code === 0 ? r.stdout.trim() : '';
      return cidr !== '';
    },
    90_000,
    1000,
  );
  if (!ok) {
    throw new StepError(`node ${ctx.id.nodeName} did not register or got no podCIDR within 90s`, {
      log: logFile(ctx.l, 'kubelet'),
      fix: `also read ${logFile(ctx.l, 'kube-controller-manager')}`,
    });
  }
  const file = join(ctx.l.cniConfDir, '10-aurum.conflist');
  const want = renderCniConflist(cidr, join(ctx.l.state, 'cni', 'ipam'));
  writeIfChanged(file, want);
  return cidr;
}

async function stepAddons(ctx: UpContext): Promise<string> {
  apply(ctx, corednsManifests(), 'CoreDNS');
  const lpp = downloadModule('github.com/rancher/local-path-provisioner', VERSIONS.localPathProvisioner);
  const upstream = readFileSync(join(lpp.Dir, 'deploy', 'local-path-storage.yaml'), 'utf8');
  mkdirSync(ctx.l.localPath, { recursive: true });
  apply(ctx, patchLocalPathManifest(upstream, ctx.l.localPath), 'local-path-provisioner');
  return 'CoreDNS, local-path StorageClass (default)';
}

/** Waits until a Deployment reports all replicas available (rollout status alone can pass on stale status). */
async function waitRollout(ctx: UpContext, ns: string, name: string): Promise<void> {
  const ok = await poll(
    () => {
      const r = kubectl(ctx.l, [
        '-n',
        ns,
        'get',
        'deployment',
        name,
        '-o',
        'jsonpath={.status.availableReplicas}/{.spec.replicas}',
      ]);
      return /^(\d+)\/\1$/.test(r.stdout.trim());
    },
    180_000,
    1000,
  );
  if (!ok) {
    const pods = kubectl(ctx.l, ['-n', ns, 'get', 'pods', '-o', 'wide']).stdout;
    const events = kubectl(ctx.l, ['-n', ns, 'get', 'events', '--sort-by=.lastTimestamp'])
      .stdout.split('\n')
      .slice(-10)
      .join('\n');
    throw new StepError(`${ns}/${name} not available within 180s\n${pods}\n${events}`, {
      log: logFile(ctx.l, 'kubelet'),
      fix: 'check the kubelet and containerd logs',
    });
  }
}

async function stepReady(ctx: UpContext): Promise<string> {
  const ok = await poll(
    () => {
      const r = kubectl(ctx.l, [
        'get',
        'node',
        ctx.id.nodeName,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return r.stdout.trim() === 'True';
    },
    120_000,
    1000,
  );
  if (!ok) throw new StepError('node not Ready within 120s', { log: logFile(ctx.l, 'kubelet') });
  await waitRollout(ctx, 'kube-system', 'coredns');
  await waitRollout(ctx, 'local-path-storage', 'local-path-provisioner');
  return 'node Ready, CoreDNS and local-path-provisioner available';
}

const comp$ = (name: string, timeoutMs?: number): Step<UpContext> => ({
  name,
  run: (ctx) => ensureComponent(ctx, name, timeoutMs),
});

/** The `up` procedure. */
export const PREFLIGHT: Step<UpContext> = { name: 'preflight', run: stepPreflight };

/** The `up` procedure after preflight (skipped as a whole when preflight finds the cluster up). */
export const UP_STEPS: readonly Step<UpContext>[] = [
  { name: 'binaries', run: stepBinaries },
  { name: 'host network', run: stepHostNetwork },
  { name: 'certificates and configs', run: stepPki },
  comp$('etcd'),
  { name: 'containerd', run: stepContainerd },
  { name: 'add-on images', run: stepAddonImages },
  comp$('kube-apiserver', 120_000),
  { name: 'RBAC', run: stepRbac },
  comp$('kube-controller-manager'),
  comp$('kube-scheduler'),
  comp$('kubelet'),
  { name: 'pod network (CNI)', run: stepPodCidr },
  comp$('kube-proxy'),
  comp$('kube-router'),
  { name: 'add-ons', run: stepAddons },
  { name: 'ready', run: stepReady },
];

/** Builds the context for the local provider. */
export function upContext(l: Layout, cacheRoot: string): UpContext {
  const id = hostIdentity();
  return { l, cacheRoot, id, comps: components(l, id) };
}
