/**
 * The operator's objects, from `operator/deploy/manifests.ts` (the same builder `kubectl apply` installs
 * use) with Helm expressions for what values configure. The release namespace itself is
 * {@link operatorNamespaceTemplate}; the builder's Namespace is dropped because Helm cannot create the
 * namespace it stores its release in.
 */
import type { OperatorConfig } from '../../operator/config.ts';
import { operatorManifests } from '../../operator/deploy/manifests.ts';
import { onlyIf } from '../templating.ts';
import { templateOf } from './yaml.ts';

type Obj = { kind: string; metadata: Record<string, unknown>; spec?: Record<string, unknown> };

/** Where each operator configuration field (operator/config.ts) comes from in the values. */
const CONFIG_FROM_VALUES: { [K in keyof OperatorConfig]?: { values: string; omitEmpty?: boolean } } = {
  defaultImage: { values: '.Values.runtime.image' },
  imagePullPolicy: { values: '.Values.runtime.imagePullPolicy' },
  defaultProfile: { values: '.Values.runtime.defaultProfile' },
  profiles: { values: '.Values.runtime.profiles' },
  retainVolumesOnDelete: { values: '.Values.runtime.retainVolumesOnDelete' },
  runtimeCommand: { values: '.Values.runtime.command', omitEmpty: true },
};

/**
 * `aurum.operatorConfig`: the operator configuration file (operator.json) as one line of JSON, built from the
 * values. `access` is read by operator/render/access-settings.ts from the same file.
 */
export function operatorConfigHelper(): string {
  const lines = Object.entries(CONFIG_FROM_VALUES).map(([key, m]) =>
    m.omitEmpty
      ? `{{- with ${m.values} }}{{ $_ := set $c ${JSON.stringify(key)} . }}{{ end -}}`
      : `{{- $_ := set $c ${JSON.stringify(key)} ${m.values} -}}`,
  );
  return `{{/* The operator configuration (operator.json) from the values; see charts/sources/operator.ts. */}}
{{- define "aurum.operatorConfig" -}}
{{- $c := dict -}}
${lines.join('\n')}
{{- $_ := set $c "access" (include "aurum.accessConfig" . | fromJson) -}}
{{- toJson $c -}}
{{- end }}
`;
}

/** templates/operator.yaml: ServiceAccount, RBAC, leader-election Role, config, Deployment, metrics Service. */
export function operatorTemplate(): string {
  return templateOf((t) => {
    const objects = operatorManifests({
      namespace: t.raw('.Release.Namespace'),
      image: t.str('.Values.operator.image'),
      replicas: t.raw<number>('.Values.operator.replicas'),
      logLevel: t.str('.Values.operator.logLevel'),
      config: t.raw<Partial<OperatorConfig>>('include "aurum.operatorConfig" .'),
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
