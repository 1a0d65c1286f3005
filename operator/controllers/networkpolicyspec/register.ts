/**
 * Wires the firewall into a Manager: one controller per TradingPlatform (its NetworkPolicies and
 * `FirewallReady` condition), woken by NetworkPolicySpecs of its namespace, its own policies and the DNS /
 * API-server EndpointSlices; and one per NetworkPolicySpec (its status).
 */
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { OperatorConfig } from '../../config.ts';
import { type Clock, systemClock } from '../../kube/clock.ts';
import { type Manager, ownerByLabel } from '../../kube/manager.ts';
import { type KubeObject, objectKey, RESOURCES } from '../../kube/resources.ts';
import { FIREWALL_MANAGED_LABEL, PLATFORM_LABEL } from '../../render/networkpolicy.ts';
import { ENDPOINT_SLICE, FACTS_SELECTOR } from './facts.ts';
import {
  FirewallReconciler,
  type NetworkPolicySpecObject,
  NetworkPolicySpecStatusReconciler,
} from './reconciler.ts';

export interface RegisterFirewallOptions {
  config: OperatorConfig;
  clock?: Clock;
  /** Default 4. */
  workers?: number;
}

export function registerFirewallControllers(mgr: Manager, o: RegisterFirewallOptions) {
  const platforms = mgr.informer<TradingPlatform & KubeObject>(RESOURCES.TradingPlatform);
  const caches = {
    platforms,
    specs: mgr.informer<NetworkPolicySpecObject>(RESOURCES.NetworkPolicySpec),
    policies: mgr.informer(RESOURCES.NetworkPolicy, `${FIREWALL_MANAGED_LABEL}=true`),
    slices: mgr.informer(ENDPOINT_SLICE, FACTS_SELECTOR),
  };
  const deps = { client: mgr.client, config: o.config, caches, clock: o.clock ?? systemClock };
  const platformsIn = (obj: KubeObject) =>
    platforms
      .list()
      .filter((tp) => tp.metadata.namespace === obj.metadata.namespace)
      .map((tp) => objectKey(tp));
  const firewall = mgr.addController({
    name: 'firewall',
    for: RESOURCES.TradingPlatform,
    watches: [
      { resource: RESOURCES.NetworkPolicySpec, map: platformsIn },
      {
        resource: RESOURCES.NetworkPolicy,
        labelSelector: `${FIREWALL_MANAGED_LABEL}=true`,
        map: ownerByLabel(PLATFORM_LABEL),
      },
      {
        resource: ENDPOINT_SLICE,
        labelSelector: FACTS_SELECTOR,
        map: () => platforms.list().map((tp) => objectKey(tp)),
      },
    ],
    reconciler: new FirewallReconciler(deps),
    workers: o.workers ?? 4,
  });
  const specsIn = (obj: KubeObject) =>
    caches.specs
      .list()
      .filter((s) => s.metadata.namespace === obj.metadata.namespace)
      .map((s) => objectKey(s));
  const status = mgr.addController({
    name: 'networkpolicyspec-status',
    for: RESOURCES.NetworkPolicySpec,
    watches: [{ resource: RESOURCES.TradingPlatform, map: specsIn }],
    reconciler: new NetworkPolicySpecStatusReconciler(deps),
    workers: 1,
  });
  return { firewall, status };
}
