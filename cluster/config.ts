/**
 * Versions, paths and addresses of the local single-node cluster. One place to read what runs where.
 * Pure data plus `hostIdentity()` (reads the machine's hostname and primary IPv4 address).
 */
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';

/**
 * Pinned upstream versions. Kubernetes 1.34 is the newest minor whose kubelet runs on cgroup v1 with
 * containerd 1.6 (Debian 12's): 1.35 deprecates cgroup v1 (needs failCgroupV1: false) and 1.36 drops
 * containerd 1.x. See docs/cluster.md.
 */
export const VERSIONS = {
  kubernetes: 'v1.34.4',
  etcd: 'v3.6.16',
  coredns: 'v1.14.7',
  /** the only v2 release the Go module proxy serves here */
  kubeRouter: 'v2.1.0',
  localPathProvisioner: 'v0.0.30',
} as const;

/** Where everything lives. Override the roots with AURUM_CLUSTER_STATE / AURUM_CACHE for experiments. */
export interface Paths {
  /** cluster state: certs, configs, etcd data, kubelet root, logs (removed by `down`, except logs) */
  state: string;
  /** build cache of binaries keyed by version (kept across `down`) */
  cache: string;
}

/** Default roots: /var/lib/aurum/cluster and /var/cache/aurum. */
export function defaultPaths(env: NodeJS.ProcessEnv = process.env): Paths {
  return {
    state: env.AURUM_CLUSTER_STATE ?? '/var/lib/aurum/cluster',
    cache: env.AURUM_CACHE ?? '/var/cache/aurum',
  };
}

/** Derived file locations. */
export function layout(p: Paths) {
  const s = p.state;
  return {
    state: s,
    pki: join(s, 'pki'),
    config: join(s, 'config'),
    logs: join(s, 'logs'),
    run: join(s, 'run'),
    etcdData: join(s, 'etcd'),
    kubeletRoot: join(s, 'kubelet'),
    kubeletPlugins: join(s, 'kubelet-plugins'),
    cniConfDir: join(s, 'cni', 'net.d'),
    cniCache: join(s, 'cni', 'cache'),
    localPath: join(s, 'local-path'),
    /** containerd keeps images here across `down` so loaded images survive a restart */
    containerdRoot: '/var/lib/aurum/containerd',
    containerdState: '/run/aurum/containerd',
    containerdSock: '/run/aurum/containerd/containerd.sock',
    adminKubeconfig: join(s, 'admin.kubeconfig'),
    identity: join(s, 'identity.json'),
    bin: (name: string, version: string) => join(p.cache, 'bin', `${name}-${version}`),
  };
}

export type Layout = ReturnType<typeof layout>;

/** Network layout (fixed, private ranges that do not clash with the VM's own address). */
export const NET = {
  podCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  serviceCidr: '10.96.0.0/16',
  apiServiceIp: '10.96.0.1',
  dnsServiceIp: '10.96.0.10',
  clusterDomain: 'cluster.local',
  cniBridge: 'cni0',
} as const;

/** Host ports the components listen on (checked free before `up` starts them). */
export const PORTS = {
  apiserver: 6443,
  etcdClient: 2379,
  etcdPeer: 2380,
  etcdMetrics: 2381,
  kubelet: 10250,
  kubeletHealthz: 10248,
  scheduler: 10259,
  controllerManager: 10257,
  kubeProxyMetrics: 10249,
  kubeProxyHealthz: 10256,
  kubeRouterHealth: 20244,
  kubeRouterMetrics: 20245,
} as const;

/** The machine's identity, baked into certificates and the node object. */
export interface HostIdentity {
  nodeName: string;
  nodeIp: string;
}

/** Reads hostname and the first non-internal IPv4 address (AURUM_NODE_IP overrides). */
export function hostIdentity(env: NodeJS.ProcessEnv = process.env): HostIdentity {
  const nodeName = hostname().toLowerCase();
  if (env.AURUM_NODE_IP) return { nodeName, nodeIp: env.AURUM_NODE_IP };
  for (const [ifname, addrs] of Object.entries(networkInterfaces())) {
    if (ifname === NET.cniBridge || ifname.startsWith('docker') || ifname.startsWith('veth')) continue;
    for (const a of addrs ?? [])
      if (a.family === 'IPv4' && !a.internal) return { nodeName, nodeIp: a.address };
  }
  throw new Error('no non-loopback IPv4 address found; set AURUM_NODE_IP');
}

/** Image names of the cluster's own add-ons (built locally from scratch, never pulled). */
export const ADDON_IMAGES = {
  pause: 'docker.io/aurum/pause:3.10',
  coredns: `docker.io/aurum/coredns:${VERSIONS.coredns}`,
  localPath: `docker.io/aurum/local-path-provisioner:${VERSIONS.localPathProvisioner}`,
  helper: 'docker.io/aurum/cluster-helper:0.1.0',
} as const;
