/**
 * The runtime pod's identity (pure): a ServiceAccount per platform, a Role that allows exactly
 *   - get + watch of its own users and peers Secrets (live revocation: runtime and WireGuard sidecar), and
 *   - get + patch of its own TradingPlatform (a trader's profile switch),
 * and — shipped once with the operator — a ValidatingAdmissionPolicy that lets such an identity change
 * nothing of a TradingPlatform except `spec.runtime.profile`. RBAC cannot express "only this field", so the
 * API server's CEL admission does it: every other spec field (and runtime sub-field), labels, annotations,
 * finalizers and owner references must be unchanged. The compared field list is generated from the zod
 * schema, so a field added to the API later is protected without touching this file.
 */
import { type TradingPlatform, TradingPlatformSpec } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import type { KubeObject } from '../kube/resources.ts';
import { peersSecretName } from './access-config.ts';
import { childLabels } from './names.ts';

/** The runtime's identity. */
export interface RuntimeIdentity {
  /** undefined: the namespace's `default` ServiceAccount. */
  serviceAccountName?: string;
  automountServiceAccountToken: boolean;
  /** ServiceAccount, Role, RoleBinding, ... to apply alongside the platform's other children. */
  objects: KubeObject[];
}

/** Prefix of every runtime ServiceAccount; the admission policy recognises runtime identities by it. */
export const RUNTIME_SA_PREFIX = 'aurum-runtime-';
/** Name of the ServiceAccount (and Role, RoleBinding) of one platform. */
export const runtimeIdentityName = (platform: string): string => `${RUNTIME_SA_PREFIX}${platform}`;
/** Name of the cluster-wide admission policy and its binding. */
export const PROFILE_ONLY_POLICY = 'aurum-runtime-profile-only';

/** ServiceAccount + Role + RoleBinding for one platform. */
export function renderRuntimeIdentity(tp: TradingPlatform, config: OperatorConfig): RuntimeIdentity {
  const name = tp.metadata.name;
  const namespace = tp.metadata.namespace;
  const id = runtimeIdentityName(name);
  const labels = childLabels(name, tp.spec.investor, config.extraLabels);
  const meta = { name: id, namespace, labels };
  return {
    serviceAccountName: id,
    automountServiceAccountToken: true,
    objects: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: true },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta,
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: [`${name}-users`, peersSecretName(name)],
            verbs: ['get', 'watch'],
          },
          {
            apiGroups: ['aurum.dev'],
            resources: ['tradingplatforms'],
            resourceNames: [name],
            verbs: ['get', 'patch'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: id },
        subjects: [{ kind: 'ServiceAccount', name: id, namespace }],
      },
    ] as KubeObject[],
  };
}

/** CEL: field `f` of `a` and `b` is equally present and, if present, equal. */
function same(path: string, f: string): string {
  return `(has(object.${path}.${f}) == has(oldObject.${path}.${f})) && (!has(object.${path}.${f}) || object.${path}.${f} == oldObject.${path}.${f})`;
}

/** The CEL validations of the profile-only policy (exported for tests and docs). */
export function profileOnlyValidations(): { expression: string; message: string; reason: string }[] {
  const specKeys = Object.keys(TradingPlatformSpec.shape)
    .filter((k) => k !== 'runtime')
    .sort();
  const runtimeShape = (
    TradingPlatformSpec.shape.runtime as unknown as { unwrap(): { shape: Record<string, unknown> } }
  ).unwrap().shape;
  const runtimeKeys = Object.keys(runtimeShape)
    .filter((k) => k !== 'profile')
    .sort();
  const v = (expression: string, message: string) => ({ expression, message, reason: 'Forbidden' });
  return [
    ...specKeys.map((k) =>
      v(same('spec', k), `a runtime identity may change only spec.runtime.profile, not spec.${k}`),
    ),
    v(
      '(has(object.spec.runtime) == has(oldObject.spec.runtime))',
      'a runtime identity may change only spec.runtime.profile, not spec.runtime',
    ),
    ...runtimeKeys.map((k) =>
      v(
        `!has(object.spec.runtime) || (${same('spec.runtime', k)})`,
        `a runtime identity may change only spec.runtime.profile, not spec.runtime.${k}`,
      ),
    ),
    ...['labels', 'annotations', 'finalizers', 'ownerReferences'].map((k) =>
      v(same('metadata', k), `a runtime identity may not change metadata.${k}`),
    ),
  ];
}

/**
 * The ValidatingAdmissionPolicy + binding (cluster-scoped; shipped with the operator's deploy manifests).
 * Matches UPDATEs of TradingPlatforms by any ServiceAccount named `aurum-runtime-*`.
 */
export function renderRuntimeAdmissionPolicy(): KubeObject[] {
  const labels = { 'app.kubernetes.io/part-of': 'aurum', 'app.kubernetes.io/managed-by': 'aurum-operator' };
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: PROFILE_ONLY_POLICY, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['aurum.dev'],
              apiVersions: ['*'],
              operations: ['UPDATE'],
              resources: ['tradingplatforms', 'tradingplatforms/status'],
            },
          ],
        },
        matchConditions: [
          {
            name: 'runtime-identity',
            expression: `request.userInfo.username.startsWith('system:serviceaccount:' + request.namespace + ':${RUNTIME_SA_PREFIX}')`,
          },
        ],
        validations: [
          {
            expression: `request.userInfo.username == 'system:serviceaccount:' + request.namespace + ':${RUNTIME_SA_PREFIX}' + object.metadata.name`,
            message: 'a runtime identity may change only its own TradingPlatform',
            reason: 'Forbidden',
          },
          {
            expression: "!has(request.subResource) || request.subResource != 'status'",
            message: 'a runtime identity may not write status',
            reason: 'Forbidden',
          },
          ...profileOnlyValidations(),
        ],
      },
    } as KubeObject,
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: PROFILE_ONLY_POLICY, labels },
      spec: { policyName: PROFILE_ONLY_POLICY, validationActions: ['Deny'] },
    } as KubeObject,
  ];
}
