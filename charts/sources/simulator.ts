/**
 * The counter simulator (optional, `simulator.enabled`), from `simulator/deploy/manifests.ts`: Secret with the
 * seeded accounts' passwords, ConfigMap with the simulator configuration, Service `counter` (FIX 9878, admin
 * 8081) and a one-replica StatefulSet. The builder iterates over accounts, which are values here, so the chart
 * renders it with no accounts and fills them in with two helpers (the same env-name and config shapes).
 */
import { parse, stringify } from 'yaml';
import { FIX_PORT, simulatorManifests } from '../../simulator/deploy/manifests.ts';
import { onlyIf } from '../templating.ts';
import { templateOf } from './yaml.ts';

type Obj = { kind: string; metadata: Record<string, unknown>; spec?: any; data?: any; stringData?: unknown };

/** FIX port of the simulator Service (the default firewall's hole to it uses this). */
export const SIMULATOR_FIX_PORT = FIX_PORT;

/** Helpers the simulator template uses (appended to _helpers.tpl). */
export function simulatorHelpers(): string {
  return `{{/* Seeded accounts for simulator.yaml (simulator/deploy/manifests.ts shape), as JSON. */}}
{{- define "aurum.simulatorAccounts" -}}
{{- $out := list -}}
{{- range .Values.simulator.accounts -}}
{{- $out = append $out (dict "id" .id "compId" (.compId | default "") "fundCny" (.fundCny | default "1000000" | toString)) -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{/* The accounts' passwords as SIM_PASSWORD_<ID> entries (simulator/deploy passwordEnvName). */}}
{{- define "aurum.simulatorPasswords" -}}
{{- $out := dict -}}
{{- range .Values.simulator.accounts -}}
{{- $_ := set $out (printf "SIM_PASSWORD_%s" (regexReplaceAll "[^A-Z0-9]" (upper .id) "_")) .password -}}
{{- end -}}
{{- toYaml $out -}}
{{- end }}
`;
}

/** templates/simulator.yaml */
export function simulatorTemplate(): string {
  return onlyIf(
    '.Values.simulator.enabled',
    templateOf((t) => {
      const objects = simulatorManifests({
        namespace: t.raw('.Release.Namespace'),
        image: t.str('.Values.simulator.image'),
        alwaysOpen: t.raw<boolean>('.Values.simulator.alwaysOpen'),
        seed: t.raw<number>('.Values.simulator.seed'),
        storageSize: t.str('.Values.simulator.storageSize'),
        logLevel: t.str('.Values.simulator.logLevel'),
        accounts: [],
      }) as Obj[];
      for (const o of objects) {
        const own = Object.entries((o.metadata.labels ?? {}) as Record<string, string>)
          .map(([k, v]) => `${JSON.stringify(k)} ${JSON.stringify(v)}`)
          .join(' ');
        o.metadata.labels = t.yaml(`merge (dict) (include "aurum.labels" . | fromYaml) (dict ${own})`);
        if (o.kind === 'Secret') o.stringData = t.yaml('include "aurum.simulatorPasswords" . | fromYaml');
        if (o.kind === 'ConfigMap') {
          const config = parse(o.data['simulator.yaml'] as string) as Record<string, unknown>;
          config.accounts = t.raw('include "aurum.simulatorAccounts" .');
          o.data['simulator.yaml'] = stringify(config, { lineWidth: 0 });
        }
        if (o.kind === 'StatefulSet') {
          const c = o.spec.template.spec.containers[0];
          c.imagePullPolicy = t.str('.Values.simulator.imagePullPolicy');
          c.resources = t.yaml('.Values.simulator.resources');
          // Accounts or passwords changed: restart the simulator so it seeds them.
          o.spec.template.metadata.annotations = {
            'aurum.dev/accounts-hash': t.str('include "aurum.simulatorPasswords" . | sha256sum | trunc 16'),
          };
        }
      }
      return objects;
    }),
  );
}
