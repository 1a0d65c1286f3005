/**
 * TradingPlatform + operator configuration → every desired child object (pure: no clock, env or client).
 * The same function feeds the reconciler, snapshot tests and, later, the Helm chart's examples.
 */
import type { ResourceRequirements } from '../api/common.ts';
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import { desiredHash, stableStringify } from '../kube/compare.ts';
import type { KubeObject, OwnerReference } from '../kube/resources.ts';
import { childLabels, runtimeConfigName } from './names.ts';
import { resolveResources } from './resources.ts';
import { CONFIG_FILE_KEY, renderRuntimeConfig } from './runtime-config.ts';
import { renderRuntimeIdentity } from './runtime-identity.ts';
import { renderService } from './service.ts';
import { renderSidecars } from './sidecar.ts';
import { renderStatefulSet } from './statefulset.ts';

/** What {@link renderPlatform} produces. */
export type RenderedPlatform =
  | {
      ok: true;
      profile: string;
      resources: ResourceRequirements;
      image: string;
      /** In apply order: identity objects, ConfigMap, Service, StatefulSet. */
      objects: KubeObject[];
    }
  | { ok: false; reason: string; message: string };

/** The controller owner reference to the platform. */
export function ownerReference(tp: TradingPlatform): OwnerReference {
  return {
    apiVersion: tp.apiVersion,
    kind: tp.kind,
    name: tp.metadata.name,
    uid: tp.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function renderPlatform(tp: TradingPlatform, config: OperatorConfig): RenderedPlatform {
  const res = resolveResources(tp.spec, config);
  if (!res.ok) return { ok: false, reason: res.reason, message: res.message };
  const runtimeConfig = renderRuntimeConfig(tp, config);
  const configText = `${JSON.stringify(JSON.parse(stableStringify(runtimeConfig)), null, 2)}\n`;
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: runtimeConfigName(tp.metadata.name),
      namespace: tp.metadata.namespace,
      labels: childLabels(tp.metadata.name, tp.spec.investor, config.extraLabels),
    },
    data: { [CONFIG_FILE_KEY]: configText },
  };
  const identity = renderRuntimeIdentity(tp, config);
  const sts = renderStatefulSet({
    tp,
    config,
    resources: res.resources,
    configHash: desiredHash(configText),
    extensions: renderSidecars(tp, config),
    identity,
  });
  const owner = ownerReference(tp);
  const own = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, namespace: tp.metadata.namespace, ownerReferences: [owner] },
  });
  return {
    ok: true,
    profile: res.profile,
    resources: res.resources,
    image: tp.spec.runtime.image ?? config.defaultImage,
    objects: [...identity.objects, configMap, renderService(tp, config), sts].map(own),
  };
}
