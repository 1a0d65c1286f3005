/**
 * Firewall reconciler, one pass per TradingPlatform: read the NetworkPolicySpecs of its namespace and the
 * cluster facts from caches → render its NetworkPolicies (pure) → apply what differs, delete the holes of
 * a platform no spec governs any more → write its `FirewallReady` condition. Level-based: the same world
 * writes nothing. A second, tiny reconciler keeps each NetworkPolicySpec's `status.governs` current.
 */
import type { Condition } from '../../api/common.ts';
import type { NetworkPolicySpecSpec } from '../../api/networkpolicyspec.ts';
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { OperatorConfig } from '../../config.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { Clock } from '../../kube/clock.ts';
import { stableStringify } from '../../kube/compare.ts';
import { type ConditionInput, mergeConditions } from '../../kube/conditions.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../kube/controller.ts';
import { isNotFound } from '../../kube/errors.ts';
import type { Informer } from '../../kube/informer.ts';
import { type KubeObject, objectPath, resourcePath } from '../../kube/resources.ts';
import { accessSettings } from '../../render/access-settings.ts';
import {
  allowPolicyName,
  type FirewallSpec,
  governingSpecs,
  renderPlatformPolicies,
  type V1NetworkPolicy,
} from '../../render/networkpolicy.ts';
import { clusterFacts, ENDPOINT_SLICE, type EndpointSliceView } from './facts.ts';
import { applyAs, FIREWALL_MANAGER } from './ssa.ts';

/** The condition this controller owns on TradingPlatforms. */
export const FIREWALL_CONDITION = 'FirewallReady';

/** A NetworkPolicySpec as cached. */
export type NetworkPolicySpecObject = KubeObject & {
  spec: NetworkPolicySpecSpec;
  status?: { governs?: number; observedGeneration?: number; conditions?: Condition[] };
};

/** Caches the firewall reads. */
export interface FirewallCaches {
  platforms: Informer<TradingPlatform & KubeObject>;
  specs: Informer<NetworkPolicySpecObject>;
  policies: Informer;
  slices: Informer;
}

export interface FirewallDeps {
  client: KubeClient;
  config: OperatorConfig;
  caches: FirewallCaches;
  clock: Clock;
}

/** A cached NetworkPolicySpec → the renderer's input. */
export function toFirewallSpec(o: NetworkPolicySpecObject): FirewallSpec {
  return { name: o.metadata.name, ...o.spec };
}

function specsIn(caches: FirewallCaches, namespace: string): FirewallSpec[] {
  return caches.specs
    .list()
    .filter((s) => s.metadata.namespace === namespace && !s.metadata.deletionTimestamp)
    .map(toFirewallSpec);
}

/**
 * The NetworkPolicy fields that matter for "is it already as desired". Empty lists count as absent: the API
 * server does not store them, and a desired `[]` against a stored nothing would be rewritten on every pass.
 */
export const essence = (p: KubeObject | V1NetworkPolicy | undefined) =>
  p
    ? stableStringify(withoutEmptyLists({ labels: p.metadata.labels, spec: (p as { spec?: unknown }).spec }))
    : '';

function withoutEmptyLists(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEmptyLists);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (Array.isArray(x) && x.length === 0) continue;
      out[k] = withoutEmptyLists(x);
    }
    return out;
  }
  return v;
}

export class FirewallReconciler implements Reconciler {
  private readonly d: FirewallDeps;
  constructor(deps: FirewallDeps) {
    this.d = deps;
  }

  private fetched: { at: number; slices: EndpointSliceView[] } | undefined;

  /**
   * The DNS and API-server EndpointSlices: from the informer, or — when the operator watches one namespace
   * only, so its informers cannot see kube-system/default — read directly and kept for 30 s.
   */
  private async slices(): Promise<EndpointSliceView[]> {
    const cached = this.d.caches.slices.list() as unknown as EndpointSliceView[];
    if (cached.length) return cached;
    const now = this.d.clock.now();
    if (this.fetched && now - this.fetched.at < 30_000) return this.fetched.slices;
    const out: EndpointSliceView[] = [];
    for (const [namespace, service] of [
      ['kube-system', 'kube-dns'],
      ['default', 'kubernetes'],
    ] as const) {
      const list = await this.d.client.get<{ items?: EndpointSliceView[] }>(
        `${resourcePath(ENDPOINT_SLICE, { namespace })}?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`,
      );
      out.push(...(list.items ?? []).map((i) => ({ ...i, metadata: { ...i.metadata, namespace } })));
    }
    this.fetched = { at: now, slices: out };
    return out;
  }

  async reconcile(ctx: ReconcileContext, req: Request): Promise<Result | undefined> {
    const tp = this.d.caches.platforms.get(`${req.namespace}/${req.name}`);
    if (!tp || tp.metadata.deletionTimestamp) return undefined; // policies are owned by the platform: GC removes them
    const facts = clusterFacts(await this.slices(), accessSettings(this.d.config).listenPort);
    const { policies, governedBy } = renderPlatformPolicies(
      {
        name: tp.metadata.name,
        namespace: req.namespace,
        uid: tp.metadata.uid,
        labels: tp.metadata.labels ?? {},
      },
      specsIn(this.d.caches, req.namespace),
      facts,
    );
    for (const p of policies) {
      const live = this.d.caches.policies.get(`${req.namespace}/${p.metadata.name}`);
      if (essence(live) === essence(p)) continue;
      const applied = await applyAs(this.d.client, FIREWALL_MANAGER, p as unknown as KubeObject);
      this.d.caches.policies.observe(applied);
      ctx.log.info({ policy: p.metadata.name, governedBy }, 'network policy applied');
    }
    if (!governedBy.length) await this.pruneAllow(ctx, req);
    // kstatus reads a status with conditions but no Ready as Current: GitOps tools would call a platform healthy
    // before the TradingPlatform controller has judged it. Wait for that controller's first status write.
    if (!hasReadyCondition(tp)) return { requeueAfter: 1000 };
    await this.writeCondition(tp, governedBy, facts.dnsEndpoints.length > 0);
    return undefined;
  }

  /** Deletes the holes of a platform that no NetworkPolicySpec governs any more (fail closed). */
  private async pruneAllow(ctx: ReconcileContext, req: Request): Promise<void> {
    const name = allowPolicyName(req.name);
    if (!this.d.caches.policies.get(`${req.namespace}/${name}`)) return;
    await this.d.client.delete(
      objectPath({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: req.namespace },
      }),
    );
    ctx.log.info(
      { policy: name },
      'no NetworkPolicySpec governs the platform: holes removed, default deny remains',
    );
  }

  private async writeCondition(
    tp: TradingPlatform & KubeObject,
    governedBy: string[],
    dnsKnown: boolean,
  ): Promise<void> {
    const c: ConditionInput = governedBy.length
      ? {
          type: FIREWALL_CONDITION,
          status: 'True',
          reason: 'Governed',
          message: `default deny plus the holes of NetworkPolicySpec ${governedBy.join(', ')}${dnsKnown ? '' : ' (no CoreDNS endpoints observed: DNS allowed on port 53 only)'}`,
        }
      : {
          type: FIREWALL_CONDITION,
          status: 'False',
          reason: 'Ungoverned',
          message: 'no NetworkPolicySpec selects this platform: all ingress and egress denied (fail closed)',
        };
    const previous = tp.status?.conditions?.filter((x) => x.type === FIREWALL_CONDITION);
    const merged = mergeConditions(previous, [c], tp.metadata.generation ?? 0, new Date(this.d.clock.now()));
    if (stableStringify(previous ?? []) === stableStringify(merged)) return;
    await applyAs(
      this.d.client,
      FIREWALL_MANAGER,
      {
        apiVersion: tp.apiVersion,
        kind: 'TradingPlatform',
        metadata: { name: tp.metadata.name, namespace: tp.metadata.namespace },
        status: { conditions: merged },
      } as KubeObject,
      'status',
    ).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
}

/** Keeps `status.governs` and `Ready` of each NetworkPolicySpec current. */
export class NetworkPolicySpecStatusReconciler implements Reconciler {
  private readonly d: FirewallDeps;
  constructor(deps: FirewallDeps) {
    this.d = deps;
  }

  async reconcile(_ctx: ReconcileContext, req: Request): Promise<Result | undefined> {
    const nps = this.d.caches.specs.get(`${req.namespace}/${req.name}`);
    if (!nps || nps.metadata.deletionTimestamp) return undefined;
    const spec = toFirewallSpec(nps);
    const governed = this.d.caches.platforms
      .list()
      .filter((tp) => tp.metadata.namespace === req.namespace)
      .filter(
        (tp) =>
          governingSpecs(
            { name: tp.metadata.name, namespace: req.namespace, labels: tp.metadata.labels ?? {} },
            [spec],
          ).length > 0,
      )
      .map((tp) => tp.metadata.name)
      .sort();
    const generation = nps.metadata.generation ?? 0;
    const conditions = mergeConditions(
      nps.status?.conditions,
      [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Rendered',
          message: governed.length
            ? `governs ${governed.join(', ')}`
            : 'selects no TradingPlatform in this namespace',
        },
      ],
      generation,
      new Date(this.d.clock.now()),
    );
    const status = { observedGeneration: generation, governs: governed.length, conditions };
    if (stableStringify(nps.status ?? {}) === stableStringify(status)) return undefined;
    const applied = await applyAs(
      this.d.client,
      FIREWALL_MANAGER,
      {
        apiVersion: nps.apiVersion,
        kind: 'NetworkPolicySpec',
        metadata: { name: req.name, namespace: req.namespace },
        status,
      } as KubeObject,
      'status',
    ).catch((e) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    if (applied) this.d.caches.specs.observe(applied as NetworkPolicySpecObject);
    return undefined;
  }
}

/** True once the TradingPlatform controller has written its `Ready` condition (it always writes one). */
export function hasReadyCondition(tp: { status?: { conditions?: Array<{ type: string }> } }): boolean {
  return !!tp.status?.conditions?.some((c) => c.type === 'Ready');
}
