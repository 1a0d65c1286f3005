/**
 * The runtime StatefulSet of one platform (pure): one replica (0 when paused), a journal volume claim
 * template, the rendered config, the counter Secret and strategy ConfigMaps mounted read-only, and the
 * extension seams (sidecar.ts, runtime-identity.ts).
 *
 * Updates: `updateStrategy: OnDelete`, so a template change never makes the StatefulSet controller replace
 * the pod by itself. The reconciler decides: a change of resources only is applied in place through the pod
 * `resize` subresource (resizePolicy NotRequired: no container restart); any other change (image, config,
 * mounts — everything covered by the `aurum.dev/pod-hash` annotation) deletes the pod so it is recreated
 * from the new template (a rolling restart of one replica).
 */
import type { ResourceRequirements } from '../api/common.ts';
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import { desiredHash } from '../kube/compare.ts';
import type { KubeObject } from '../kube/resources.ts';
import {
  childLabels,
  POD_HASH_ANNOTATION,
  RUNTIME_CONTAINER,
  runtimeConfigName,
  runtimeName,
  selectorLabels,
} from './names.ts';
import {
  CONFIG_DIR,
  CONFIG_FILE_KEY,
  COUNTER_DIR,
  JOURNAL_DIR,
  STRATEGIES_DIR,
  USERS_DIR,
} from './runtime-config.ts';
import type { RuntimeIdentity } from './runtime-identity.ts';
import type { PodExtensions } from './sidecar.ts';

/** Inputs of {@link renderStatefulSet}. */
export interface StatefulSetInput {
  tp: TradingPlatform;
  config: OperatorConfig;
  resources: ResourceRequirements;
  /** Hash of the rendered runtime configuration (a change restarts the runtime so it reads the new file). */
  configHash: string;
  extensions: PodExtensions;
  identity: RuntimeIdentity;
}

export function renderStatefulSet(input: StatefulSetInput): KubeObject {
  const { tp, config, resources, extensions, identity } = input;
  const name = tp.metadata.name;
  const labels = childLabels(name, tp.spec.investor, config.extraLabels);
  const image = tp.spec.runtime.image ?? config.defaultImage;
  const strategyItems = tp.spec.strategies.map((s) => ({
    configMap: {
      name: s.source.configMapRef.name,
      items: [{ key: s.source.configMapRef.key, path: `${s.name}/${s.source.configMapRef.key}` }],
    },
  }));
  const volumes: unknown[] = [
    {
      name: 'config',
      configMap: { name: runtimeConfigName(name), items: [{ key: CONFIG_FILE_KEY, path: CONFIG_FILE_KEY }] },
    },
    {
      name: 'counter',
      secret: { secretName: tp.spec.counter.credentialsSecretRef.name, defaultMode: 0o440 },
    },
    { name: 'users', secret: { secretName: `${name}-users`, optional: true, defaultMode: 0o440 } },
    { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ...(strategyItems.length ? [{ name: 'strategies', projected: { sources: strategyItems } }] : []),
    ...extensions.volumes,
  ];
  const mounts: unknown[] = [
    {
      name: 'config',
      mountPath: CONFIG_DIR + '/' + CONFIG_FILE_KEY,
      subPath: CONFIG_FILE_KEY,
      readOnly: true,
    },
    { name: 'counter', mountPath: COUNTER_DIR, readOnly: true },
    { name: 'users', mountPath: USERS_DIR, readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'journal', mountPath: JOURNAL_DIR },
    ...(strategyItems.length ? [{ name: 'strategies', mountPath: STRATEGIES_DIR, readOnly: true }] : []),
    ...extensions.runtimeVolumeMounts,
  ];
  const runtime = {
    name: RUNTIME_CONTAINER,
    image,
    imagePullPolicy: config.imagePullPolicy,
    ...(config.runtimeCommand ? { command: config.runtimeCommand } : {}),
    env: [
      { name: 'AURUM_CONFIG', value: `${CONFIG_DIR}/${CONFIG_FILE_KEY}` },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ],
    ports: [{ name: 'http', containerPort: config.runtimePort, protocol: 'TCP' }],
    resizePolicy: [
      { resourceName: 'cpu', restartPolicy: 'NotRequired' },
      { resourceName: 'memory', restartPolicy: 'NotRequired' },
    ],
    // /readyz answers 200 only while the runtime is logged on to its counter (CounterConnected).
    readinessProbe: {
      httpGet: { path: '/readyz', port: 'http' },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 2,
    },
    livenessProbe: {
      tcpSocket: { port: 'http' },
      initialDelaySeconds: 10,
      periodSeconds: 20,
      failureThreshold: 3,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: mounts,
  };
  const podSpecWithoutResources = {
    serviceAccountName: identity.serviceAccountName,
    automountServiceAccountToken: identity.automountServiceAccountToken,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 30,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: config.runtimeUser,
      runAsGroup: config.runtimeUser,
      fsGroup: config.runtimeUser,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(extensions.initContainers?.length ? { initContainers: extensions.initContainers } : {}),
    containers: [runtime, ...extensions.containers],
    volumes,
  };
  const podLabels = { ...extensions.podLabels, ...labels };
  const podHash = desiredHash({
    spec: podSpecWithoutResources,
    labels: podLabels,
    config: input.configHash,
    ext: extensions.podAnnotations,
  });
  const storage = tp.spec.runtime.storage;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: runtimeName(name), namespace: tp.metadata.namespace, labels },
    spec: {
      replicas: tp.spec.paused ? 0 : 1,
      serviceName: runtimeName(name),
      selector: { matchLabels: selectorLabels(name) },
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'OnDelete' },
      persistentVolumeClaimRetentionPolicy: {
        whenScaled: 'Retain',
        whenDeleted: config.retainVolumesOnDelete ? 'Retain' : 'Delete',
      },
      template: {
        metadata: {
          labels: podLabels,
          annotations: { ...extensions.podAnnotations, [POD_HASH_ANNOTATION]: podHash },
        },
        spec: {
          ...podSpecWithoutResources,
          containers: [{ ...runtime, resources }, ...extensions.containers],
        },
      },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'journal', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: String(storage.size) } },
            ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
          },
        },
      ],
    },
  };
}

/** The pod-hash a StatefulSet's template carries (what a pod must match to need no restart). */
export function templatePodHash(sts: KubeObject | undefined): string | undefined {
  const spec = sts?.spec as
    | { template?: { metadata?: { annotations?: Record<string, string> } } }
    | undefined;
  return spec?.template?.metadata?.annotations?.[POD_HASH_ANNOTATION];
}
