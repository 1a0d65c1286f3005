/**
 * Does every Secret/ConfigMap a platform references exist? Checked with metadata-only GETs (the operator never
 * reads Secret data), and positive answers are remembered for `ttlMs` so steady-state passes cost no request.
 * A missing dependency is re-checked on every pass (the reconciler requeues while anything is missing).
 */
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { Clock } from '../../kube/clock.ts';
import { isNotFound } from '../../kube/errors.ts';
import { RESOURCES, resourcePath } from '../../kube/resources.ts';

export interface Dependency {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  /** The spec field that references it (named in the condition message). */
  field: string;
}

/** The Secrets and ConfigMaps a platform needs (pure). */
export function dependenciesOf(tp: TradingPlatform): Dependency[] {
  const deps: Dependency[] = [
    {
      kind: 'Secret',
      name: tp.spec.counter.credentialsSecretRef.name,
      field: 'spec.counter.credentialsSecretRef',
    },
  ];
  tp.spec.strategies.forEach((s, i) => {
    deps.push({
      kind: 'ConfigMap',
      name: s.source.configMapRef.name,
      field: `spec.strategies[${i}].source.configMapRef`,
    });
  });
  return deps;
}

export class DependencyChecker {
  private readonly seen = new Map<string, number>();
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(client: KubeClient, clock: Clock, ttlMs = 60_000) {
    this.client = client;
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  /** The dependencies of `tp` that do not exist. */
  async missing(tp: TradingPlatform): Promise<Dependency[]> {
    const out: Dependency[] = [];
    const checked = new Map<string, boolean>();
    for (const d of dependenciesOf(tp)) {
      const id = `${d.kind}/${tp.metadata.namespace}/${d.name}`;
      let present = checked.get(id);
      if (present === undefined) {
        present = await this.exists(id, d, tp.metadata.namespace);
        checked.set(id, present);
      }
      if (!present) out.push(d);
    }
    return out;
  }

  private async exists(id: string, d: Dependency, namespace: string): Promise<boolean> {
    const now = this.clock.now();
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    const r = d.kind === 'Secret' ? RESOURCES.Secret : RESOURCES.ConfigMap;
    try {
      await this.client.getMetadata(resourcePath(r, { namespace, name: d.name }));
      this.seen.set(id, now);
      return true;
    } catch (err) {
      if (isNotFound(err)) {
        this.seen.delete(id);
        return false;
      }
      throw err;
    }
  }
}
