/**
 * The TradingPlatform lifecycle on the real cluster, with the operator deployed (2 replicas) and the stub
 * runtime: example → Ready; profile change → resized in place; drift → repaired; missing Secret → named
 * in Ready=False and recovered; pause; deletion → children gone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, kubectl, kubectlJson, useNamespace, waitFor } from '../lib/index.ts';
import {
  condition,
  counterSecret,
  deployOperator,
  exampleManifests,
  getPlatform,
  platform,
  waitCondition,
} from './lib.ts';

const ns = useNamespace('op-platform');
const runtimeContainer = (pod: any) => pod.status.containerStatuses.find((c: any) => c.name === 'runtime');
const uidOf = (kind: string, name: string) =>
  kubectl(['-n', ns.name, 'get', kind, name, '-o', 'jsonpath={.metadata.uid}'], {
    check: false,
  }).stdout.trim();

describe('TradingPlatform lifecycle', () => {
  beforeAll(async () => {
    await deployOperator();
  });

  it('applies the example and reaches Ready (runtime running, counter connected)', async () => {
    apply(exampleManifests(ns.name));
    const tp = await waitCondition(ns.name, 'alice', 'Ready', 'True', 'Ready', 240_000);
    expect(tp.status.phase).toBe('Ready');
    expect(condition(tp, 'RuntimeReady').status).toBe('True');
    expect(condition(tp, 'CounterConnected').status).toBe('True');
    expect(tp.status.runtime).toMatchObject({ pod: 'alice-runtime-0', profile: 'standard' });
    const cm = kubectlJson(['-n', ns.name, 'get', 'configmap', 'alice-runtime-config']);
    const cfg = JSON.parse(cm.data['runtime.json']);
    expect(cfg.counter.endpoints[0]).toEqual({ host: 'counter.aurum-system.svc', port: 9878 });
    expect(JSON.stringify(cfg)).not.toContain('change-me');
    const sts = kubectlJson(['-n', ns.name, 'get', 'statefulset', 'alice-runtime', '--show-managed-fields']);
    expect(sts.metadata.managedFields.map((m: any) => m.manager)).toContain('aurum-operator');
  });

  it('changes profile in place: same pod, same container start, no restart', async () => {
    const before = kubectlJson(['-n', ns.name, 'get', 'pod', 'alice-runtime-0']);
    const started = runtimeContainer(before).state.running.startedAt;
    kubectl([
      '-n',
      ns.name,
      'patch',
      'tradingplatform',
      'alice',
      '--type=merge',
      '-p',
      '{"spec":{"runtime":{"profile":"large"}}}',
    ]);
    const after = await waitFor(
      () => {
        const pod = kubectlJson(['-n', ns.name, 'get', 'pod', 'alice-runtime-0']);
        const c = runtimeContainer(pod);
        return c?.resources?.limits?.memory === '768Mi' && c?.resources?.limits?.cpu === '1'
          ? pod
          : undefined;
      },
      { describe: 'container resources of profile large', timeout: 120_000 },
    );
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(runtimeContainer(after).state.running.startedAt).toBe(started);
    expect(runtimeContainer(after).restartCount).toBe(0);
    const tp = await waitFor(
      () => {
        const t = getPlatform(ns.name, 'alice');
        return t.status.runtime.profile === 'large' && condition(t, 'Ready')?.status === 'True'
          ? t
          : undefined;
      },
      { describe: 'status shows profile large and Ready' },
    );
    expect(tp.status.runtime.resizeMethod).toBe('InPlace');
    expect(tp.status.runtime.resources.limits).toEqual({ cpu: '1', memory: '768Mi' });
    expect(tp.status.runtime.podUID).toBe(before.metadata.uid);
  });

  it('restores deleted and edited children', async () => {
    const svcUid = uidOf('service', 'alice-runtime');
    const cmUid = uidOf('configmap', 'alice-runtime-config');
    kubectl(['-n', ns.name, 'delete', 'service/alice-runtime', 'configmap/alice-runtime-config']);
    await waitFor(
      () => {
        const s = uidOf('service', 'alice-runtime');
        const c = uidOf('configmap', 'alice-runtime-config');
        return s && c && s !== svcUid && c !== cmUid;
      },
      { describe: 'Service and ConfigMap recreated', timeout: 60_000 },
    );
    kubectl([
      '-n',
      ns.name,
      'patch',
      'configmap',
      'alice-runtime-config',
      '--type=merge',
      '-p',
      '{"data":{"runtime.json":"{}"}}',
    ]);
    await waitFor(
      () =>
        JSON.parse(
          kubectlJson(['-n', ns.name, 'get', 'configmap', 'alice-runtime-config']).data['runtime.json'],
        ).counter,
      { describe: 'edited ConfigMap corrected', timeout: 60_000 },
    );
    kubectl(['-n', ns.name, 'scale', 'statefulset', 'alice-runtime', '--replicas=0']);
    await waitFor(
      () => kubectlJson(['-n', ns.name, 'get', 'statefulset', 'alice-runtime']).spec.replicas === 1,
      {
        describe: 'StatefulSet replicas corrected to 1',
        timeout: 60_000,
      },
    );
    await waitCondition(ns.name, 'alice', 'Ready', 'True', 'Ready', 180_000);
  });

  it('a missing Secret sets Ready=False naming it, and recovers when it appears', async () => {
    apply(platform(ns.name, 'bob'));
    const tp = await waitCondition(ns.name, 'bob', 'Ready', 'False', 'SecretMissing', 60_000);
    expect(condition(tp, 'Ready').message).toContain(`${ns.name}/bob-counter`);
    expect(condition(tp, 'Stalled')?.status).toBe('True');
    apply(counterSecret(ns.name, 'bob-counter'));
    const ok = await waitCondition(ns.name, 'bob', 'Ready', 'True', 'Ready', 240_000);
    expect(condition(ok, 'Stalled')).toBeUndefined();
  });

  it('paused stops the runtime and keeps its volume', async () => {
    kubectl([
      '-n',
      ns.name,
      'patch',
      'tradingplatform',
      'bob',
      '--type=merge',
      '-p',
      '{"spec":{"paused":true}}',
    ]);
    const tp = await waitCondition(ns.name, 'bob', 'Ready', 'True', 'Paused', 120_000);
    expect(tp.status.phase).toBe('Paused');
    expect(kubectl(['-n', ns.name, 'get', 'pod', 'bob-runtime-0'], { check: false }).code).not.toBe(0);
    expect(uidOf('pvc', 'journal-bob-runtime-0')).not.toBe('');
  });

  it('deleting a TradingPlatform removes its children', async () => {
    kubectl(['-n', ns.name, 'delete', 'tradingplatform', 'bob', '--wait=true']);
    await waitFor(
      () =>
        [
          'statefulset/bob-runtime',
          'service/bob-runtime',
          'configmap/bob-runtime-config',
          'pvc/journal-bob-runtime-0',
        ].every((o) => kubectl(['-n', ns.name, 'get', o], { check: false }).code !== 0),
      { describe: 'children of bob garbage-collected', timeout: 120_000 },
    );
  });
});
