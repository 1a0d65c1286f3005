/**
 * TradingPlatform reconciler: load → render (pure) → check dependencies → apply children → roll the pod
 * (in-place resize or restart) → status. Each step is a named method; the pass is level-based and writes
 * nothing when the world already matches.
 */
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { OperatorConfig } from '../../config.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { Clock } from '../../kube/clock.ts';
import {
  APPLIED_HASH_ANNOTATION,
  isSubset,
  needsApply,
  stableStringify,
  withAppliedHash,
} from '../../kube/compare.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../kube/controller.ts';
import { ApiError, isNotFound } from '../../kube/errors.ts';
import type { EventRecorder } from '../../kube/events.ts';
import type { Informer } from '../../kube/informer.ts';
import { type KubeObject, objectPath, RESOURCES, resourcePath } from '../../kube/resources.ts';
import { POD_HASH_ANNOTATION, RUNTIME_CONTAINER, runtimePodName } from '../../render/names.ts';
import { type RenderedPlatform, renderPlatform } from '../../render/platform.ts';
import { templatePodHash } from '../../render/statefulset.ts';
import { strategiesMemoryProblem } from '../../render/strategy-memory.ts';
import type { DependencyChecker } from './dependencies.ts';
import { buildStatus, type Observation, OWNED_CONDITIONS, type PodView } from './status.ts';

/** Caches the reconciler reads instead of the API (kind → informer of operator-managed objects). */
export interface TradingPlatformCaches {
  platforms: Informer<TradingPlatform & KubeObject>;
  children: Partial<Record<string, Informer>>;
  pods: Informer;
}

/** Dependencies of {@link TradingPlatformReconciler}. */
export interface TradingPlatformReconcilerDeps {
  client: KubeClient;
  config: OperatorConfig;
  caches: TradingPlatformCaches;
  dependencies: DependencyChecker;
  events: EventRecorder;
  clock: Clock;
}

type Sts = KubeObject & {
  spec?: { template?: { spec?: { containers?: Array<{ name: string; resources?: unknown }> } } };
};

export class TradingPlatformReconciler implements Reconciler {
  private readonly d: TradingPlatformReconcilerDeps;
  /** How the last resources change of each platform was applied (shown in status until the next change). */
  private readonly lastResize = new Map<string, 'InPlace' | 'RollingRestart'>();

  constructor(deps: TradingPlatformReconcilerDeps) {
    this.d = deps;
  }

  async reconcile(ctx: ReconcileContext, req: Request): Promise<Result | undefined> {
    const key = `${req.namespace}/${req.name}`;
    const tp = this.d.caches.platforms.get(key);
    if (!tp || tp.metadata.deletionTimestamp) return undefined; // children are garbage-collected via ownerReferences
    const rendered = renderPlatform(tp, this.d.config);
    const missing = await this.d.dependencies.missing(tp);
    const obs: Observation = {
      tp,
      missing,
      rolling: false,
      resizeMethod: this.lastResize.get(key) ?? tp.status?.runtime?.resizeMethod,
    };
    if (!rendered.ok) {
      obs.renderError = { reason: rendered.reason, message: rendered.message };
      this.d.events.event(tp, 'Warning', rendered.reason, rendered.message);
    } else {
      obs.profile = rendered.profile;
      obs.image = rendered.image;
      obs.desiredResources = rendered.resources;
      obs.strategiesMemory = strategiesMemoryProblem(tp, rendered.resources);
      if (obs.strategiesMemory)
        this.d.events.event(tp, 'Warning', 'StrategiesDoNotFit', obs.strategiesMemory);
      await this.applyChildren(ctx, tp, rendered);
      const pod = this.d.caches.pods.get(`${req.namespace}/${runtimePodName(req.name)}`) as
        | (KubeObject & PodView)
        | undefined;
      // While paused a terminating pod still counts (status says Stopping until it is gone); otherwise a
      // terminating pod is on its way out and its replacement is what matters.
      obs.pod = pod && (tp.spec.paused || !pod.metadata.deletionTimestamp) ? pod : undefined;
      if (obs.pod && !tp.spec.paused) await this.rollPod(ctx, tp, rendered, obs, key);
    }
    for (const m of missing) {
      this.d.events.event(tp, 'Warning', `${m.kind}Missing`, `${m.kind} ${m.name} (${m.field}) not found`);
    }
    await this.writeStatus(ctx, tp, obs);
    if (missing.length) return { requeueAfter: this.d.config.dependencyRetrySeconds * 1000 };
    if (obs.rolling) return { requeueAfter: 3000 };
    return undefined;
  }

  /**
   * Applies every rendered child that is missing, drifted or outdated; one Event per pass sums them up
   * (an Event per child would double the writes of a new platform).
   */
  private async applyChildren(
    ctx: ReconcileContext,
    tp: TradingPlatform,
    rendered: RenderedPlatform & { ok: true },
  ) {
    const done: Record<string, string[]> = {};
    for (const desired of rendered.objects) {
      const want = withAppliedHash(desired);
      const wantHash = want.metadata.annotations?.[APPLIED_HASH_ANNOTATION] ?? '';
      const cache = this.d.caches.children[desired.kind];
      const key = `${desired.metadata.namespace}/${desired.metadata.name}`;
      const cached = cache?.lookup(key);
      // This very version was already found equal to this very desired object: nothing to compare again.
      if (cached?.verified === wantHash) continue;
      const live = cache ? cached?.object : await this.getLive(desired);
      // A released body belongs to a version verified against an older desired object, so only the
      // desired side changed (any change to the live object would have brought a new body).
      const why = cached && !cached.object ? 'desired-changed' : needsApply(want, live);
      if (!why) {
        cache?.verify(key, live?.metadata.resourceVersion, wantHash);
        continue;
      }
      if (why === 'terminating') continue; // wait for it to go, then recreate
      const applied = await this.d.client.apply(want);
      cache?.observe(applied);
      if (!needsApply(want, applied)) cache?.verify(key, applied.metadata.resourceVersion, wantHash);
      ctx.log.info(
        {
          kind: desired.kind,
          name: desired.metadata.name,
          why,
          had: live?.metadata.annotations?.[APPLIED_HASH_ANNOTATION],
          want: want.metadata.annotations?.[APPLIED_HASH_ANNOTATION],
          liveVersion: live?.metadata.resourceVersion,
        },
        'applied child',
      );
      const verb =
        why === 'missing'
          ? tp.status?.observedGeneration
            ? 'Restored'
            : 'Created'
          : why === 'drifted'
            ? 'Corrected'
            : 'Updated';
      done[verb] = [...(done[verb] ?? []), `${desired.kind} ${desired.metadata.name}`];
    }
    for (const [verb, objects] of Object.entries(done)) {
      this.d.events.event(tp, 'Normal', verb, `${verb} ${objects.join(', ')}`);
    }
  }

  private async getLive(desired: KubeObject): Promise<KubeObject | undefined> {
    try {
      return await this.d.client.get(objectPath(desired));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Brings the running pod to the template: any change besides resources → delete the pod (the StatefulSet,
   * with updateStrategy OnDelete, recreates it from the new template); resources only → in-place resize
   * through the pod `resize` subresource, falling back to a restart when the API refuses it.
   */
  private async rollPod(
    ctx: ReconcileContext,
    tp: TradingPlatform,
    rendered: RenderedPlatform & { ok: true },
    obs: Observation,
    key: string,
  ) {
    const pod = obs.pod!;
    const sts = rendered.objects.find((o) => o.kind === 'StatefulSet') as Sts;
    const wantHash = templatePodHash(sts);
    const podPath = resourcePath(RESOURCES.Pod, {
      namespace: tp.metadata.namespace,
      name: pod.metadata.name,
    });
    if (pod.metadata.annotations?.[POD_HASH_ANNOTATION] !== wantHash) {
      ctx.log.info({ pod: pod.metadata.name }, 'pod template changed: restarting the runtime');
      await this.d.client.delete(podPath);
      this.d.events.event(
        tp,
        'Normal',
        'Restarted',
        `Restarted ${pod.metadata.name} to apply a new template`,
      );
      obs.rolling = true;
      obs.pod = undefined;
      return;
    }
    const want = rendered.resources;
    const have = pod.spec?.containers?.find((c) => c.name === RUNTIME_CONTAINER)?.resources ?? {};
    if (isSubset(want, have) && isSubset(have, want)) return;
    try {
      await this.d.client.strategicPatch(`${podPath}/resize`, {
        spec: { containers: [{ name: RUNTIME_CONTAINER, resources: want }] },
      });
      this.lastResize.set(key, 'InPlace');
      obs.resizeMethod = 'InPlace';
      this.d.events.event(
        tp,
        'Normal',
        'ResizedInPlace',
        `Resized ${pod.metadata.name} in place to ${stableStringify(want)}`,
      );
      ctx.log.info({ pod: pod.metadata.name, resources: want }, 'resized in place');
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500 || err.status === 409) throw err;
      ctx.log.warn(
        { pod: pod.metadata.name, err: err.message },
        'in-place resize refused: restarting instead',
      );
      await this.d.client.delete(podPath);
      this.lastResize.set(key, 'RollingRestart');
      obs.resizeMethod = 'RollingRestart';
      obs.pod = undefined;
      this.d.events.event(
        tp,
        'Normal',
        'Restarted',
        `Resize refused (${err.status}); restarted ${pod.metadata.name}`,
      );
    }
    obs.rolling = true;
  }

  /** Writes status through the status subresource when it differs from what is there. */
  private async writeStatus(ctx: ReconcileContext, tp: TradingPlatform, obs: Observation): Promise<void> {
    const status = buildStatus(obs, new Date(this.d.clock.now()));
    const live = tp.status ?? {};
    const liveOwned = {
      observedGeneration: live.observedGeneration,
      phase: live.phase,
      conditions: live.conditions
        ?.filter((c) => OWNED_CONDITIONS.includes(c.type))
        .sort((a, b) => a.type.localeCompare(b.type)),
      runtime: live.runtime,
    };
    if (stableStringify(liveOwned) === stableStringify(status)) return;
    const applied = await this.d.client.apply<TradingPlatform & KubeObject>(
      {
        apiVersion: tp.apiVersion,
        kind: tp.kind,
        metadata: { name: tp.metadata.name, namespace: tp.metadata.namespace },
        status,
      },
      { subresource: 'status' },
    );
    this.d.caches.platforms.observe(applied);
    ctx.log.debug({ phase: status.phase }, 'status written');
  }
}
