/**
 * The Service exposing a platform's WireGuard sidecar to investors (pure). NodePort by default,
 * LoadBalancer optional. externalTrafficPolicy Local: kube-proxy then neither SNATs nor forwards to another
 * node, so the NetworkPolicy's VPN source CIDRs see the investor's real address.
 */
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import type { KubeObject } from '../kube/resources.ts';
import { accessSettings } from './access-settings.ts';
import { childLabels, selectorLabels } from './names.ts';
import { WIREGUARD_PORT_NAME } from './sidecar.ts';

/** Name of a platform's WireGuard Service. */
export const wireguardServiceName = (platform: string): string => `${platform}-wireguard`;

export function renderWireGuardService(tp: TradingPlatform, config: OperatorConfig): KubeObject {
  const s = accessSettings(config);
  const name = tp.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: wireguardServiceName(name),
      namespace: tp.metadata.namespace,
      labels: childLabels(name, tp.spec.investor, config.extraLabels),
      ...(tp.metadata.uid
        ? {
            ownerReferences: [
              {
                apiVersion: 'aurum.dev/v1alpha1',
                kind: 'TradingPlatform',
                name,
                uid: tp.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      type: s.serviceType,
      externalTrafficPolicy: 'Local',
      selector: selectorLabels(name),
      ports: [
        { name: WIREGUARD_PORT_NAME, port: s.servicePort, targetPort: WIREGUARD_PORT_NAME, protocol: 'UDP' },
      ],
    },
  } as KubeObject;
}

/**
 * `host:port` investors dial, from the observed Service and the node running the pod; undefined until known.
 * LoadBalancer: its first ingress address and the Service port. NodePort: `hostOverride` or the node's
 * address, and the allocated node port.
 */
export function wireguardEndpoint(
  service:
    | {
        spec?: { type?: string; ports?: { nodePort?: number; port?: number }[] };
        status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
      }
    | undefined,
  nodeAddress: string | undefined,
  hostOverride?: string,
): string | undefined {
  const port = service?.spec?.ports?.[0];
  if (!port) return undefined;
  if (service?.spec?.type === 'LoadBalancer') {
    const ing = service.status?.loadBalancer?.ingress?.[0];
    const host = hostOverride ?? ing?.ip ?? ing?.hostname;
    return host && port.port ? `${host}:${port.port}` : undefined;
  }
  const host = hostOverride ?? nodeAddress;
  return host && port.nodePort ? `${host}:${port.nodePort}` : undefined;
}
