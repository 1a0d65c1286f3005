/**
 * `cluster down` for the local provider: stops every component and removes what the cluster left on the
 * machine — containers and their shims, mounts (kubelet volumes, container rootfs, sandbox netns),
 * network namespaces, the cni0 bridge and veths, iptables chains (KUBE-*, KUBE-ROUTER-*, CNI-*, AURUM-*),
 * ipsets, the kubepods cgroups and the cluster state. Kept: the binary cache, containerd's image store
 * (so images need not be reloaded) and the logs. Safe to run on a half-finished `up`, and twice.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { components } from './components.ts';
import { hostIdentity, type Layout, NET } from './config.ts';
import { removeClusterIpsets, removeClusterIptables } from './host/iptables.ts';
import { stopPid, stopProc } from './lib/procs.ts';
import { run } from './lib/sh.ts';
import type { Step } from './lib/steps.ts';
import { RUNC_ROOT } from './render/node.ts';

export interface DownContext {
  l: Layout;
}

const dirsOf = (l: Layout) => ({ run: l.run, logs: l.logs });

async function stop(l: Layout, name: string): Promise<string> {
  const c = components(l, hostIdentity()).find((x) => x.name === name)!;
  return (await stopProc(dirsOf(l), name, c.spec.bin, 15_000)) ? 'stopped' : 'not running';
}

/** Kills and deletes every container of the cluster's containerd (namespace k8s.io). */
function removeContainers(l: Layout): string {
  const ctr = (...a: string[]) =>
    run('ctr', ['--address', l.containerdSock, '-n', 'k8s.io', ...a], { check: false, timeoutMs: 60_000 });
  if (ctr('version').code !== 0) return 'containerd not running';
  const tasks = ctr('tasks', 'ls', '-q').stdout.split('\n').filter(Boolean);
  for (const t of tasks) ctr('tasks', 'kill', '-s', 'SIGKILL', '-a', t);
  for (const t of tasks) ctr('tasks', 'delete', '-f', t);
  const containers = ctr('containers', 'ls', '-q').stdout.split('\n').filter(Boolean);
  for (const c of containers) ctr('containers', 'delete', c);
  return `${tasks.length} tasks, ${containers.length} containers`;
}

/** Pids of containerd shims and container processes started for our containerd / runc root. */
function leftoverPids(l: Layout): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes('containerd-shim') && cmd.includes(l.containerdSock)) pids.push(Number(d));
    } catch {}
  }
  return pids;
}

/** Mount points under the cluster's directories (deepest first). */
export function clusterMounts(mountinfo: string, prefixes: readonly string[]): string[] {
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => prefixes.some((pre) => p === pre || p.startsWith(`${pre}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

function unmountAll(l: Layout): string {
  const prefixes = [l.kubeletRoot, l.containerdState, l.containerdRoot, RUNC_ROOT, l.state];
  let n = 0;
  for (let pass = 0; pass < 3; pass++) {
    const mounts = clusterMounts(readFileSync('/proc/self/mountinfo', 'utf8'), prefixes);
    const netns = clusterMounts(readFileSync('/proc/self/mountinfo', 'utf8'), [
      '/run/netns',
      '/var/run/netns',
    ]).filter((p) => /\/cni-[0-9a-f-]+$/.test(p));
    if (!mounts.length && !netns.length) break;
    for (const m of [...mounts, ...netns]) {
      if (run('umount', [m], { check: false }).code !== 0) run('umount', ['-l', m], { check: false });
      n++;
    }
  }
  for (const dir of ['/run/netns', '/var/run/netns']) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/^cni-[0-9a-f-]+$/.test(f)) rmSync(join(dir, f), { force: true });
  }
  return `${n} unmounted`;
}

function removeLinks(): string {
  const removed: string[] = [];
  const links = run('ip', ['-o', 'link', 'show'], { check: false }).stdout;
  for (const line of links.split('\n')) {
    const m = /^\d+: ([^:@]+)(@\S+)?:.* master (\S+)/.exec(line);
    if (m && m[3] === NET.cniBridge) {
      run('ip', ['link', 'del', m[1]!], { check: false });
      removed.push(m[1]!);
    }
  }
  if (run('ip', ['link', 'show', NET.cniBridge], { check: false }).code === 0) {
    run('ip', ['link', 'del', NET.cniBridge], { check: false });
    removed.push(NET.cniBridge);
  }
  for (const iface of ['kube-bridge', 'kube-dummy-if', 'kube-ipvs0']) {
    if (run('ip', ['link', 'show', iface], { check: false }).code === 0) {
      run('ip', ['link', 'del', iface], { check: false });
      removed.push(iface);
    }
  }
  return removed.length ? removed.join(' ') : 'none';
}

/** Removes kubepods cgroups (children first) in every v1 hierarchy; processes are gone by now. */
function removeCgroups(): string {
  let n = 0;
  const rmTree = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) rmTree(p);
      } catch {}
    }
    try {
      rmdirSync(dir);
      n++;
    } catch {}
  };
  const root = '/sys/fs/cgroup';
  if (!existsSync(root)) return 'no cgroups';
  for (const ctl of readdirSync(root)) {
    for (const top of ['kubepods', 'kubepods.slice']) {
      const p = join(root, ctl, top);
      if (existsSync(p)) rmTree(p);
    }
  }
  return `${n} removed`;
}

function removeState(l: Layout): string {
  for (const e of existsSync(l.state) ? readdirSync(l.state) : []) {
    if (e === 'logs') continue;
    rmSync(join(l.state, e), { recursive: true, force: true });
  }
  rmSync(l.containerdState, { recursive: true, force: true });
  rmSync(RUNC_ROOT, { recursive: true, force: true });
  for (const f of existsSync('/var/lib/cni/results') ? readdirSync('/var/lib/cni/results') : []) {
    if (f.startsWith('aurum-')) rmSync(join('/var/lib/cni/results', f), { force: true });
  }
  // containerd's CNI library caches results under /var/lib/cni; drop the directories if we left them empty.
  for (const d of ['/var/lib/cni/results', '/var/lib/cni']) {
    try {
      if (existsSync(d) && readdirSync(d).length === 0) rmdirSync(d);
    } catch {}
  }
  return `${l.state} (logs kept)`;
}

/** The `down` procedure. */
export const DOWN_STEPS: readonly Step<DownContext>[] = [
  { name: 'stop kubelet', run: ({ l }) => stop(l, 'kubelet') },
  { name: 'remove containers', run: ({ l }) => removeContainers(l) },
  ...[
    'kube-router',
    'kube-proxy',
    'kube-scheduler',
    'kube-controller-manager',
    'kube-apiserver',
    'etcd',
    'containerd',
  ].map((name): Step<DownContext> => ({ name: `stop ${name}`, run: ({ l }) => stop(l, name) })),
  {
    name: 'stop leftover shims',
    run: async ({ l }) => {
      const pids = leftoverPids(l);
      for (const p of pids) await stopPid(p, 3000);
      return `${pids.length}`;
    },
  },
  { name: 'unmount', run: ({ l }) => unmountAll(l) },
  { name: 'network links', run: () => removeLinks() },
  { name: 'iptables', run: () => `${removeClusterIptables()} rules/chains removed` },
  { name: 'ipsets', run: () => `${removeClusterIpsets()} removed` },
  { name: 'cgroups', run: () => removeCgroups() },
  { name: 'state', run: ({ l }) => removeState(l) },
];
