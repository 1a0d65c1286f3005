/**
 * GitOps health: a TradingPlatform's status is kstatus-conformant through its whole lifecycle, judged by the
 * reference implementation (sigs.k8s.io/cli-utils kstatus, which Flux uses for `wait: true`), and the Argo CD
 * health check shipped in charts/gitops agrees with it at every observed step:
 *   create → progress (InProgress) → ready (Current) → bad reference (Failed: Stalled) → fixed (Current).
 * The operator is the real one, installed by the chart; controllers its image does not run yet (the access
 * controller, which creates the platform's WireGuard key the pod mounts) run in this process, as in e2e/access.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLuaHarness, evaluate } from '../../charts/gitops/harness.ts';
import type { Manager } from '../../operator/kube/manager.ts';
import { ensureOperator } from '../access/lib.ts';
import { installAurum, platformManifests } from '../chart/lib.ts';
import { apply, kubectl, kubectlJson, useNamespace, waitFor } from '../lib/index.ts';
import { buildKstatus, type KStatus, kstatus } from './kstatus.ts';

const HEALTH_LUA = join(import.meta.dirname, '..', '..', 'charts', 'gitops', 'health.lua');
/** kstatus → Argo CD health, as the Argo CD docs and Flux agree. */
const ARGO_FOR: Record<string, string> = {
  Current: 'Healthy',
  InProgress: 'Progressing',
  Failed: 'Degraded',
};

interface Sample {
  at: number;
  object: any;
  k: KStatus;
  argo: string;
}

describe('kstatus conformance of TradingPlatform status (GitOps health)', () => {
  const ns = useNamespace('gitops');
  let ks = '';
  let lua = '';
  const samples: Sample[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inProcess: Manager | undefined;

  beforeAll(async () => {
    ks = buildKstatus();
    lua = buildLuaHarness();
    installAurum();
    inProcess = await ensureOperator();
  });
  afterAll(async () => {
    clearInterval(timer);
    await inProcess?.stop();
  });

  /** Reads the platform, judges it with kstatus and the Argo CD script, records the sample. */
  function sample(): Sample | undefined {
    const r = kubectl(['-n', ns.name, 'get', 'tradingplatform', 'gitops', '-o', 'json'], { check: false });
    if (r.code !== 0) return undefined;
    const object = JSON.parse(r.stdout);
    const [k] = kstatus(ks, [object]);
    const [argo] = evaluate(lua, HEALTH_LUA, [object]);
    const s = { at: Date.now(), object, k: k!, argo: argo!.status };
    samples.push(s);
    return s;
  }

  /**
   * Samples until kstatus says `want` for a status the operator wrote for the current generation (kstatus
   * also calls an object Current before any status exists: that is not the operator's verdict).
   */
  const until = (want: KStatus['status'], describe: string, timeout = 180_000) =>
    waitFor(
      () => {
        const s = sample();
        const observed = s?.object.status?.observedGeneration === s?.object.metadata.generation;
        return s?.k.status === want && observed ? s : undefined;
      },
      { describe, timeout, interval: 500 },
    );

  it('goes InProgress → Current after creation, and InProgress → Current again after a spec change', async () => {
    apply(platformManifests(ns.name, 'gitops'));
    timer = setInterval(sample, 400); // keep sampling in the background, to catch short-lived states
    const ready = await until('Current', 'the new platform to become Current', 300_000);
    // Nothing the operator wrote on the way to Ready said "failed" (a busy operator may write Ready first).
    const before = samples.filter(
      (s) => s.object.status?.observedGeneration !== undefined && s.at <= ready.at,
    );
    expect(before.map((s) => s.k.status)).not.toContain('Failed');
    expect(ready.object.status.observedGeneration).toBe(ready.object.metadata.generation);
    expect(ready.object.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');

    // A spec change is InProgress until the operator has observed the new generation: deterministic.
    kubectl([
      '-n',
      ns.name,
      'patch',
      'tradingplatform',
      'gitops',
      '--type=merge',
      '-p',
      '{"spec":{"risk":{"maxOrderLots":4}}}',
    ]);
    const changed = sample()!;
    if ((changed.object.status?.observedGeneration ?? 0) < changed.object.metadata.generation)
      expect(changed.k.status).toBe('InProgress');
    const again = await until('Current', 'the changed platform to become Current again', 300_000);
    expect(again.object.status.observedGeneration).toBe(again.object.metadata.generation);
    expect(samples.some((s) => s.k.status === 'InProgress')).toBe(true);
  });

  it('goes Failed (Stalled) on a reference to a missing Secret, naming it', async () => {
    kubectl([
      '-n',
      ns.name,
      'patch',
      'tradingplatform',
      'gitops',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { counter: { credentialsSecretRef: { name: 'no-such-secret' } } } }),
    ]);
    const failed = await until('Failed', 'the platform to stall on the missing Secret', 300_000);
    expect(failed.k.message).toContain('no-such-secret');
    const stalled = failed.object.status.conditions.find((c: any) => c.type === 'Stalled');
    expect(stalled.status).toBe('True');
    expect(failed.object.status.observedGeneration).toBe(failed.object.metadata.generation);
  });

  it('recovers to Current when the reference is fixed', async () => {
    kubectl([
      '-n',
      ns.name,
      'patch',
      'tradingplatform',
      'gitops',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { counter: { credentialsSecretRef: { name: 'gitops-counter' } } } }),
    ]);
    const back = await until('Current', 'the platform to recover', 300_000);
    expect(back.object.status.conditions.some((c: any) => c.type === 'Stalled')).toBe(false);
  });

  it('never contradicts itself: every sample is a valid kstatus state, and Argo CD health agrees with kstatus', () => {
    clearInterval(timer);
    expect(samples.length).toBeGreaterThan(3);
    for (const s of samples) {
      expect(s.k.error, JSON.stringify(s.object.status)).toBeUndefined();
      const generationCaughtUp = s.object.status?.observedGeneration === s.object.metadata.generation;
      // Before the operator's first status write kstatus cannot know better than "Current"; Argo waits.
      if (!s.object.status) continue;
      expect([s.k.status, s.argo], JSON.stringify(s.object.status)).toEqual([
        s.k.status,
        ARGO_FOR[s.k.status],
      ]);
      if (!generationCaughtUp) expect(s.k.status).toBe('InProgress');
    }
    const order = samples.filter((s) => s.object.status).map((s) => s.k.status);
    const collapsed = order.filter((v, i) => i === 0 || v !== order[i - 1]);
    expect(collapsed[collapsed.length - 1]).toBe('Current');
    expect(collapsed).toContain('Failed');
  });

  it('reads the same from kubectl wait as from kstatus (the Ready condition GitOps tools key on)', () => {
    const r = kubectl([
      '-n',
      ns.name,
      'wait',
      '--for=condition=Ready',
      'tradingplatform/gitops',
      '--timeout=30s',
    ]);
    expect(r.stdout).toContain('condition met');
    const tp = kubectlJson(['-n', ns.name, 'get', 'tradingplatform', 'gitops']);
    expect(kstatus(ks, [tp])[0]!.status).toBe('Current');
  });
});
