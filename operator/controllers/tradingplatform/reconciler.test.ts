import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/log.ts';
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import { parseOperatorConfig } from '../../config.ts';
import type { KubeClient } from '../../kube/client.ts';
import { ApiError } from '../../kube/errors.ts';
import { MemoryEventRecorder } from '../../kube/events.ts';
import type { Informer } from '../../kube/informer.ts';
import { type KubeObject, objectKey } from '../../kube/resources.ts';
import { FakeClock } from '../../kube/testing.ts';
import { samplePlatform } from '../../render/fixtures.ts';
import { DependencyChecker } from './dependencies.ts';
import { TradingPlatformReconciler } from './reconciler.ts';

/** A map-backed cache with the methods the reconciler uses (verification marks as the Informer keeps them). */
class FakeCache {
  readonly m = new Map<string, KubeObject>();
  readonly verified = new Map<string, { rv: string | undefined; token: string }>();
  get(key: string) {
    return this.m.get(key);
  }
  observe(o: KubeObject) {
    this.m.set(objectKey(o), o);
  }
  lookup(key: string) {
    const object = this.m.get(key);
    if (!object) return undefined;
    const mark = this.verified.get(key);
    const rv = object.metadata.resourceVersion;
    return { resourceVersion: rv, object, verified: mark?.rv === rv ? mark?.token : undefined };
  }
  verify(key: string, rv: string | undefined, token: string) {
    if (this.m.get(key)?.metadata.resourceVersion === rv) this.verified.set(key, { rv, token });
  }
}

/** Records requests; apply merges into the matching cache like the API server + watch would. */
class FakeApi {
  writes: string[] = [];
  secrets = new Set<string>(['investors/alice-counter']);
  configMaps = new Set<string>(['investors/ema-cross']);
  refuseResize = false;
  rv = 1;
  readonly caches: Record<string, FakeCache>;
  constructor(caches: Record<string, FakeCache>) {
    this.caches = caches;
  }
  async apply(obj: KubeObject, o: { subresource?: string } = {}) {
    this.writes.push(`apply ${obj.kind}${o.subresource ? `/${o.subresource}` : ''}`);
    const cache = this.caches[obj.kind]!;
    const cur = cache.get(objectKey(obj));
    const merged =
      o.subresource === 'status' ? { ...cur!, status: (obj as any).status } : { ...obj, status: cur?.status };
    merged.metadata = {
      ...cur?.metadata,
      ...obj.metadata,
      uid: cur?.metadata.uid ?? `uid-${this.rv}`,
      resourceVersion: String(++this.rv),
    };
    return merged;
  }
  async getMetadata(path: string) {
    const [, , , , ns, kind, name] = path.split('/');
    const set = kind === 'secrets' ? this.secrets : this.configMaps;
    if (!set.has(`${ns}/${name}`)) throw new ApiError(404, 'GET', path, {});
    return {};
  }
  async strategicPatch(path: string, body: any) {
    this.writes.push(`patch ${path.split('/').slice(-2).join('/')}`);
    if (this.refuseResize) throw new ApiError(422, 'PATCH', path, { message: 'refused' });
    const pod = this.caches.Pod!.get('investors/alice-runtime-0')!;
    (pod as any).spec.containers[0].resources = body.spec.containers[0].resources;
    return pod;
  }
  async delete(path: string) {
    this.writes.push(`delete ${path.split('/').slice(-2).join('/')}`);
    this.caches.Pod!.m.delete('investors/alice-runtime-0');
  }
}

function setup() {
  const caches: Record<string, FakeCache> = {
    TradingPlatform: new FakeCache(),
    ConfigMap: new FakeCache(),
    Service: new FakeCache(),
    StatefulSet: new FakeCache(),
    ServiceAccount: new FakeCache(),
    Role: new FakeCache(),
    RoleBinding: new FakeCache(),
    Pod: new FakeCache(),
  };
  const api = new FakeApi(caches);
  const clock = new FakeClock();
  const events = new MemoryEventRecorder();
  const reconciler = new TradingPlatformReconciler({
    client: api as unknown as KubeClient,
    config: parseOperatorConfig({ access: { enabled: false } }),
    caches: {
      platforms: caches.TradingPlatform as unknown as Informer<TradingPlatform & KubeObject>,
      children: caches as unknown as Record<string, Informer>,
      pods: caches.Pod as unknown as Informer,
    },
    dependencies: new DependencyChecker(api as unknown as KubeClient, clock),
    events,
    clock,
  });
  const ctx = { log: createLogger('t', { level: 'silent' }), signal: new AbortController().signal };
  const run = () => reconciler.reconcile(ctx, { namespace: 'investors', name: 'alice' });
  const setPlatform = (tp: TradingPlatform) =>
    caches.TradingPlatform!.observe({
      ...tp,
      status: caches.TradingPlatform!.get('investors/alice')?.status,
    } as any);
  /** Simulates the StatefulSet controller + kubelet: a running, ready pod from the current template. */
  const startPod = () => {
    const sts = caches.StatefulSet!.get('investors/alice-runtime') as any;
    const t = sts.spec.template;
    caches.Pod!.observe({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'alice-runtime-0',
        namespace: 'investors',
        uid: 'pod-1',
        annotations: t.metadata.annotations,
      },
      spec: structuredClone(t.spec),
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'runtime', started: true, ready: true, state: { running: {} }, restartCount: 0 },
        ],
      },
    } as any);
  };
  const status = () => (caches.TradingPlatform!.get('investors/alice') as any).status;
  return { api, caches, events, run, setPlatform, startPod, status };
}

describe('TradingPlatformReconciler', () => {
  it('creates children and status, then writes nothing while the world is unchanged', async () => {
    const t = setup();
    t.setPlatform(samplePlatform());
    await t.run();
    expect(t.api.writes).toEqual([
      'apply ServiceAccount',
      'apply Role',
      'apply RoleBinding',
      'apply ConfigMap',
      'apply Service',
      'apply StatefulSet',
      'apply TradingPlatform/status',
    ]);
    expect(t.status().phase).toBe('Provisioning');
    t.api.writes = [];
    await t.run();
    await t.run();
    expect(t.api.writes).toEqual([]);
  });

  it('reaches Ready with a ready pod; a profile change resizes in place without deleting the pod', async () => {
    const t = setup();
    t.setPlatform(samplePlatform());
    await t.run();
    t.startPod();
    await t.run();
    expect(t.status().phase).toBe('Ready');
    t.api.writes = [];
    t.setPlatform(samplePlatform({ runtime: { profile: 'large', allowedProfiles: ['standard', 'large'] } }));
    const res = await t.run();
    expect(t.api.writes).toEqual([
      'apply StatefulSet',
      'patch alice-runtime-0/resize',
      'apply TradingPlatform/status',
    ]);
    expect(t.status().runtime).toMatchObject({ profile: 'large', resizeMethod: 'InPlace', podUID: 'pod-1' });
    expect(res?.requeueAfter).toBeGreaterThan(0);
    expect(t.events.events.map((e) => e.reason)).toContain('ResizedInPlace');
  });

  it('falls back to a restart when the resize is refused', async () => {
    const t = setup();
    t.setPlatform(samplePlatform());
    await t.run();
    t.startPod();
    t.api.refuseResize = true;
    t.setPlatform(samplePlatform({ runtime: { profile: 'large' } }));
    await t.run();
    expect(t.api.writes).toContain('delete pods/alice-runtime-0');
    expect(t.status().runtime.resizeMethod).toBe('RollingRestart');
  });

  it('restarts the pod when anything besides resources changes (OnDelete strategy)', async () => {
    const t = setup();
    t.setPlatform(samplePlatform());
    await t.run();
    t.startPod();
    await t.run();
    t.api.writes = [];
    t.setPlatform(samplePlatform({ risk: { maxOrderLots: 2 } }));
    await t.run();
    expect(t.api.writes.slice(0, 3)).toEqual([
      'apply ConfigMap',
      'apply StatefulSet',
      'delete pods/alice-runtime-0',
    ]);
  });

  it('names a missing Secret, retries, and recovers when it appears', async () => {
    const t = setup();
    t.api.secrets.clear();
    t.setPlatform(samplePlatform());
    const res = await t.run();
    expect(res?.requeueAfter).toBe(10_000);
    const ready = t.status().conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'SecretMissing' });
    expect(ready.message).toContain('investors/alice-counter');
    t.api.secrets.add('investors/alice-counter');
    expect(await t.run()).toBeUndefined();
    expect(t.status().conditions.find((c: any) => c.type === 'Ready').reason).not.toBe('SecretMissing');
  });

  it('re-applies a child that was deleted or edited', async () => {
    const t = setup();
    t.setPlatform(samplePlatform());
    await t.run();
    t.caches.Service!.m.clear();
    const cm = t.caches.ConfigMap!.get('investors/alice-runtime-config') as any;
    // An edit by someone else arrives as a new version (as the watch delivers it).
    t.caches.ConfigMap!.observe({
      ...cm,
      data: { 'runtime.json': '{}' },
      metadata: { ...cm.metadata, resourceVersion: 'edited' },
    });
    t.api.writes = [];
    await t.run();
    expect(t.api.writes).toEqual(['apply ConfigMap', 'apply Service']);
  });

  it('strategies that do not fit the memory limit: the platform is rendered, StrategiesFit=False says why, and clears', async () => {
    const t = setup();
    const strategies = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `s${i}`,
        source: { configMapRef: { name: 'ema-cross', key: 'strategy.js' } },
        instruments: ['au2606'],
      }));
    t.setPlatform(
      samplePlatform({
        runtime: { profile: 'small', allowedProfiles: ['small'] },
        strategies: strategies(4),
      }),
    );
    await t.run();
    expect(t.api.writes).toContain('apply StatefulSet');
    expect(t.status().conditions.find((c: any) => c.type === 'StrategiesFit')).toMatchObject({
      status: 'False',
      reason: 'MemoryLimit',
      message: expect.stringMatching(/192 MiB.*4 strategies.*larger resource profile/),
    });
    expect(t.events.events.map((e) => e.reason)).toContain('StrategiesDoNotFit');
    t.setPlatform(
      samplePlatform({
        runtime: { profile: 'small', allowedProfiles: ['small'] },
        strategies: strategies(3),
      }),
    );
    await t.run();
    expect(t.status().conditions.find((c: any) => c.type === 'StrategiesFit')).toBeUndefined();
  });

  it('an unknown profile stalls without touching children', async () => {
    const t = setup();
    t.setPlatform(samplePlatform({ runtime: { profile: 'huge' } }));
    await t.run();
    expect(t.api.writes).toEqual(['apply TradingPlatform/status']);
    expect(t.status().conditions.find((c: any) => c.type === 'Stalled')).toMatchObject({
      reason: 'UnknownProfile',
    });
  });
});
