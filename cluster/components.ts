/**
 * The host processes of the local cluster, in start order, with how to tell each is healthy.
 * Pods (CoreDNS, the local-path provisioner) are checked through the API in status.ts.
 */
import { binary } from './build/binaries.ts';
import { type HostIdentity, type Layout, PORTS } from './config.ts';
import { httpGet } from './lib/http.ts';
import type { ProcSpec } from './lib/procs.ts';
import { run } from './lib/sh.ts';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  kubeletArgs,
  kubeProxyArgs,
  kubeRouterArgs,
  schedulerArgs,
} from './render/flags.ts';

/** A host process and its health probe. */
export interface Component {
  name: string;
  spec: ProcSpec;
  /** resolves to '' when healthy, else a short reason */
  health: () => Promise<string>;
  /** TCP ports it listens on, checked free before a start (default: the table in up.ts) */
  ports?: number[];
}

const ok = async (url: string, tls = {}): Promise<string> => {
  const r = await httpGet(url, tls);
  return r.status === 200
    ? ''
    : r.status === 0
      ? `unreachable (${r.body})`
      : `HTTP ${r.status}: ${r.body.slice(0, 200)}`;
};

/** Every host process, in start order. */
export function components(l: Layout, id: HostIdentity): Component[] {
  const admin = { ca: `${l.pki}/ca.crt`, cert: `${l.pki}/admin.crt`, key: `${l.pki}/admin.key` };
  const c = (name: string, bin: string, args: string[], health: () => Promise<string>): Component => ({
    name,
    spec: { name, bin: binary(l, bin), args },
    health,
  });
  return [
    c('etcd', 'etcd', etcdArgs(l), () => ok(`http://127.0.0.1:${PORTS.etcdClient}/health`)),
    {
      name: 'containerd',
      spec: {
        name: 'containerd',
        bin: '/usr/bin/containerd',
        args: ['--config', `${l.config}/containerd.toml`],
      },
      health: async () => {
        const r = run('ctr', ['--address', l.containerdSock, 'version'], { check: false, timeoutMs: 5000 });
        return r.code === 0 ? '' : `ctr version failed: ${r.stderr.trim().split('\n').pop()}`;
      },
    },
    c('kube-apiserver', 'kube-apiserver', apiserverArgs(l, id), () =>
      ok(`https://127.0.0.1:${PORTS.apiserver}/readyz`, admin),
    ),
    c('kube-controller-manager', 'kube-controller-manager', controllerManagerArgs(l), () =>
      ok(`https://127.0.0.1:${PORTS.controllerManager}/healthz`),
    ),
    c('kube-scheduler', 'kube-scheduler', schedulerArgs(l), () =>
      ok(`https://127.0.0.1:${PORTS.scheduler}/healthz`),
    ),
    c('kubelet', 'kubelet', kubeletArgs(l, id), () => ok(`http://127.0.0.1:${PORTS.kubeletHealthz}/healthz`)),
    c('kube-proxy', 'kube-proxy', kubeProxyArgs(l), () =>
      ok(`http://127.0.0.1:${PORTS.kubeProxyHealthz}/healthz`),
    ),
    c('kube-router', 'kube-router', kubeRouterArgs(l, id), () =>
      ok(`http://127.0.0.1:${PORTS.kubeRouterHealth}/healthz`),
    ),
  ];
}
