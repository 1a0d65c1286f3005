/**
 * NetworkPolicySpec → native NetworkPolicy objects (pure: no clock, no client, no environment).
 *
 * For every TradingPlatform two policies select its pods (label {@link PLATFORM_LABEL}):
 * - `<platform>-deny`: default deny of ingress AND egress, rendered whether or not any NetworkPolicySpec
 *   governs the platform (fail closed: an ungoverned platform is isolated, not open);
 * - `<platform>-allow`: the holes, only when at least one NetworkPolicySpec governs it.
 *
 * Combination rule (several specs governing one platform): NetworkPolicies only ever add holes, so the
 * result is the UNION of the governing specs' holes: a destination allowed by any of them is allowed;
 * `allowDNS` / `allowApiServer` are true when any governing spec says so; VPN source CIDRs are the union.
 * Rules are emitted in the order of the specs' names, then their list order, with exact duplicates removed,
 * so the same inputs always give byte-identical objects (no spurious updates).
 */
import type { V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';
import { selectorMatches } from './networkpolicy-selector.ts';

/** A NetworkPolicy port as sent to the API server. */
export interface V1NetworkPolicyPort {
  port: number;
  protocol: string;
}
/** A NetworkPolicy peer as sent to the API server. */
export interface V1NetworkPolicyPeer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: V1LabelSelector;
  podSelector?: V1LabelSelector;
}
/** An egress rule (wire form). */
export interface V1NetworkPolicyEgressRule {
  to: V1NetworkPolicyPeer[];
  ports: V1NetworkPolicyPort[];
}
/** An ingress rule (wire form: `from`, which client-node's model calls `_from`). */
export interface V1NetworkPolicyIngressRule {
  from: V1NetworkPolicyPeer[];
  ports: V1NetworkPolicyPort[];
}
/** A networking.k8s.io/v1 NetworkPolicy in wire form. */
export interface V1NetworkPolicy {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: V1ObjectMeta;
  spec: {
    podSelector: V1LabelSelector;
    policyTypes: Array<'Ingress' | 'Egress'>;
    ingress?: V1NetworkPolicyIngressRule[];
    egress?: V1NetworkPolicyEgressRule[];
  };
}

/** Label every pod of a platform carries (set by the StatefulSet's pod template): the platform name. */
export const PLATFORM_LABEL = 'aurum.dev/platform';
/** Label on every object this renderer produces, so stale ones can be found and pruned. */
export const FIREWALL_MANAGED_LABEL = 'aurum.dev/firewall';

/** One destination port. */
export interface PortSpec {
  port: number;
  /** Default `TCP`. */
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** One allowed egress destination: a CIDR, or pod/namespace selectors. */
export interface EgressSpec {
  cidr?: string;
  namespaceSelector?: V1LabelSelector;
  podSelector?: V1LabelSelector;
  ports: PortSpec[];
}

/** The parts of a NetworkPolicySpec this renderer reads (defaults already applied by the API schema). */
export interface FirewallSpec {
  name: string;
  platformSelector?: V1LabelSelector;
  counterEgress?: EgressSpec[];
  /** Default true. */
  allowDNS?: boolean;
  /** Default true: the runtime and sidecar watch their Secrets and the runtime patches its profile. */
  allowApiServer?: boolean;
  extraEgress?: EgressSpec[];
  vpnIngress?: { sourceCidrs?: string[] };
}

/** A platform as the firewall sees it. */
export interface FirewallPlatform {
  name: string;
  namespace: string;
  uid?: string;
  labels?: Record<string, string>;
}

/** An address:port observed in the cluster (an EndpointSlice entry). */
export interface ObservedEndpoint {
  ip: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/** Facts about the cluster the policies need (observed by the controller, never read here). */
export interface ClusterFacts {
  /** CoreDNS endpoints as the cluster runs them (pods or a host process); empty = selector + port 53 only. */
  dnsEndpoints: ObservedEndpoint[];
  /** Endpoints of `default/kubernetes` (the API server as pods reach it after DNAT). */
  apiServerEndpoints: ObservedEndpoint[];
  /** Container port of the WireGuard sidecar (UDP). Default 51820. */
  wireguardPort?: number;
}

/** Names of the two policies of a platform. */
export const denyPolicyName = (platform: string): string => `${platform}-deny`;
export const allowPolicyName = (platform: string): string => `${platform}-allow`;

/** The specs governing a platform, sorted by name (the combination order). */
export function governingSpecs(platform: FirewallPlatform, specs: readonly FirewallSpec[]): FirewallSpec[] {
  return specs
    .filter((s) => selectorMatches(s.platformSelector ?? {}, platform.labels ?? {}))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function metadata(platform: FirewallPlatform, name: string): V1NetworkPolicy['metadata'] {
  return {
    name,
    namespace: platform.namespace,
    labels: {
      'app.kubernetes.io/managed-by': 'aurum-operator',
      [PLATFORM_LABEL]: platform.name,
      [FIREWALL_MANAGED_LABEL]: 'true',
    },
    ...(platform.uid
      ? {
          ownerReferences: [
            {
              apiVersion: 'aurum.dev/v1alpha1',
              kind: 'TradingPlatform',
              name: platform.name,
              uid: platform.uid,
              controller: false,
              blockOwnerDeletion: false,
            },
          ],
        }
      : {}),
  };
}

const podsOf = (platform: string): V1LabelSelector => ({ matchLabels: { [PLATFORM_LABEL]: platform } });

/** Default deny of ingress and egress for every pod of the platform. */
export function renderDenyPolicy(platform: FirewallPlatform): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(platform, denyPolicyName(platform.name)),
    // No `ingress`/`egress` lists: with both policy types listed that already denies everything, and the API
    // server drops empty lists, so rendering them would make the stored policy differ from the desired one forever.
    spec: { podSelector: podsOf(platform.name), policyTypes: ['Ingress', 'Egress'] },
  };
}

const toPorts = (ports: readonly PortSpec[]): V1NetworkPolicyPort[] =>
  ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));

function egressRule(e: EgressSpec): V1NetworkPolicyEgressRule {
  const peer: V1NetworkPolicyPeer = e.cidr
    ? { ipBlock: { cidr: e.cidr } }
    : {
        ...(e.namespaceSelector ? { namespaceSelector: e.namespaceSelector } : {}),
        ...(e.podSelector ? { podSelector: e.podSelector } : {}),
      };
  return { to: [peer], ports: toPorts(e.ports) };
}

const hostCidr = (ip: string): string => (ip.includes(':') ? `${ip}/128` : `${ip}/32`);

function uniquePorts(endpoints: readonly ObservedEndpoint[], fallback: PortSpec[]): V1NetworkPolicyPort[] {
  const seen = new Map<string, V1NetworkPolicyPort>();
  for (const e of endpoints)
    seen.set(`${e.protocol ?? 'TCP'}/${e.port}`, { port: e.port, protocol: e.protocol ?? 'TCP' });
  const list = seen.size ? [...seen.values()] : toPorts(fallback);
  return list.sort((a, b) => `${a.protocol}/${a.port}`.localeCompare(`${b.protocol}/${b.port}`));
}

function uniqueIps(endpoints: readonly ObservedEndpoint[]): string[] {
  return [...new Set(endpoints.map((e) => e.ip))].sort();
}

/**
 * DNS egress: to the CoreDNS pods by their conventional labels AND to every observed endpoint address
 * (covers CoreDNS run as a host process, where no pod selector can match). Policies see the post-DNAT
 * destination, so the ports are the endpoints' ports, not the Service's.
 */
function dnsRule(facts: ClusterFacts): V1NetworkPolicyEgressRule {
  const selector: V1NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  };
  const ports = uniquePorts(facts.dnsEndpoints, [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ]);
  // A TCP fallback for the same port when only UDP was observed: large answers switch to TCP.
  for (const p of [...ports]) {
    if (p.protocol === 'UDP' && !ports.some((q) => q.protocol === 'TCP' && q.port === p.port)) {
      ports.push({ port: p.port, protocol: 'TCP' });
    }
  }
  const to = [selector, ...uniqueIps(facts.dnsEndpoints).map((ip) => ({ ipBlock: { cidr: hostCidr(ip) } }))];
  return { to, ports };
}

function apiServerRule(facts: ClusterFacts): V1NetworkPolicyEgressRule | undefined {
  if (!facts.apiServerEndpoints.length) return undefined;
  return {
    to: uniqueIps(facts.apiServerEndpoints).map((ip) => ({ ipBlock: { cidr: hostCidr(ip) } })),
    ports: uniquePorts(facts.apiServerEndpoints, []),
  };
}

function dedupe<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = JSON.stringify(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The holes for a platform given its governing specs (at least one), combined as documented above. */
export function renderAllowPolicy(
  platform: FirewallPlatform,
  governing: readonly FirewallSpec[],
  facts: ClusterFacts,
): V1NetworkPolicy {
  const egress: V1NetworkPolicyEgressRule[] = [];
  if (governing.some((s) => s.allowDNS ?? true)) egress.push(dnsRule(facts));
  if (governing.some((s) => s.allowApiServer ?? true)) {
    const api = apiServerRule(facts);
    if (api) egress.push(api);
  }
  for (const s of governing) for (const e of s.counterEgress ?? []) egress.push(egressRule(e));
  for (const s of governing) for (const e of s.extraEgress ?? []) egress.push(egressRule(e));
  const sources = [...new Set(governing.flatMap((s) => s.vpnIngress?.sourceCidrs ?? ['0.0.0.0/0']))].sort();
  const ingress: V1NetworkPolicyIngressRule[] = sources.length
    ? [
        {
          from: sources.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ port: facts.wireguardPort ?? 51820, protocol: 'UDP' }],
        },
      ]
    : [];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(platform, allowPolicyName(platform.name)),
    spec: {
      podSelector: podsOf(platform.name),
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress: dedupe(egress),
    },
  };
}

/** Every policy for one platform: always the deny, plus the holes when governed. */
export function renderPlatformPolicies(
  platform: FirewallPlatform,
  specs: readonly FirewallSpec[],
  facts: ClusterFacts,
): { policies: V1NetworkPolicy[]; governedBy: string[] } {
  const governing = governingSpecs(platform, specs);
  const policies = [renderDenyPolicy(platform)];
  if (governing.length) policies.push(renderAllowPolicy(platform, governing, facts));
  return { policies, governedBy: governing.map((s) => s.name) };
}
