/**
 * Deterministic names and labels of everything rendered for a TradingPlatform, so nothing can be created
 * twice and every child can be found from its platform (and back).
 */

/** Label carrying the owning TradingPlatform's name on every child (and the runtime pod). */
export const PLATFORM_LABEL = 'aurum.dev/platform';
/**
 * Label naming the operator instance responsible for a TradingPlatform ("controller class"). An operator
 * started with an instance name reconciles only platforms carrying that value; one without reconciles only
 * platforms without the label. Lets a benchmark or a canary operator share a cluster with the main one.
 */
export const INSTANCE_LABEL = 'aurum.dev/operator-instance';

/** Label selector of the platforms one operator instance is responsible for. */
export function instanceSelector(instance: string | undefined): string {
  return instance ? `${INSTANCE_LABEL}=${instance}` : `!${INSTANCE_LABEL}`;
}

/** Label carrying the investor. */
export const INVESTOR_LABEL = 'aurum.dev/investor';
/** `app.kubernetes.io/managed-by` value of everything the operator creates. */
export const MANAGED_BY = 'aurum-operator';
/** Label selector of all operator-managed objects (informers). */
export const MANAGED_SELECTOR = `app.kubernetes.io/managed-by=${MANAGED_BY}`;
/** Label selector of runtime pods. */
export const RUNTIME_POD_SELECTOR = `${PLATFORM_LABEL},app.kubernetes.io/component=runtime`;
/** Pod-template annotation: hash of everything in the pod except resources (a change needs a restart). */
export const POD_HASH_ANNOTATION = 'aurum.dev/pod-hash';

/** Name of the StatefulSet and Service. */
export const runtimeName = (platform: string): string => `${platform}-runtime`;
/** Name of the runtime pod (StatefulSet ordinal 0). */
export const runtimePodName = (platform: string): string => `${platform}-runtime-0`;
/** Name of the rendered runtime-configuration ConfigMap. */
export const runtimeConfigName = (platform: string): string => `${platform}-runtime-config`;
/** Name of the journal PVC the StatefulSet creates. */
export const journalClaimName = (platform: string): string => `journal-${platform}-runtime-0`;
/** The runtime container's name. */
export const RUNTIME_CONTAINER = 'runtime';

/** Labels selecting the runtime pod of one platform (StatefulSet selector and Service selector). */
export function selectorLabels(platform: string): Record<string, string> {
  return { [PLATFORM_LABEL]: platform, 'app.kubernetes.io/component': 'runtime' };
}

/** Labels of every child object. */
export function childLabels(
  platform: string,
  investor: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    'app.kubernetes.io/name': 'aurum-runtime',
    'app.kubernetes.io/instance': platform,
    'app.kubernetes.io/part-of': 'aurum',
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [INVESTOR_LABEL]: investor,
    ...selectorLabels(platform),
  };
}
