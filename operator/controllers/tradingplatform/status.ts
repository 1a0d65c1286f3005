/**
 * The TradingPlatform's status, rebuilt from the observed world on every pass (pure).
 *
 * Conditions written by this controller:
 * - `RuntimeReady`: the runtime container is started and running;
 * - `CounterConnected`: the runtime container is ready — its readiness probe is the runtime's /readyz, which
 *   answers 200 only while the FIX session with the counter is logged on;
 * - `Ready` (+ `Reconciling` / `Stalled`, kstatus): everything rendered, dependencies present, the runtime
 *   connected (or, when paused, the runtime stopped);
 * - `StrategiesFit=False`, only while the enabled strategies cannot all get a heap within the runtime's memory
 *   limit (the runtime then refuses to start the ones beyond it).
 */
import type { ResourceRequirements } from '../../api/common.ts';
import type { Phase, TradingPlatform, TradingPlatformStatus } from '../../api/tradingplatform.ts';
import {
  type ConditionInput,
  kstatusConditions,
  mergeConditions,
  type Readiness,
} from '../../kube/conditions.ts';
import { RUNTIME_CONTAINER } from '../../render/names.ts';

/** Condition types this controller owns (others, e.g. AccessReady, belong to other controllers). */
export const OWNED_CONDITIONS = [
  'Ready',
  'Reconciling',
  'Stalled',
  'RuntimeReady',
  'CounterConnected',
  'StrategiesFit',
];

/** The parts of a Pod the status needs. */
export interface PodView {
  metadata: { name: string; uid?: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec?: { containers?: Array<{ name: string; image?: string; resources?: ResourceRequirements }> };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    containerStatuses?: Array<{
      name: string;
      image?: string;
      started?: boolean;
      ready?: boolean;
      restartCount?: number;
      state?: {
        running?: unknown;
        waiting?: { reason?: string; message?: string };
        terminated?: { reason?: string };
      };
      resources?: ResourceRequirements;
    }>;
  };
}

/** Everything a pass observed. */
export interface Observation {
  tp: TradingPlatform;
  /** Failure to render (unknown profile), if any. */
  renderError?: { reason: string; message: string };
  /**
   * Why the enabled strategies do not all fit the runtime's memory limit (operator/render/strategy-memory.ts),
   * if they do not: the runtime runs, but refuses to start the strategies beyond its room.
   */
  strategiesMemory?: string;
  profile?: string;
  image?: string;
  desiredResources?: ResourceRequirements;
  /** Missing dependencies, e.g. `{kind: 'Secret', name: 'alice-counter', field: 'spec.counter.credentialsSecretRef'}`. */
  missing: Array<{ kind: 'Secret' | 'ConfigMap'; name: string; field: string }>;
  pod?: PodView;
  /** The pod runs an outdated template or resources and is being restarted/resized. */
  rolling: boolean;
  resizeMethod?: 'InPlace' | 'RollingRestart';
}

const STUCK_WAITING = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

/** Computes conditions + phase (without times). */
export function assess(o: Observation): { conditions: ConditionInput[]; phase: Phase } {
  const paused = o.tp.spec.paused;
  const cs = o.pod?.status?.containerStatuses?.find((c) => c.name === RUNTIME_CONTAINER);
  // The runtime container's own readiness (its /readyz), not the pod's: a sidecar must not be mistaken for
  // the counter session.
  const podReady = cs?.ready === true;
  const running = !!cs?.started && !!cs.state?.running;
  const waiting = cs?.state?.waiting;

  let runtime: ConditionInput;
  let counter: ConditionInput;
  if (paused) {
    runtime = { type: 'RuntimeReady', status: 'False', reason: 'Paused', message: 'spec.paused is true' };
    counter = { type: 'CounterConnected', status: 'False', reason: 'Paused', message: 'spec.paused is true' };
  } else if (!o.pod) {
    runtime = {
      type: 'RuntimeReady',
      status: 'False',
      reason: 'PodPending',
      message: 'the runtime pod does not exist yet',
    };
    counter = {
      type: 'CounterConnected',
      status: 'Unknown',
      reason: 'PodPending',
      message: 'no runtime yet',
    };
  } else {
    runtime = running
      ? {
          type: 'RuntimeReady',
          status: 'True',
          reason: 'Running',
          message: `pod ${o.pod.metadata.name} is running`,
        }
      : {
          type: 'RuntimeReady',
          status: 'False',
          reason: waiting?.reason ?? 'Starting',
          message: waiting?.message ?? `pod ${o.pod.metadata.name} is ${o.pod.status?.phase ?? 'starting'}`,
        };
    counter = podReady
      ? {
          type: 'CounterConnected',
          status: 'True',
          reason: 'Connected',
          message: 'the runtime reports its counter session logged on (/readyz)',
        }
      : {
          type: 'CounterConnected',
          status: running ? 'False' : 'Unknown',
          reason: running ? 'NotConnected' : 'RuntimeNotRunning',
          message: running
            ? 'the runtime /readyz does not report a counter session'
            : 'waiting for the runtime',
        };
  }

  let r: Readiness;
  let phase: Phase;
  if (o.renderError) {
    r = { ready: false, progressing: false, stalled: true, ...o.renderError };
    phase = 'Failed';
  } else if (o.missing.length) {
    const m = o.missing
      .map((d) => `${d.kind} ${o.tp.metadata.namespace}/${d.name} (${d.field}) not found`)
      .join('; ');
    r = {
      ready: false,
      progressing: false,
      stalled: true,
      reason: `${o.missing[0]!.kind}Missing`,
      message: m,
    };
    phase = 'Pending';
  } else if (paused) {
    r = o.pod
      ? {
          ready: false,
          progressing: true,
          stalled: false,
          reason: 'Stopping',
          message: 'stopping the runtime',
        }
      : {
          ready: true,
          progressing: false,
          stalled: false,
          reason: 'Paused',
          message: 'paused: runtime stopped, journal volume kept',
        };
    phase = 'Paused';
  } else if (waiting?.reason && STUCK_WAITING.has(waiting.reason)) {
    r = {
      ready: false,
      progressing: false,
      stalled: true,
      reason: waiting.reason,
      message: waiting.message ?? waiting.reason,
    };
    phase = 'Failed';
  } else if (o.rolling) {
    r = {
      ready: false,
      progressing: true,
      stalled: false,
      reason: 'Updating',
      message: 'applying a new runtime template',
    };
    phase = 'Provisioning';
  } else if (!running) {
    r = {
      ready: false,
      progressing: true,
      stalled: false,
      reason: runtime.reason,
      message: runtime.message ?? '',
    };
    phase = 'Provisioning';
  } else if (!podReady) {
    r = {
      ready: false,
      progressing: true,
      stalled: false,
      reason: 'CounterNotConnected',
      message: counter.message ?? '',
    };
    phase = 'Degraded';
  } else {
    r = {
      ready: true,
      progressing: false,
      stalled: false,
      reason: 'Ready',
      message: 'the runtime is running and connected to its counter',
    };
    phase = 'Ready';
  }
  // The access controller reports a WireGuard sidecar that cannot start its tunnel (AccessReady/SidecarFailed):
  // the platform is then Degraded with the sidecar's own words, whatever the runtime container says.
  const sidecar = o.tp.status?.conditions?.find((c) => c.type === 'AccessReady');
  if (!paused && phase !== 'Failed' && sidecar?.status === 'False' && sidecar.reason === 'SidecarFailed') {
    r = {
      ready: false,
      progressing: false,
      stalled: false,
      reason: 'SidecarFailed',
      message: sidecar.message ?? '',
    };
    phase = 'Degraded';
  }
  // Present only while the strategies do not fit: the platform runs, and the admin learns it here at apply time.
  const fit: ConditionInput[] = o.strategiesMemory
    ? [{ type: 'StrategiesFit', status: 'False', reason: 'MemoryLimit', message: o.strategiesMemory }]
    : [];
  return { conditions: [...kstatusConditions(r), runtime, counter, ...fit], phase };
}

/** The status this controller writes (only fields it owns). */
export function buildStatus(o: Observation, now: Date): TradingPlatformStatus {
  const { conditions, phase } = assess(o);
  const previous = o.tp.status?.conditions?.filter((c) => OWNED_CONDITIONS.includes(c.type));
  const generation = o.tp.metadata.generation ?? 0;
  const cs = o.pod?.status?.containerStatuses?.find((c) => c.name === RUNTIME_CONTAINER);
  const specContainer = o.pod?.spec?.containers?.find((c) => c.name === RUNTIME_CONTAINER);
  const runtime: NonNullable<TradingPlatformStatus['runtime']> = {};
  if (o.pod) {
    runtime.pod = o.pod.metadata.name;
    if (o.pod.metadata.uid) runtime.podUID = o.pod.metadata.uid;
  }
  const image = specContainer?.image ?? o.image;
  if (image) runtime.image = image;
  if (o.profile) runtime.profile = o.profile;
  const resources = cs?.resources ?? specContainer?.resources ?? o.desiredResources;
  if (resources && Object.keys(resources).length) runtime.resources = pickResources(resources);
  if (o.resizeMethod) runtime.resizeMethod = o.resizeMethod;
  return {
    observedGeneration: generation,
    phase,
    conditions: mergeConditions(previous, conditions, generation, now),
    runtime,
  };
}

function pickResources(r: ResourceRequirements): ResourceRequirements {
  const out: ResourceRequirements = {};
  if (r.requests) out.requests = { ...r.requests };
  if (r.limits) out.limits = { ...r.limits };
  return out;
}
