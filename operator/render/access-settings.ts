/**
 * Investor-access settings of the operator configuration (key `access` of the operator's JSON file).
 * Every field has a default, so no configuration at all gives a working VPN on a NodePort.
 */
import { z } from 'zod';
import type { OperatorConfig } from '../config.ts';
import { DEFAULT_TUNNEL_POOL } from './access-address.ts';

export const AccessSettingsSchema = z.object({
  /** false: no sidecar, no VPN Service (platforms reachable by nobody). Default true. */
  enabled: z.boolean().default(true),
  /** Sidecar image. Default `docker.io/aurum/sidecar:0.1.0`. */
  sidecarImage: z.string().min(1).default('docker.io/aurum/sidecar:0.1.0'),
  /** UDP port the sidecar listens on inside the pod. Default 51820. */
  listenPort: z.int().min(1).max(65535).default(51820),
  /** `NodePort` (default) or `LoadBalancer`. */
  serviceType: z.enum(['NodePort', 'LoadBalancer']).default('NodePort'),
  /** Service port (the LoadBalancer's port). Default 51820. */
  servicePort: z.int().min(1).max(65535).default(51820),
  /** Tunnel address pool of each platform (every pod has its own tunnel). Default 10.77.0.0/24. */
  tunnelPool: z.string().default(DEFAULT_TUNNEL_POOL),
  /** Most live peers per platform. Default 16. */
  peerLimit: z.int().min(1).max(4096).default(16),
  /**
   * Address investors dial for a NodePort Service; default: the node's InternalIP/ExternalIP where the pod
   * runs (externalTrafficPolicy Local keeps their source address, which the firewall checks).
   */
  endpointHost: z.string().optional(),
});
export type AccessSettings = z.output<typeof AccessSettingsSchema>;

/** The access settings of an operator configuration (`config.access`; defaults when absent). */
export function accessSettings(config: OperatorConfig): AccessSettings {
  return AccessSettingsSchema.parse((config as { access?: unknown }).access ?? {});
}
