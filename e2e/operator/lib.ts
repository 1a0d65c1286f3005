/**
 * Helpers of the operator e2e tests: install the CRDs, deploy the operator (2 replicas, stub runtime from the
 * operator image), build TradingPlatform manifests, read status.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { operatorManifests, STUB_RUNTIME_CONFIG, toYaml } from '../../operator/deploy/manifests.ts';
import { apply, kubectl, kubectlJson, waitFor } from '../lib/index.ts';

const repo = join(import.meta.dirname, '..', '..');
export const OPERATOR_NS = 'aurum-system';
export const OPERATOR_IMAGE = 'docker.io/aurum/operator:0.1.0';

/** Applies crds/ and waits until every CRD is Established. */
export function installCrds(): void {
  kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=e2e', '-f', join(repo, 'crds')]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(repo, 'crds')]);
}

/** Docker's id of the operator image, so a rebuilt image rolls the Deployment (same tag, IfNotPresent). */
function imageId(): string {
  const r = spawnSync('docker', ['image', 'inspect', OPERATOR_IMAGE, '--format', '{{.Id}}'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim().replace('sha256:', '').slice(0, 16) : 'unknown';
}

/** Deploys (or updates) the operator and waits for both replicas; one of them leads. */
export async function deployOperator(): Promise<void> {
  installCrds();
  const objects = operatorManifests({
    config: STUB_RUNTIME_CONFIG,
    // Only the TradingPlatform controller: these tests are about it, not the firewall.
    env: { AURUM_RESYNC_SECONDS: '120', AURUM_CONTROLLERS: 'tradingplatform' },
    logLevel: 'info',
  }) as Array<Record<string, any>>;
  const dep = objects.find((o) => o.kind === 'Deployment')!;
  dep.spec.template.metadata.annotations = { 'aurum.dev/image-id': imageId() };
  apply(toYaml(objects));
  kubectl(['-n', OPERATOR_NS, 'rollout', 'status', 'deployment/aurum-operator', '--timeout=240s'], {
    timeoutMs: 260_000,
  });
  await waitFor(() => leader(), { describe: 'an operator leader', timeout: 60_000 });
}

/** Name of the pod holding the leader Lease (if it is a live pod). */
export function leader(): string | undefined {
  const r = kubectl(
    ['-n', OPERATOR_NS, 'get', 'lease', 'aurum-operator', '-o', 'jsonpath={.spec.holderIdentity}'],
    {
      check: false,
    },
  );
  const holder = r.stdout.trim();
  if (!holder) return undefined;
  const pods = operatorPods();
  return pods.includes(holder) ? holder : undefined;
}

/** Running operator pods. */
export function operatorPods(): string[] {
  const list = kubectlJson<{ items: any[] }>([
    '-n',
    OPERATOR_NS,
    'get',
    'pods',
    '-l',
    'app.kubernetes.io/name=aurum-operator',
  ]);
  return list.items
    .filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name);
}

/** The example manifests (examples/tradingplatform.yaml) moved into `namespace`, without the Namespace doc. */
export function exampleManifests(namespace: string): Array<Record<string, any>> {
  const text = readFileSync(join(repo, 'examples', 'tradingplatform.yaml'), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as Record<string, any>)
    .filter((d) => d && d.kind !== 'Namespace')
    .map((d) => ({ ...d, metadata: { ...d.metadata, namespace } }));
}

/** A TradingPlatform manifest with sensible defaults. */
export function platform(
  namespace: string,
  name: string,
  spec: Record<string, any> = {},
): Record<string, any> {
  return {
    apiVersion: 'aurum.dev/v1alpha1',
    kind: 'TradingPlatform',
    metadata: { name, namespace },
    spec: {
      investor: name,
      runtime: { profile: 'standard', allowedProfiles: ['standard', 'large'] },
      counter: {
        endpoints: [{ host: 'counter.aurum-system.svc', port: 9878 }],
        senderCompId: name.toUpperCase().replace(/-/g, '_'),
        targetCompId: 'COUNTER',
        accountId: '80001234',
        credentialsSecretRef: { name: `${name}-counter` },
      },
      marketData: { instruments: ['au2606'] },
      ...spec,
    },
  };
}

/** The counter credentials Secret a platform references. */
export function counterSecret(namespace: string, name: string): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    stringData: { password: 'e2e-secret' },
  };
}

/** A TradingPlatform as the API server has it. */
export function getPlatform(namespace: string, name: string): any {
  return kubectlJson(['-n', namespace, 'get', 'tradingplatform', name]);
}

/** The status condition of a platform. */
export function condition(tp: any, type: string): any {
  return tp?.status?.conditions?.find((c: any) => c.type === type);
}

/** Waits until the platform's condition has `status` (and `reason`, if given) for the current generation. */
export function waitCondition(
  namespace: string,
  name: string,
  type: string,
  status: string,
  reason?: string,
  timeout = 180_000,
) {
  return waitFor(
    () => {
      const tp = getPlatform(namespace, name);
      const c = condition(tp, type);
      const ok =
        c?.status === status &&
        (!reason || c.reason === reason) &&
        tp.status.observedGeneration === tp.metadata.generation;
      return ok ? tp : undefined;
    },
    {
      timeout,
      interval: 1000,
      describe: `${namespace}/${name} ${type}=${status}${reason ? ` (${reason})` : ''}`,
    },
  );
}
