/**
 * kstatus conditions. `Ready` is always present; `Reconciling` (work in progress) and `Stalled` (stuck, needs
 * a human) appear only while True, as kstatus prescribes ("abnormal-true" conditions are removed when False).
 * `lastTransitionTime` changes only when a condition's status changes, so rebuilding status from the world on
 * every pass writes nothing when nothing changed.
 */
import type { Condition } from '../api/common.ts';

export type { Condition };

/** A condition as computed by a reconciler (times are filled in by {@link mergeConditions}). */
export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
}

/**
 * Builds the new condition list from the desired ones, keeping `lastTransitionTime` of unchanged statuses.
 * Output is sorted by type so the same world always yields the same status.
 */
export function mergeConditions(
  previous: readonly Condition[] | undefined,
  desired: readonly ConditionInput[],
  generation: number,
  now: Date,
): Condition[] {
  const prev = new Map((previous ?? []).map((c) => [c.type, c]));
  return desired
    .map((d) => {
      const p = prev.get(d.type);
      const lastTransitionTime =
        p && p.status === d.status && p.lastTransitionTime ? p.lastTransitionTime : isoSeconds(now);
      return {
        type: d.type,
        status: d.status,
        reason: d.reason,
        message: d.message ?? '',
        observedGeneration: generation,
        lastTransitionTime,
      };
    })
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** RFC 3339 at second precision (metav1.Time). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Summary of a reconcile pass, turned into kstatus conditions by {@link kstatusConditions}. */
export interface Readiness {
  /** Everything is as desired and working. */
  ready: boolean;
  /** Still converging (will get there without help). */
  progressing: boolean;
  /** Stuck until a human acts (bad spec, missing dependency). */
  stalled: boolean;
  reason: string;
  message: string;
}

/** Ready + (Reconciling | Stalled) per kstatus. */
export function kstatusConditions(r: Readiness): ConditionInput[] {
  const out: ConditionInput[] = [
    { type: 'Ready', status: r.ready ? 'True' : 'False', reason: r.reason, message: r.message },
  ];
  if (r.stalled) out.push({ type: 'Stalled', status: 'True', reason: r.reason, message: r.message });
  else if (r.progressing && !r.ready)
    out.push({ type: 'Reconciling', status: 'True', reason: r.reason, message: r.message });
  return out;
}

/** Finds a condition by type. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
