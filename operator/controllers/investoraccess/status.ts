/**
 * Status of investor access (pure): each InvestorAccess's conditions from its planned outcome, and the
 * platform's `AccessReady` condition from the WireGuard sidecar's container status.
 */
import type { ConditionInput } from '../../kube/conditions.ts';
import type { AccessOutcome } from '../../render/access-plan.ts';
import { SIDECAR_CONTAINER, TUN_INIT_CONTAINER } from '../../render/sidecar.ts';

/** The condition this controller owns on TradingPlatforms. */
export const ACCESS_CONDITION = 'AccessReady';

/** Conditions of one InvestorAccess: Ready, plus Stalled when refused (a human must act). */
export function accessConditions(
  o: AccessOutcome | { state: 'Refused'; reason: string; message: string },
): ConditionInput[] {
  if (o.state === 'Active') return [{ type: 'Ready', status: 'True', reason: 'Active', message: o.message }];
  const ready: ConditionInput = { type: 'Ready', status: 'False', reason: o.reason, message: o.message };
  return o.state === 'Refused'
    ? [ready, { type: 'Stalled', status: 'True', reason: o.reason, message: o.message }]
    : [ready];
}

/** The parts of a pod read here. */
export interface SidecarPodView {
  status?: {
    phase?: string;
    hostIP?: string;
    containerStatuses?: ContainerStatusView[];
    initContainerStatuses?: ContainerStatusView[];
  };
}
interface TerminatedView {
  exitCode?: number;
  reason?: string;
  message?: string;
}
interface ContainerStatusView {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { running?: unknown; waiting?: { reason?: string; message?: string }; terminated?: TerminatedView };
  lastState?: { terminated?: TerminatedView };
}

const failure = (t: TerminatedView | undefined): string | undefined =>
  t && t.exitCode !== 0
    ? (t.message?.trim() || t.reason || `exit code ${t.exitCode}`).slice(0, 1000)
    : undefined;

/**
 * AccessReady from the sidecar: True once its tunnel is up (container ready); False with reason
 * SidecarFailed and the sidecar's own termination message when it cannot start its tunnel.
 */
export function accessReadyCondition(
  pod: SidecarPodView | undefined,
  endpoint: string | undefined,
): ConditionInput {
  const c = { type: ACCESS_CONDITION };
  if (!pod)
    return { ...c, status: 'False', reason: 'PodMissing', message: 'the runtime pod does not exist yet' };
  const init = pod.status?.initContainerStatuses?.find((s) => s.name === TUN_INIT_CONTAINER);
  const initFail = failure(init?.state?.terminated) ?? failure(init?.lastState?.terminated);
  if (initFail)
    return {
      ...c,
      status: 'False',
      reason: 'SidecarFailed',
      message: `cannot create /dev/net/tun: ${initFail}`,
    };
  const s = pod.status?.containerStatuses?.find((x) => x.name === SIDECAR_CONTAINER);
  if (!s)
    return {
      ...c,
      status: 'False',
      reason: 'SidecarStarting',
      message: 'the WireGuard sidecar has not started yet',
    };
  if (s.ready) {
    return endpoint
      ? { ...c, status: 'True', reason: 'TunnelUp', message: `WireGuard listening at ${endpoint}` }
      : {
          ...c,
          status: 'False',
          reason: 'EndpointPending',
          message: 'tunnel up; waiting for the Service address',
        };
  }
  const why = failure(s.state?.terminated) ?? failure(s.lastState?.terminated);
  if (why) return { ...c, status: 'False', reason: 'SidecarFailed', message: why };
  return {
    ...c,
    status: 'False',
    reason: 'SidecarStarting',
    message: s.state?.waiting?.reason ?? 'the WireGuard sidecar is starting',
  };
}
