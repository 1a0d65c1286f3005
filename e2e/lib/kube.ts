/**
 * Cluster access for e2e tests: a KubeConfig and typed API clients from $KUBECONFIG, and `kubectl()`
 * running the cluster's own kubectl (built with the cluster; /usr/bin/kubectl on these machines is an
 * unrelated dispatcher). Set AURUM_KUBECTL to use another kubectl (e.g. with the `existing` provider).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { binary } from '../../cluster/build/binaries.ts';
import { defaultPaths, layout } from '../../cluster/config.ts';

/** Path of the kubeconfig the tests use ($KUBECONFIG, else the local cluster's admin kubeconfig). */
export function kubeconfigPath(): string {
  const p = process.env.KUBECONFIG?.split(':')[0] || layout(defaultPaths()).adminKubeconfig;
  if (!existsSync(p))
    throw new Error(`kubeconfig ${p} not found: run \`npm run cluster -- up\` or set KUBECONFIG`);
  return p;
}

/** A KubeConfig loaded from {@link kubeconfigPath}. */
export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

/** Typed API clients sharing one KubeConfig. */
export function clients(kc: KubeConfig = kubeConfig()) {
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

/** The kubectl binary: AURUM_KUBECTL, else the one built with the local cluster, else `kubectl`. */
export function kubectlBinary(): string {
  if (process.env.AURUM_KUBECTL) return process.env.AURUM_KUBECTL;
  const local = binary(layout(defaultPaths()), 'kubectl');
  return existsSync(local) ? local : 'kubectl';
}

/** Result of {@link kubectl}. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl against the test cluster.
 * @param args kubectl arguments (no shell)
 * @param opts.input stdin (e.g. a manifest for `apply -f -`)
 * @param opts.check throw on a non-zero exit (default true)
 * @param opts.timeoutMs kill after (default 120 s)
 */
export function kubectl(
  args: readonly string[],
  opts: { input?: string; check?: boolean; timeoutMs?: number } = {},
): KubectlResult {
  const r = spawnSync(kubectlBinary(), ['--kubeconfig', kubeconfigPath(), ...args], {
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const res = {
    code: r.status ?? 1,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error?.message ?? ''),
  };
  if ((opts.check ?? true) && res.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (exit ${res.code}): ${res.stderr.trim()}`);
  }
  return res;
}

/** `kubectl ... -o json` parsed. */
export function kubectlJson<T = any>(args: readonly string[]): T {
  return JSON.parse(kubectl([...args, '-o', 'json']).stdout) as T;
}

/** Applies manifests (objects or YAML text) with server-side apply. */
export function apply(manifests: string | object | object[], namespace?: string): void {
  const docs =
    typeof manifests === 'string'
      ? manifests
      : (Array.isArray(manifests) ? manifests : [manifests]).map((m) => JSON.stringify(m)).join('\n---\n');
  kubectl(
    [
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=e2e',
      ...(namespace ? ['-n', namespace] : []),
      '-f',
      '-',
    ],
    {
      input: docs,
    },
  );
}

/** Runs a command in a pod's container (`kubectl exec`), returning its result without throwing. */
export function exec(
  namespace: string,
  pod: string,
  command: readonly string[],
  container?: string,
  timeoutMs = 60_000,
): KubectlResult {
  return kubectl(['-n', namespace, 'exec', pod, ...(container ? ['-c', container] : []), '--', ...command], {
    check: false,
    timeoutMs,
  });
}
