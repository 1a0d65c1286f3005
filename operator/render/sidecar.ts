/**
 * Extension seam of the runtime pod, owned by the access/firewall work: extra containers (the WireGuard
 * sidecar), extra volumes, extra mounts for the runtime container, and extra pod labels/annotations.
 * The TradingPlatform renderer (statefulset.ts) composes whatever this returns into the pod template.
 * Default: nothing extra. Must stay pure (no clock, env or client).
 */
import type { V1Container, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';

/** What the seam adds to the runtime pod. */
export interface PodExtensions {
  containers: V1Container[];
  volumes: V1Volume[];
  /** Mounts added to the runtime container. */
  runtimeVolumeMounts: V1VolumeMount[];
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
}

/** Extra pod content for one platform. */
export function renderSidecars(_tp: TradingPlatform, _config: OperatorConfig): PodExtensions {
  return { containers: [], volumes: [], runtimeVolumeMounts: [], podLabels: {}, podAnnotations: {} };
}
