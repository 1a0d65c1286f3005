import { describe, expect, it } from 'vitest';
import { samplePlatform } from '../../render/fixtures.ts';
import { assess, buildStatus, type Observation, type PodView } from './status.ts';

const now = new Date('2026-11-25T00:00:00Z');

function pod(opts: { running?: boolean; ready?: boolean; waiting?: string } = {}): PodView {
  return {
    metadata: { name: 'alice-runtime-0', uid: 'p1' },
    spec: { containers: [{ name: 'runtime', image: 'img:1', resources: { limits: { cpu: '500m' } } }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'runtime',
          started: !!opts.running,
          ready: !!opts.ready,
          state: opts.waiting ? { waiting: { reason: opts.waiting } } : opts.running ? { running: {} } : {},
          resources: { limits: { cpu: '500m' } },
        },
      ],
    },
  };
}

const obs = (o: Partial<Observation>): Observation => ({
  tp: samplePlatform(),
  missing: [],
  rolling: false,
  ...o,
});
const summary = (o: Observation) => {
  const a = assess(o);
  return [a.phase, ...a.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`)];
};

describe('TradingPlatform status', () => {
  it('is Ready when the runtime runs and reports its counter connected', () => {
    expect(summary(obs({ pod: pod({ running: true, ready: true }) }))).toEqual([
      'Ready',
      'Ready=True:Ready',
      'RuntimeReady=True:Running',
      'CounterConnected=True:Connected',
    ]);
  });

  it('is Degraded (Reconciling) while running without a counter session', () => {
    expect(summary(obs({ pod: pod({ running: true, ready: false }) }))).toEqual([
      'Degraded',
      'Ready=False:CounterNotConnected',
      'Reconciling=True:CounterNotConnected',
      'RuntimeReady=True:Running',
      'CounterConnected=False:NotConnected',
    ]);
  });

  it('says StrategiesFit=False, without failing the platform, while its strategies do not fit the memory limit', () => {
    const message =
      "spec.strategies: the pod's memory limit (192 MiB) leaves 20 MiB per strategy for 4 strategies";
    expect(summary(obs({ pod: pod({ running: true, ready: true }), strategiesMemory: message }))).toEqual([
      'Ready',
      'Ready=True:Ready',
      'RuntimeReady=True:Running',
      'CounterConnected=True:Connected',
      'StrategiesFit=False:MemoryLimit',
    ]);
    const fit = assess(obs({ strategiesMemory: message })).conditions.find((c) => c.type === 'StrategiesFit');
    expect(fit?.message).toBe(message);
  });

  it('names a missing Secret in a Stalled Ready=False', () => {
    const a = assess(
      obs({
        missing: [{ kind: 'Secret', name: 'alice-counter', field: 'spec.counter.credentialsSecretRef' }],
      }),
    );
    const ready = a.conditions.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'SecretMissing' });
    expect(ready.message).toContain('investors/alice-counter');
    expect(a.conditions.find((c) => c.type === 'Stalled')?.status).toBe('True');
  });

  it('paused is Ready once the pod is gone', () => {
    const tp = samplePlatform({ paused: true });
    expect(summary(obs({ tp }))[0]).toBe('Paused');
    expect(summary(obs({ tp }))[1]).toBe('Ready=True:Paused');
    expect(summary(obs({ tp, pod: pod({ running: true }) }))[1]).toBe('Ready=False:Stopping');
  });

  it('a crash loop stalls', () => {
    expect(summary(obs({ pod: pod({ waiting: 'CrashLoopBackOff' }) }))[0]).toBe('Failed');
  });

  it('reports pod, image, profile, resources in effect and the resize method', () => {
    const s = buildStatus(
      obs({ pod: pod({ running: true, ready: true }), profile: 'standard', resizeMethod: 'InPlace' }),
      now,
    );
    expect(s.runtime).toEqual({
      pod: 'alice-runtime-0',
      podUID: 'p1',
      image: 'img:1',
      profile: 'standard',
      resources: { limits: { cpu: '500m' } },
      resizeMethod: 'InPlace',
    });
    expect(s.observedGeneration).toBe(1);
  });

  it('rebuilding an unchanged world gives an identical status (no write)', () => {
    const o = obs({ pod: pod({ running: true, ready: true }), profile: 'standard' });
    const first = buildStatus(o, now);
    const tp = { ...o.tp, status: first };
    const second = buildStatus({ ...o, tp }, new Date(now.getTime() + 60_000));
    expect(second).toEqual(first);
  });
});

describe('TradingPlatform status with a failing WireGuard sidecar', () => {
  it('is Degraded with the sidecar reason when AccessReady reports SidecarFailed', () => {
    const tp = samplePlatform();
    tp.status = {
      conditions: [
        {
          type: 'AccessReady',
          status: 'False',
          reason: 'SidecarFailed',
          message: 'wireguard-go: /dev/net/tun missing',
          lastTransitionTime: now.toISOString(),
        },
      ],
    } as never;
    const a = assess(obs({ tp, pod: pod({ running: true, ready: false }) }));
    expect(a.phase).toBe('Degraded');
    const ready = a.conditions.find((c) => c.type === 'Ready')!;
    expect([ready.status, ready.reason, ready.message]).toEqual([
      'False',
      'SidecarFailed',
      'wireguard-go: /dev/net/tun missing',
    ]);
  });
});
