/**
 * Pure Kubernetes manifests the cluster installs after the API server is up: RBAC for the host-process
 * components, CoreDNS (Deployment + the cluster DNS Service), and rancher's local-path-provisioner as the
 * default StorageClass (its upstream manifest, patched to use local images and paths).
 */
import { parseAllDocuments } from 'yaml';
import { ADDON_IMAGES, NET } from '../config.ts';
import { USERS } from '../pki/specs.ts';

type Obj = Record<string, unknown>;

/** ClusterRoleBindings and ClusterRoles for the components that authenticate with certificates. */
export function rbacManifests(): Obj[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'aurum:apiserver-kubelet' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:kubelet-api-admin',
      },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USERS.apiserverKubelet }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'aurum:kube-router' },
      rules: [
        {
          apiGroups: [''],
          resources: ['namespaces', 'pods', 'services', 'nodes', 'endpoints'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'aurum:kube-router' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aurum:kube-router' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USERS.kubeRouter }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'aurum:kube-proxy' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USERS.kubeProxy }],
    },
  ];
}

/** CoreDNS Corefile: cluster zone only; no `forward`, because nothing outside the machine is reachable. */
export function renderCorefile(): string {
  return `.:1053 {
    errors
    health :8080
    ready :8181
    kubernetes ${NET.clusterDomain} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    cache 30
    loop
    reload
    loadbalance
}
`;
}

/** CoreDNS as a Deployment in kube-system behind the `kube-dns` Service at the cluster DNS address. */
export function corednsManifests(): Obj[] {
  const ns = 'kube-system';
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        {
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: ns }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: ns },
      data: { Corefile: renderCorefile() },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns',
            priorityClassName: 'system-cluster-critical',
            dnsPolicy: 'Default',
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
            containers: [
              {
                name: 'coredns',
                image: ADDON_IMAGES.coredns,
                imagePullPolicy: 'IfNotPresent',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 1053, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 1053, protocol: 'TCP' },
                ],
                resources: { requests: { cpu: '50m', memory: '40Mi' }, limits: { memory: '170Mi' } },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
                livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 30 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: ns, labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        selector: labels,
        clusterIP: NET.dnsServiceIp,
        ports: [
          { name: 'dns', port: 53, targetPort: 1053, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 1053, protocol: 'TCP' },
        ],
      },
    },
  ];
}

/**
 * Patches rancher's own deploy/local-path-storage.yaml: local images, the volume directory, and the
 * StorageClass marked default. The helper pod (mkdir/rm of volume directories) runs a static busybox.
 */
export function patchLocalPathManifest(upstreamYaml: string, volumeDir: string): Obj[] {
  const docs = parseAllDocuments(upstreamYaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null);
  for (const d of docs) {
    const kind = d.kind as string;
    if (kind === 'Deployment') {
      const spec = (d.spec as Obj).template as Obj;
      const podSpec = spec.spec as { containers: Obj[] };
      for (const c of podSpec.containers) {
        c.image = ADDON_IMAGES.localPath;
        c.imagePullPolicy = 'IfNotPresent';
        c.command = ['/local-path-provisioner', ...((c.command as string[]).slice(1) ?? [])];
      }
    } else if (kind === 'StorageClass') {
      const meta = d.metadata as Obj;
      meta.annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    } else if (kind === 'ConfigMap') {
      const data = d.data as Record<string, string>;
      data['config.json'] = JSON.stringify({
        nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [volumeDir] }],
      });
      data['helperPod.yaml'] = (data['helperPod.yaml'] ?? '').replace(
        /image: busybox\b.*/,
        `image: ${ADDON_IMAGES.helper}`,
      );
    }
  }
  return docs;
}
