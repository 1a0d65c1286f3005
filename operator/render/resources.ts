/** Which cpu/memory a platform's runtime gets: its profile, overridden field by field by explicit resources. */
import type { ResourceRequirements } from '../api/common.ts';
import type { TradingPlatformSpec } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';

/** Resolved profile and resources, or the reason they cannot be resolved. */
export type ResolvedResources =
  | { ok: true; profile: string; resources: ResourceRequirements }
  | { ok: false; reason: 'UnknownProfile'; message: string };

/** Quantities as strings: the form the API server returns, so compare-before-apply sees equality. */
function asStrings(
  list: Record<string, string | number | undefined> | undefined,
): Record<string, string> | undefined {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) if (list[k] !== undefined) out[k] = String(list[k]);
  return Object.keys(out).length ? out : undefined;
}

export function resolveResources(spec: TradingPlatformSpec, config: OperatorConfig): ResolvedResources {
  const profile = spec.runtime.profile ?? config.defaultProfile;
  const base = config.profiles[profile];
  if (!base) {
    return {
      ok: false,
      reason: 'UnknownProfile',
      message: `spec.runtime.profile "${profile}" is not a profile of the operator configuration (known: ${Object.keys(config.profiles).sort().join(', ')})`,
    };
  }
  const o = spec.runtime.resources ?? {};
  const resources: ResourceRequirements = {};
  const requests = asStrings({ ...base.requests, ...o.requests });
  const limits = asStrings({ ...base.limits, ...o.limits });
  if (requests) resources.requests = requests;
  if (limits) resources.limits = limits;
  return { ok: true, profile, resources };
}
