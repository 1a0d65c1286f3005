/**
 * Cluster providers, chosen by AURUM_CLUSTER_PROVIDER:
 * - `local` (default): the single-node cluster built and run on this machine (up.ts / down.ts).
 * - `existing`: whatever $KUBECONFIG points at; `up` only checks it answers, `down` does nothing.
 * - `kind`: a kind cluster named `aurum` (needs Docker and a registry for kind's node image; thin wrapper,
 *   not exercised on machines without a registry).
 */
import { existsSync } from 'node:fs';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { run, which } from './lib/sh.ts';

export type ProviderName = 'local' | 'existing' | 'kind';

/** Parses the provider setting (default `local`). */
export function providerName(env: NodeJS.ProcessEnv = process.env): ProviderName {
  const v = (env.AURUM_CLUSTER_PROVIDER ?? 'local').trim();
  if (v === 'local' || v === 'existing' || v === 'kind') return v;
  throw new Error(`AURUM_CLUSTER_PROVIDER must be local, existing or kind (got "${v}")`);
}

/** `existing`: the kubeconfig path from $KUBECONFIG (or ~/.kube/config). */
export function existingKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  const p = env.KUBECONFIG?.split(':')[0] || `${env.HOME ?? '/root'}/.kube/config`;
  if (!existsSync(p)) throw new Error(`provider "existing": kubeconfig ${p} not found; set KUBECONFIG`);
  return p;
}

/** `existing` up: checks the API server answers (with the client library, so any auth plugin works). */
export async function existingUp(): Promise<string> {
  const kc = existingKubeconfig();
  const config = new KubeConfig();
  config.loadFromFile(kc);
  try {
    const v = await config.makeApiClient(VersionApi).getCode();
    return `${kc} (server ${v.gitVersion})`;
  } catch (e) {
    throw new Error(`cluster at ${kc} does not answer: ${(e as Error).message}`);
  }
}

const KIND_NAME = 'aurum';

/** `kind` up/down/kubeconfig/load-image (thin wrappers around the kind CLI). */
export const kind = {
  kubeconfig: (): string => `${process.env.HOME ?? '/root'}/.kube/aurum-kind.kubeconfig`,
  up(): string {
    if (!which('kind'))
      throw new Error('provider "kind" needs the kind CLI on PATH (https://kind.sigs.k8s.io)');
    const exists = run('kind', ['get', 'clusters'], { check: false }).stdout.split('\n').includes(KIND_NAME);
    if (!exists) run('kind', ['create', 'cluster', '--name', KIND_NAME, '--kubeconfig', kind.kubeconfig()]);
    return kind.kubeconfig();
  },
  down(): void {
    run('kind', ['delete', 'cluster', '--name', KIND_NAME], { check: false });
  },
  loadImage(image: string): void {
    run('kind', ['load', 'docker-image', image, '--name', KIND_NAME]);
  },
};
