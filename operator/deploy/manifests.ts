/**
 * Deploy manifests of the operator, as pure builders (a Helm chart can render the same objects):
 * namespace, ServiceAccount, least-privilege ClusterRole + binding, the leader-election Role, the
 * configuration ConfigMap, the Deployment (2 replicas, leader election) and a metrics Service.
 *   node operator/deploy/manifests.ts [--stub-runtime]   prints them as YAML (CRDs not included: crds/)
 */
import { stringify } from 'yaml';
import type { OperatorConfig } from '../config.ts';
import { desiredHash } from '../kube/compare.ts';

/** Options of {@link operatorManifests}. */
export interface DeployOptions {
  /** Default `aurum-system`. */
  namespace?: string;
  /** Default `docker.io/aurum/operator:0.1.0`. */
  image?: string;
  /** Default 2. */
  replicas?: number;
  /** Written to the ConfigMap `aurum-operator-config` as operator.json. Default `{}` (all defaults). */
  config?: Partial<OperatorConfig>;
  /** Default `info`. */
  logLevel?: string;
  /** Extra environment variables of the operator container. */
  env?: Record<string, string>;
}

const NAME = 'aurum-operator';
const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'aurum' };

/** The RBAC rules: exactly what the TradingPlatform controller and the runtime seams use. */
export const OPERATOR_RULES = [
  {
    apiGroups: ['aurum.dev'],
    resources: ['tradingplatforms', 'networkpolicyspecs', 'investoraccesses'],
    verbs: ['get', 'list', 'watch', 'patch', 'update'],
  },
  {
    apiGroups: ['aurum.dev'],
    resources: ['tradingplatforms/status', 'networkpolicyspecs/status', 'investoraccesses/status'],
    verbs: ['get', 'patch', 'update'],
  },
  {
    apiGroups: ['aurum.dev'],
    resources: [
      'tradingplatforms/finalizers',
      'networkpolicyspecs/finalizers',
      'investoraccesses/finalizers',
    ],
    verbs: ['update'],
  },
  {
    apiGroups: ['apps'],
    resources: ['statefulsets'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  {
    apiGroups: [''],
    resources: ['services', 'configmaps', 'serviceaccounts'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  // Secrets: metadata checks of referenced credentials and the access controller's generated Secrets.
  {
    apiGroups: [''],
    resources: ['secrets'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['pods/resize'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'delete'] },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['networkpolicies'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles', 'rolebindings'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
  // The firewall controller reads the cluster DNS / API server addresses from their EndpointSlices.
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
];

export function operatorManifests(o: DeployOptions = {}): object[] {
  const ns = o.namespace ?? 'aurum-system';
  const env = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'LOG_LEVEL', value: o.logLevel ?? 'info' },
    ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
  ];
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace: ns, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: NAME, labels },
      rules: OPERATOR_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${NAME}-leader-election`, namespace: ns, labels },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${NAME}-leader-election`, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${NAME}-leader-election` },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${NAME}-config`, namespace: ns, labels },
      data: { 'operator.json': `${JSON.stringify(o.config ?? {}, null, 2)}\n` },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: {
          // The operator reads its configuration at start: a changed configuration rolls the replicas.
          metadata: { labels, annotations: { 'aurum.dev/config-hash': desiredHash(o.config ?? {}) } },
          spec: {
            serviceAccountName: NAME,
            terminationGracePeriodSeconds: 20,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'operator',
                image: o.image ?? 'docker.io/aurum/operator:0.1.0',
                imagePullPolicy: 'IfNotPresent',
                env: [...env, { name: 'AURUM_OPERATOR_CONFIG', value: '/etc/aurum/operator.json' }],
                ports: [{ name: 'metrics', containerPort: 8081 }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 5 },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 'metrics' },
                  periodSeconds: 20,
                  failureThreshold: 3,
                  initialDelaySeconds: 20,
                },
                resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '384Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'config', mountPath: '/etc/aurum', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `${NAME}-config` } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${NAME}-metrics`, namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'metrics', port: 8081, targetPort: 'metrics' }] },
    },
  ];
}

/** Operator configuration that runs the stub runtime from the operator image (until the runtime image exists). */
export const STUB_RUNTIME_CONFIG: Partial<OperatorConfig> = {
  defaultImage: 'docker.io/aurum/operator:0.1.0',
  // The TradingPlatform tests run without the investor-access sidecar (it needs the access controllers' Secrets).
  access: { enabled: false },
  runtimeCommand: ['node', '/app/operator/stub-runtime.ts'],
};

/** Multi-document YAML of the manifests. */
export function toYaml(objects: object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

if (import.meta.main) {
  const stub = process.argv.includes('--stub-runtime');
  // Installing without Helm: the operator plus the admission policy that confines every runtime identity to
  // switching its own profile (the chart ships the same objects from the same builder).
  const { renderRuntimeAdmissionPolicy } = await import('../render/runtime-identity.ts');
  process.stdout.write(
    toYaml([
      ...operatorManifests(stub ? { config: STUB_RUNTIME_CONFIG } : {}),
      ...renderRuntimeAdmissionPolicy(),
    ]),
  );
}
