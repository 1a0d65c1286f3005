/**
 * The WireGuard sidecar's share of the runtime pod (pure), composed by statefulset.ts into the pod
 * template: the `wireguard` container, a one-shot `tun-device` init container, their volumes.
 *
 * Capabilities: the long-running sidecar has exactly NET_ADMIN (tunnel interface, `wg`, iptables in the
 * pod's own network namespace) and is never privileged. containerd's device cgroup allows /dev/net/tun
 * but does not create the node, so a separate init container with only MKNOD creates it in a small
 * emptyDir that the sidecar mounts at /dev/net; the sidecar itself never holds MKNOD.
 */
import type { V1Container, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import { parsePool, serverAddress } from './access-address.ts';
import { peersSecretName, serverKeySecretName } from './access-config.ts';
import { accessSettings } from './access-settings.ts';

/** What the seam adds to the runtime pod. */
export interface PodExtensions {
  /** Init containers run before the runtime (statefulset.ts composes them into the pod spec). */
  initContainers: V1Container[];
  containers: V1Container[];
  volumes: V1Volume[];
  /** Mounts added to the runtime container. */
  runtimeVolumeMounts: V1VolumeMount[];
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
}

/** Name of the sidecar container. */
export const SIDECAR_CONTAINER = 'wireguard';
/** Name of the init container creating /dev/net/tun. */
export const TUN_INIT_CONTAINER = 'tun-device';
/** Tunnel interface inside the pod. */
export const TUNNEL_INTERFACE = 'wg0';
/** Named port of the WireGuard listener (the Service targets it). */
export const WIREGUARD_PORT_NAME = 'wireguard';

const rootNoPrivileges = (caps: string[]) => ({
  runAsUser: 0,
  runAsGroup: 0,
  runAsNonRoot: false,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'], add: caps },
});

/** Extra pod content for one platform: nothing when access is disabled in the operator configuration. */
export function renderSidecars(tp: TradingPlatform, config: OperatorConfig): PodExtensions {
  const s = accessSettings(config);
  const none: PodExtensions = {
    initContainers: [],
    containers: [],
    volumes: [],
    runtimeVolumeMounts: [],
    podLabels: {},
    podAnnotations: {},
  };
  if (!s.enabled) return none;
  const name = tp.metadata.name;
  const address = serverAddress(parsePool(s.tunnelPool));
  const tunInit: V1Container = {
    name: TUN_INIT_CONTAINER,
    image: s.sidecarImage,
    imagePullPolicy: config.imagePullPolicy,
    command: ['sh', '-c', 'test -c /dev-net/tun || mknod -m 0600 /dev-net/tun c 10 200'],
    securityContext: rootNoPrivileges(['MKNOD']),
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
    volumeMounts: [{ name: 'wireguard-tun', mountPath: '/dev-net' }],
  } as V1Container;
  const sidecar: V1Container = {
    name: SIDECAR_CONTAINER,
    image: s.sidecarImage,
    imagePullPolicy: config.imagePullPolicy,
    env: [
      { name: 'AURUM_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'AURUM_PEERS_SECRET', value: peersSecretName(name) },
      { name: 'WG_INTERFACE', value: TUNNEL_INTERFACE },
      { name: 'WG_ADDRESS', value: address },
      { name: 'WG_LISTEN_PORT', value: String(s.listenPort) },
      { name: 'WG_ALLOWED_PORTS', value: String(config.runtimePort) },
      { name: 'WG_PRIVATE_KEY_FILE', value: '/etc/aurum/wireguard/privateKey' },
    ],
    ports: [{ name: WIREGUARD_PORT_NAME, containerPort: s.listenPort, protocol: 'UDP' }],
    securityContext: rootNoPrivileges(['NET_ADMIN']),
    resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { cpu: '250m', memory: '160Mi' } },
    // Ready once the interface exists and listens (wireguard-go's socket or the kernel device).
    readinessProbe: {
      exec: { command: ['wg', 'show', TUNNEL_INTERFACE, 'listen-port'] },
      periodSeconds: 5,
      timeoutSeconds: 2,
    },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [
      { name: 'wireguard-key', mountPath: '/etc/aurum/wireguard', readOnly: true },
      { name: 'wireguard-run', mountPath: '/run' },
      { name: 'wireguard-tun', mountPath: '/dev/net' },
    ],
  } as V1Container;
  return {
    initContainers: [tunInit],
    containers: [sidecar],
    volumes: [
      {
        name: 'wireguard-key',
        secret: {
          secretName: serverKeySecretName(name),
          items: [{ key: 'privateKey', path: 'privateKey' }],
          defaultMode: 0o400,
        },
      },
      { name: 'wireguard-run', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
      { name: 'wireguard-tun', emptyDir: { sizeLimit: '1Mi' } },
    ] as V1Volume[],
    runtimeVolumeMounts: [],
    podLabels: {},
    podAnnotations: {},
  };
}
