/**
 * The investor side of an installation: the namespace TradingPlatforms live in, and a default
 * NetworkPolicySpec so a fresh install is usable (platforms governed by none are still default-deny).
 *
 * The NetworkPolicySpec is a `post-install` hook, for two reasons: Helm builds every manifest of a release
 * before it creates any, so a custom resource cannot sit beside the CRD templates that define its kind on the
 * first install; and the spec belongs to the network admins once it exists — a later `helm upgrade` must not
 * overwrite their edits (hooks are created once and are not part of the release's managed objects).
 * Helm deletes and recreates a hook object on the next install; so that a re-install after an uninstall keeps
 * the admins' spec too, the template renders nothing when the object already exists (`lookup`; `helm template`
 * and GitOps renderers, which cannot look, always render it).
 */
import type { z } from 'zod';
import { API_VERSION } from '../../operator/api/common.ts';
import type { NetworkPolicySpecSpec } from '../../operator/api/networkpolicyspec.ts';
import { onlyIf } from '../templating.ts';
import { templateOf } from './yaml.ts';

/** Labels on everything the chart renders (helpers in _helpers.tpl). */
export const LABELS_EXPR = 'include "aurum.labels" . | fromYaml';

/** templates/investor-namespace.yaml */
export function investorNamespaceTemplate(): string {
  return onlyIf(
    '.Values.investorNamespace.create',
    templateOf((t) => [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: t.str('.Values.investorNamespace.name'),
          // Deleting it would delete every investor's platform and journal: uninstall leaves it.
          annotations: { 'helm.sh/resource-policy': 'keep' },
          labels: t.yaml(
            'merge (dict) .Values.investorNamespace.labels (include "aurum.labels" . | fromYaml)',
          ),
        },
      },
    ]),
  );
}

/** templates/networkpolicyspec.yaml */
export function defaultNetworkPolicySpecTemplate(): string {
  const crd = 'lookup "apiextensions.k8s.io/v1" "CustomResourceDefinition" "" "networkpolicyspecs.aurum.dev"';
  const existing = `lookup "${API_VERSION}" "NetworkPolicySpec" .Values.investorNamespace.name .Values.networkPolicySpec.name`;
  return onlyIf(
    `and .Values.networkPolicySpec.create (or (not (${crd})) (not (${existing})))`,
    templateOf((t) => {
      const spec: z.input<typeof NetworkPolicySpecSpec> = {
        platformSelector: {},
        counterEgress: t.yaml('include "aurum.counterEgress" . | fromYamlArray'),
        allowDNS: t.raw<boolean>('.Values.networkPolicySpec.allowDNS'),
        extraEgress: t.yaml('.Values.networkPolicySpec.extraEgress'),
        vpnIngress: { sourceCidrs: t.yaml('.Values.networkPolicySpec.vpnSourceCidrs') },
      };
      return [
        {
          apiVersion: API_VERSION,
          kind: 'NetworkPolicySpec',
          metadata: {
            name: t.str('.Values.networkPolicySpec.name'),
            namespace: t.str('.Values.investorNamespace.name'),
            labels: t.yaml(LABELS_EXPR),
            annotations: { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '0' },
          },
          spec,
        },
      ];
    }),
  );
}
