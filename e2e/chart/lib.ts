/**
 * The chart on the e2e cluster: install/upgrade it the way admins do (charts/install.ts), with the settings
 * the e2e suite needs.
 */
import { installChart, uninstallChart } from '../../charts/install.ts';
import { kubeconfigPath, kubectl, kubectlBinary, kubectlJson, waitFor } from '../lib/index.ts';

export const RELEASE_NS = 'aurum-system';

/**
 * Until the runtime image runs in e2e with a counter, platforms run the operator image's stand-in runtime
 * (operator/stub-runtime.ts: validates the rendered configuration and the mounted credentials, serves the
 * probes) — the same stand-in the operator's own e2e tests use.
 */
export const STUB_RUNTIME_SETS = [
  'runtime.image=docker.io/aurum/operator:0.1.0',
  'runtime.command={node,/app/operator/stub-runtime.ts}',
];

/** `helm upgrade --install` of charts/aurum into aurum-system; waits for the operator rollout. */
export function installAurum(sets: string[] = STUB_RUNTIME_SETS): string {
  const out = installChart({ kubeconfig: kubeconfigPath(), kubectl: kubectlBinary(), sets, log: () => {} });
  kubectl(['-n', RELEASE_NS, 'rollout', 'status', 'deployment/aurum-operator', '--timeout=240s'], {
    timeoutMs: 260_000,
  });
  return out;
}

/** `helm uninstall` (CRDs and namespaces stay). */
export function uninstallAurum(): void {
  uninstallChart({ kubeconfig: kubeconfigPath() });
}

/** The pod holding the operator's leader Lease, once one does. */
export async function operatorLeader(): Promise<string> {
  return waitFor(
    () => {
      const holder = kubectl(
        ['-n', RELEASE_NS, 'get', 'lease', 'aurum-operator', '-o', 'jsonpath={.spec.holderIdentity}'],
        { check: false },
      ).stdout.trim();
      const pods = kubectlJson<{ items: any[] }>([
        '-n',
        RELEASE_NS,
        'get',
        'pods',
        '-l',
        'app.kubernetes.io/name=aurum-operator',
      ]).items.filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);
      return pods.some((p) => p.metadata.name === holder) ? holder : undefined;
    },
    { describe: 'an operator pod holding the leader Lease', timeout: 90_000 },
  );
}

/** A counter Secret, a strategy ConfigMap and a TradingPlatform named `name` in `namespace`. */
export function platformManifests(namespace: string, name: string): Record<string, any>[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-counter`, namespace },
      stringData: { password: 'e2e' },
    },
    {
      apiVersion: 'aurum.dev/v1alpha1',
      kind: 'TradingPlatform',
      metadata: { name, namespace },
      spec: {
        investor: name,
        runtime: { profile: 'small', allowedProfiles: ['small', 'standard'] },
        counter: {
          endpoints: [{ host: `aurum-simulator.${RELEASE_NS}.svc`, port: 9878 }],
          senderCompId: name.toUpperCase(),
          targetCompId: 'COUNTER',
          accountId: '80001234',
          credentialsSecretRef: { name: `${name}-counter` },
        },
        marketData: { instruments: ['au2606'] },
      },
    },
  ];
}
