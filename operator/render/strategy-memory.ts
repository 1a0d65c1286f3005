/**
 * Whether a platform's strategies fit its runtime's memory limit, by the rule the runtime applies when it
 * starts them (common/strategy-memory.ts): told on the TradingPlatform as soon as it is applied, instead of
 * the investor finding a strategy that refused to start. Pure.
 */

import { strategyMemory } from '../../common/strategy-memory.ts';
import type { ResourceRequirements } from '../api/common.ts';
import type { TradingPlatform } from '../api/tradingplatform.ts';

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Bytes of a Kubernetes memory quantity (`192Mi`, `1Gi`, `500M`, `2048`, `1e9`); undefined when not one. */
export function memoryBytes(q: string | number | undefined): number | undefined {
  if (typeof q === 'number') return q;
  const m = q === undefined ? null : /^(\d+(?:\.\d+)?(?:[eE]\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * SUFFIX[m[2] ?? '']!);
}

/**
 * Why the platform's enabled strategies cannot each get a heap within the runtime's memory limit, or undefined
 * when they can (or there is no limit).
 */
export function strategiesMemoryProblem(
  tp: TradingPlatform,
  resources: ResourceRequirements,
): string | undefined {
  const limitBytes = memoryBytes(resources.limits?.memory);
  const enabled = (tp.spec.strategies ?? []).filter((s) => s.enabled !== false).length;
  if (limitBytes === undefined || enabled === 0) return undefined;
  const m = strategyMemory({ limitBytes, strategies: enabled, maxOldMb: 64 });
  return m.ok ? undefined : `spec.strategies: ${m.message}`;
}
