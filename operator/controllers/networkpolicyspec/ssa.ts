/**
 * Server-side apply under a field manager of our own. The TradingPlatform controller applies the platform's
 * status as `aurum-operator`; SSA removes fields a manager stops sending, so the access and firewall
 * controllers must apply their own condition entries / endpoint under different managers, or each side
 * would delete the other's fields on every pass. Conditions are a list-map keyed by type, so separate
 * managers own separate entries.
 */
import type { KubeClient } from '../../kube/client.ts';
import { type KubeObject, objectPath } from '../../kube/resources.ts';

/** Field manager of the firewall controller. */
export const FIREWALL_MANAGER = 'aurum-firewall';
/** Field manager of the investor-access controller. */
export const ACCESS_MANAGER = 'aurum-access';

/** Server-side apply of `obj` (or its `subresource`) as `manager`, taking over conflicting fields. */
export function applyAs<T extends KubeObject = KubeObject>(
  client: KubeClient,
  manager: string,
  obj: KubeObject,
  subresource?: string,
): Promise<T> {
  const path = `${objectPath(obj, subresource)}?fieldManager=${manager}&force=true`;
  return client.request<T>('PATCH', path, obj, 'application/apply-patch+yaml');
}
