/**
 * The operator's objects, from `operator/deploy/manifests.ts` (the same builder `kubectl apply` installs
 * use) with Helm expressions for what values configure. The release namespace itself is
 * {@link operatorNamespaceTemplate}; the builder's Namespace is dropped because Helm cannot create the
 * namespace it stores its release in.
 */
import type { OperatorConfig } from '../../operator/config.ts';
import { operatorManifests } from '../../operator/deploy/manifests.ts';
import type { HelmTemplating } from '../templating.ts';
import { onlyIf } from '../templating.ts';
import { templateOf } from './yaml.ts';

type Obj = { kind: string; metadata: Record<string, unknown>; spec?: Record<string, unknown> };

/** The operator configuration file (operator.json) with every chart-configurable field from values. */
function operatorConfig(t: HelmTemplating): Partial<OperatorConfig> & { access: unknown } {
  // JSON values: `toJson` keeps strings quoted and maps/lists intact inside the JSON document.
  const json = <T>(path: string): T => t.raw<T>(`toJson ${path}`);
  return {
    defaultImage: json('.Values.runtime.image'),
    imagePullPolicy: json('.Values.runtime.imagePullPolicy'),
    defaultProfile: json('.Values.runtime.defaultProfile'),
    profiles: json('.Values.runtime.profiles'),
    retainVolumesOnDelete: json('.Values.runtime.retainVolumesOnDelete'),
    access: t.raw('include "aurum.accessConfig" .'),
  };
}

/** templates/operator.yaml: ServiceAccount, RBAC, leader-election Role, config, Deployment, metrics Service. */
export function operatorTemplate(): string {
  return templateOf((t) => {
    const objects = operatorManifests({
      namespace: t.raw('.Release.Namespace'),
      image: t.str('.Values.operator.image'),
      replicas: t.raw<number>('.Values.operator.replicas'),
      logLevel: t.str('.Values.operator.logLevel'),
      config: operatorConfig(t) as Partial<OperatorConfig>,
      env: { AURUM_LEADER_ELECTION: t.str('.Values.operator.leaderElection | toString') },
    }) as Obj[];
    const kept = objects.filter((o) => o.kind !== 'Namespace');
    for (const o of kept) {
      o.metadata.labels = t.yaml(
        `merge (dict) (include "aurum.labels" . | fromYaml) (dict ${Object.entries(
          (o.metadata.labels ?? {}) as Record<string, string>,
        )
          .map(([k, v]) => `${JSON.stringify(k)} ${JSON.stringify(v)}`)
          .join(' ')})`,
      );
    }
    const deployment = kept.find((o) => o.kind === 'Deployment')!;
    const pod = (deployment.spec!.template as { spec: Record<string, unknown> }).spec;
    const container = (pod.containers as Record<string, unknown>[])[0]!;
    container.imagePullPolicy = t.str('.Values.operator.imagePullPolicy');
    container.resources = t.yaml('.Values.operator.resources');
    pod.nodeSelector = t.yaml('.Values.operator.nodeSelector');
    pod.tolerations = t.yaml('.Values.operator.tolerations');
    // A config change must roll the operator: the pod template carries the config's hash.
    (deployment.spec!.template as { metadata: Record<string, unknown> }).metadata.annotations = {
      'aurum.dev/config-hash': t.str('include "aurum.operatorConfigHash" .'),
    };
    return kept;
  });
}

/**
 * templates/operator-namespace.yaml: the release namespace with PodSecurity `restricted` enforced. Helm can
 * only adopt it (it stores the release there, so it must exist first): create it, then install with
 * `--take-ownership`. `operatorNamespace.manage=false` leaves the namespace alone.
 */
export function operatorNamespaceTemplate(): string {
  return onlyIf(
    '.Values.operatorNamespace.manage',
    templateOf((t) => [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: t.raw('.Release.Namespace'),
          annotations: { 'helm.sh/resource-policy': 'keep' },
          labels: t.yaml(
            'merge (dict) (include "aurum.podSecurityLabels" .Values.operatorNamespace.podSecurity | fromYaml) (include "aurum.labels" . | fromYaml)',
          ),
        },
      },
    ]),
  );
}
