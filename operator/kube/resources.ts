/**
 * Where each kind lives in the API (group, version, plural) and how to build its REST paths.
 * Register a new kind with {@link registerResource} (the CRD kinds are pre-registered).
 */
import { API_VERSION, GROUP, VERSION } from '../api/common.ts';

/** A namespaced or cluster-scoped API resource. */
export interface ResourceType {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const table = new Map<string, ResourceType>();

/** Adds a kind to the table (idempotent). */
export function registerResource(r: ResourceType): ResourceType {
  table.set(`${r.apiVersion}/${r.kind}`, r);
  return r;
}

const core = (kind: string, plural: string, namespaced = true) =>
  registerResource({ apiVersion: 'v1', kind, plural, namespaced });

export const RESOURCES = {
  Pod: core('Pod', 'pods'),
  Service: core('Service', 'services'),
  ConfigMap: core('ConfigMap', 'configmaps'),
  Secret: core('Secret', 'secrets'),
  ServiceAccount: core('ServiceAccount', 'serviceaccounts'),
  PersistentVolumeClaim: core('PersistentVolumeClaim', 'persistentvolumeclaims'),
  Namespace: core('Namespace', 'namespaces', false),
  Event: registerResource({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
  }),
  StatefulSet: registerResource({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
  }),
  Deployment: registerResource({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  }),
  Lease: registerResource({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
  }),
  Role: registerResource({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
  }),
  RoleBinding: registerResource({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  }),
  NetworkPolicy: registerResource({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  }),
  CustomResourceDefinition: registerResource({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  }),
  TradingPlatform: registerResource({
    apiVersion: API_VERSION,
    kind: 'TradingPlatform',
    plural: 'tradingplatforms',
    namespaced: true,
  }),
  NetworkPolicySpec: registerResource({
    apiVersion: API_VERSION,
    kind: 'NetworkPolicySpec',
    plural: 'networkpolicyspecs',
    namespaced: true,
  }),
  InvestorAccess: registerResource({
    apiVersion: API_VERSION,
    kind: 'InvestorAccess',
    plural: 'investoraccesses',
    namespaced: true,
  }),
} as const;

/** Looks a kind up; throws for unknown kinds so a typo fails loudly. */
export function resourceFor(apiVersion: string, kind: string): ResourceType {
  const r = table.get(`${apiVersion}/${kind}`);
  if (!r) throw new Error(`unknown resource ${apiVersion}/${kind}: registerResource() it first`);
  return r;
}

/** Options for {@link resourcePath}. */
export interface PathOptions {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** REST path such as `/apis/apps/v1/namespaces/ns/statefulsets/x/scale`. */
export function resourcePath(r: ResourceType, o: PathOptions = {}): string {
  const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
  let p = base;
  if (r.namespaced && o.namespace) p += `/namespaces/${encodeURIComponent(o.namespace)}`;
  p += `/${r.plural}`;
  if (o.name) p += `/${encodeURIComponent(o.name)}`;
  if (o.subresource) p += `/${o.subresource}`;
  return p;
}

/** The minimal shape of any Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
    deletionTimestamp?: string;
    creationTimestamp?: string;
    managedFields?: unknown[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** metav1.OwnerReference. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** REST path of an object. */
export function objectPath(obj: KubeObject, subresource?: string): string {
  return resourcePath(resourceFor(obj.apiVersion, obj.kind), {
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    subresource,
  });
}

/** `namespace/name` (or `name` for cluster-scoped objects): the work-queue key. */
export function objectKey(obj: { metadata: { name: string; namespace?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

/** Inverse of {@link objectKey}. */
export function parseKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export { GROUP, VERSION };
