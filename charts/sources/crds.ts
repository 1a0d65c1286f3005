/**
 * The CRDs as chart *templates* (not the chart's `crds/` directory). Helm installs `crds/` once and then never
 * upgrades or deletes it, so a schema change in a new chart version would silently not reach the cluster; as
 * templates the CRDs upgrade with every `helm upgrade`. `helm.sh/resource-policy: keep` (values `crds.keep`,
 * default true) stops `helm uninstall` from deleting them, which would delete every TradingPlatform and with
 * it every investor's runtime. GitOps setups that manage CRDs themselves set `crds.install=false`.
 */
import { buildCrd } from '../../operator/api/crd.ts';
import { KINDS } from '../../operator/api/kinds.ts';
import { onlyIf } from '../templating.ts';
import { templateOf } from './yaml.ts';

/** File name (under templates/) → template text, one per kind. */
export function crdTemplates(): Map<string, string> {
  const files = new Map<string, string>();
  for (const def of KINDS) {
    const text = templateOf((t) => {
      const crd = buildCrd(def) as { metadata: Record<string, unknown> };
      crd.metadata.annotations = t.yaml(
        '.Values.crds.keep | ternary (dict "helm.sh/resource-policy" "keep") (dict)',
      );
      return [crd];
    });
    files.set(`crds/${def.plural}.yaml`, onlyIf('.Values.crds.install', text));
  }
  return files;
}
