/** Wires the TradingPlatform controller into a Manager. */
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { OperatorConfig } from '../../config.ts';
import { type Clock, systemClock } from '../../kube/clock.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { type Manager, ownerByLabel } from '../../kube/manager.ts';
import { type KubeObject, RESOURCES } from '../../kube/resources.ts';
import {
  instanceSelector,
  MANAGED_SELECTOR,
  PLATFORM_LABEL,
  RUNTIME_POD_SELECTOR,
} from '../../render/names.ts';
import { DependencyChecker } from './dependencies.ts';
import { TradingPlatformReconciler } from './reconciler.ts';

export interface RegisterOptions {
  config: OperatorConfig;
  events: EventRecorder;
  clock?: Clock;
  /** Operator instance (see INSTANCE_LABEL). Default none: platforms without the label. */
  instance?: string;
  /** Parallel reconciles. Default 8. */
  workers?: number;
}

export function registerTradingPlatformController(mgr: Manager, o: RegisterOptions) {
  const clock = o.clock ?? systemClock;
  // Every kind renderPlatform produces (runtime-identity.ts adds ServiceAccount/Role/RoleBinding): with a cache
  // per kind, a pass compares against memory and costs no request when nothing changed.
  const owned = [
    RESOURCES.ConfigMap,
    RESOURCES.Service,
    RESOURCES.StatefulSet,
    RESOURCES.ServiceAccount,
    RESOURCES.Role,
    RESOURCES.RoleBinding,
  ];
  const children = Object.fromEntries(owned.map((r) => [r.kind, mgr.informer(r, MANAGED_SELECTOR)]));
  // Only this controller reads these kinds' bodies, so a verified body can go (see Informer.verify). The Service
  // cache is shared with the access controller, which reads only the `-wireguard` Services; this controller
  // verifies only the runtime Services, so those are the only bodies released. Deletes are mapped to their
  // platform by PLATFORM_LABEL alone, by every controller watching these kinds.
  for (const kind of ['ConfigMap', 'Service', 'StatefulSet', 'ServiceAccount', 'Role', 'RoleBinding']) {
    const informer = children[kind];
    if (!informer) continue;
    informer.releaseVerifiedBodies = true;
    informer.releasedLabels = [PLATFORM_LABEL];
  }
  const pods = mgr.informer(RESOURCES.Pod, RUNTIME_POD_SELECTOR);
  const forSelector = instanceSelector(o.instance);
  const platforms = mgr.informer<TradingPlatform & KubeObject>(RESOURCES.TradingPlatform, forSelector);
  const reconciler = new TradingPlatformReconciler({
    client: mgr.client,
    config: o.config,
    caches: { platforms, children, pods },
    dependencies: new DependencyChecker(mgr.client, clock),
    events: o.events,
    clock,
  });
  return mgr.addController({
    name: 'tradingplatform',
    for: RESOURCES.TradingPlatform,
    forSelector,
    watches: [
      ...owned.map((resource) => ({
        resource,
        labelSelector: MANAGED_SELECTOR,
        map: ownerByLabel(PLATFORM_LABEL),
      })),
      { resource: RESOURCES.Pod, labelSelector: RUNTIME_POD_SELECTOR, map: ownerByLabel(PLATFORM_LABEL) },
    ],
    reconciler,
    workers: o.workers ?? 8,
  });
}
