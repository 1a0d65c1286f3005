/**
 * The sidecar's settings, from its environment (rendered by operator/render/sidecar.ts).
 */
import { z } from 'zod';

const ports = z
  .string()
  .regex(/^\d{1,5}(,\d{1,5})*$/)
  .transform((s) => s.split(',').map(Number));

/** Environment variables the sidecar reads, with their defaults. */
export const SidecarEnvSchema = z.object({
  /** Namespace of the platform (downward API). */
  AURUM_NAMESPACE: z.string().min(1).default('default'),
  /** Secret with `peers.json`, followed through the API. Either this or PEERS_FILE. */
  AURUM_PEERS_SECRET: z.string().optional(),
  /** A local `peers.json` to follow instead (tests, development). */
  AURUM_PEERS_FILE: z.string().optional(),
  WG_INTERFACE: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,14}$/)
    .default('wg0'),
  /** The sidecar's tunnel address with the pool's prefix. */
  WG_ADDRESS: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/)
    .default('10.77.0.1/24'),
  WG_LISTEN_PORT: z.coerce.number().int().min(1).max(65535).default(51820),
  WG_PRIVATE_KEY_FILE: z.string().default('/etc/aurum/wireguard/privateKey'),
  /** TCP ports investors may open through the tunnel: the runtime API and dashboard. */
  WG_ALLOWED_PORTS: ports.default([8080]),
  WG_MODE: z.enum(['auto', 'kernel', 'userspace']).default('auto'),
  /** Where the reason of a failed start is written for the kubelet (container status message). */
  TERMINATION_LOG: z.string().default('/dev/termination-log'),
});
export type SidecarEnv = z.infer<typeof SidecarEnvSchema>;

/** Parses the environment; throws listing every bad variable. */
export function loadSidecarEnv(env: NodeJS.ProcessEnv = process.env): SidecarEnv {
  const cfg = SidecarEnvSchema.parse(env);
  if (!cfg.AURUM_PEERS_SECRET === !cfg.AURUM_PEERS_FILE)
    throw new Error('set exactly one of AURUM_PEERS_SECRET or AURUM_PEERS_FILE');
  return cfg;
}
