/**
 * Cluster facts the firewall needs, read from EndpointSlices (pure): where CoreDNS really answers (a pod or
 * a host process, and on which port after the Service's DNAT) and where the API server is.
 */
import { registerResource } from '../../kube/resources.ts';
import type { ClusterFacts, ObservedEndpoint } from '../../render/networkpolicy.ts';

/** discovery.k8s.io/v1 EndpointSlice, registered for the informer. */
export const ENDPOINT_SLICE = registerResource({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
});

/** Label selector of the two Services whose endpoints matter. */
export const FACTS_SELECTOR = 'kubernetes.io/service-name in (kube-dns,kubernetes)';

/** The parts of an EndpointSlice read here. */
export interface EndpointSliceView {
  metadata: { namespace?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
  ports?: { port?: number; protocol?: string }[];
}

function endpointsOf(
  slices: readonly EndpointSliceView[],
  namespace: string,
  service: string,
): ObservedEndpoint[] {
  const out: ObservedEndpoint[] = [];
  for (const s of slices) {
    if (s.metadata.namespace !== namespace || s.metadata.labels?.['kubernetes.io/service-name'] !== service)
      continue;
    if (s.addressType && s.addressType !== 'IPv4') continue;
    for (const e of s.endpoints ?? []) {
      // Not-ready endpoints are included: a CoreDNS restart must not flap every platform's firewall.
      for (const ip of e.addresses ?? []) {
        for (const p of s.ports ?? []) {
          if (p.port) out.push({ ip, port: p.port, protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP' });
        }
      }
    }
  }
  return out.sort((a, b) =>
    `${a.ip}/${a.port}/${a.protocol}`.localeCompare(`${b.ip}/${b.port}/${b.protocol}`),
  );
}

/** Facts from the current EndpointSlices of kube-system/kube-dns and default/kubernetes. */
export function clusterFacts(slices: readonly EndpointSliceView[], wireguardPort?: number): ClusterFacts {
  return {
    dnsEndpoints: endpointsOf(slices, 'kube-system', 'kube-dns'),
    apiServerEndpoints: endpointsOf(slices, 'default', 'kubernetes'),
    ...(wireguardPort ? { wireguardPort } : {}),
  };
}
