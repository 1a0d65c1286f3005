/**
 * Wires the investor-access controller into a Manager. Its key is the TradingPlatform: InvestorAccess
 * events map to their platform, and so do the platform's runtime pod (sidecar state, node address) and
 * WireGuard Service (node port / load balancer address).
 */
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { OperatorConfig } from '../../config.ts';
import { type Clock, systemClock } from '../../kube/clock.ts';
import { type Manager, ownerByLabel } from '../../kube/manager.ts';
import { type KubeObject, RESOURCES } from '../../kube/resources.ts';
import { MANAGED_SELECTOR, PLATFORM_LABEL, RUNTIME_POD_SELECTOR } from '../../render/names.ts';
import { PasswordPool, realGenerators } from './credentials.ts';
import { type InvestorAccessObject, InvestorAccessReconciler } from './reconciler.ts';

export interface RegisterAccessOptions {
  config: OperatorConfig;
  clock?: Clock;
  /** Default 4. */
  workers?: number;
}

export function registerInvestorAccessController(mgr: Manager, o: RegisterAccessOptions) {
  const caches = {
    platforms: mgr.informer<TradingPlatform & KubeObject>(RESOURCES.TradingPlatform),
    accesses: mgr.informer<InvestorAccessObject>(RESOURCES.InvestorAccess),
    pods: mgr.informer(RESOURCES.Pod, RUNTIME_POD_SELECTOR),
    services: mgr.informer(RESOURCES.Service, MANAGED_SELECTOR),
  };
  const toPlatform = (obj: KubeObject) => {
    const ref = (obj as InvestorAccessObject).spec?.platformRef?.name;
    return ref && obj.metadata.namespace ? [`${obj.metadata.namespace}/${ref}`] : [];
  };
  return mgr.addController({
    name: 'investoraccess',
    for: RESOURCES.TradingPlatform,
    watches: [
      { resource: RESOURCES.InvestorAccess, map: toPlatform },
      { resource: RESOURCES.Pod, labelSelector: RUNTIME_POD_SELECTOR, map: ownerByLabel(PLATFORM_LABEL) },
      { resource: RESOURCES.Service, labelSelector: MANAGED_SELECTOR, map: ownerByLabel(PLATFORM_LABEL) },
    ],
    reconciler: new InvestorAccessReconciler({
      client: mgr.client,
      config: o.config,
      caches,
      clock: o.clock ?? systemClock,
      // Two passwords hashed ahead of time: a new access never waits for scrypt.
      passwordPool: new PasswordPool(realGenerators, 2),
    }),
    workers: o.workers ?? 4,
  });
}
