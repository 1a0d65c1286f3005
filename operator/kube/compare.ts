/**
 * "Is the live object already what we would apply?" — the check that makes a relist with nothing changed
 * cost zero writes. Two tests must both pass:
 * 1. the live object carries the hash of the desired object we last applied (annotation), which catches
 *    fields we stopped setting (a subset test cannot see removals), and
 * 2. every field of the desired object equals the live one (subset), which catches drift made by others.
 * Server-side defaults (extra fields on the live object) are ignored by design.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from './resources.ts';

/** Annotation holding the hash of the last applied desired object. */
export const APPLIED_HASH_ANNOTATION = 'aurum.dev/applied-hash';

/** Stable JSON: object keys sorted, so equal objects hash equally. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Short content hash of a desired object (without the hash annotation itself). */
export function desiredHash(obj: unknown): string {
  return createHash('sha256').update(stableStringify(obj)).digest('hex').slice(0, 16);
}

/** Returns the desired object with its hash annotation set. */
export function withAppliedHash<T extends KubeObject>(obj: T): T {
  const hash = desiredHash(obj);
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash },
    },
  };
}

/** true when every field in `desired` has an equal value in `live` (arrays: same length, element-wise). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  if (desired === null || desired === undefined) return live === null || live === undefined;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((d, i) => isSubset(d, live[i]));
  }
  if (typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    for (const [k, v] of Object.entries(desired as Record<string, unknown>)) {
      if (v === undefined) continue;
      if (!isSubset(v, (live as Record<string, unknown>)[k])) return false;
    }
    return true;
  }
  // Quantities and ports may come back as numbers or strings ("1" vs 1).
  return String(desired) === String(live);
}

/** Why `live` differs from `desired` (with the hash annotation), or undefined when no write is needed. */
export function needsApply(desiredWithHash: KubeObject, live: KubeObject | undefined): string | undefined {
  if (!live) return 'missing';
  if (live.metadata.deletionTimestamp) return 'terminating';
  const want = desiredWithHash.metadata.annotations?.[APPLIED_HASH_ANNOTATION];
  if (live.metadata.annotations?.[APPLIED_HASH_ANNOTATION] !== want) return 'desired-changed';
  if (!isSubset(desiredWithHash, live)) return 'drifted';
  return undefined;
}
