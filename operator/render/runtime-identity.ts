/**
 * Extension seam owned by the access/firewall work: the runtime pod's ServiceAccount and its RBAC (for
 * example, permission to request a profile change of its own TradingPlatform and nothing else).
 * The TradingPlatform reconciler applies `objects` (owner-referenced to the platform) and sets
 * `serviceAccountName` / `automountServiceAccountToken` on the pod. Must stay pure.
 * Default: no identity at all (no token in the pod).
 */
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import type { KubeObject } from '../kube/resources.ts';

/** The runtime's identity. */
export interface RuntimeIdentity {
  /** undefined: the namespace's `default` ServiceAccount. */
  serviceAccountName?: string;
  automountServiceAccountToken: boolean;
  /** ServiceAccount, Role, RoleBinding, ... to apply alongside the platform's other children. */
  objects: KubeObject[];
}

export function renderRuntimeIdentity(_tp: TradingPlatform, _config: OperatorConfig): RuntimeIdentity {
  return { automountServiceAccountToken: false, objects: [] };
}
