import { describe, expect, it } from 'vitest';
import { RuntimeConfigSchema } from '../../common/runtime-config.ts';
import { parseOperatorConfig } from '../config.ts';
import type { KubeObject } from '../kube/resources.ts';
import { samplePlatform } from './fixtures.ts';
import { POD_HASH_ANNOTATION } from './names.ts';
import { renderPlatform } from './platform.ts';

const config = parseOperatorConfig({});

function rendered(tp = samplePlatform()) {
  const r = renderPlatform(tp, config);
  if (!r.ok) throw new Error(r.message);
  const byKind = Object.fromEntries(r.objects.map((o) => [o.kind, o])) as Record<
    string,
    KubeObject & { spec: any; data?: any }
  >;
  return { r, byKind };
}

describe('renderPlatform', () => {
  it('renders ConfigMap, Service and StatefulSet, all owned by the platform with deterministic names', () => {
    const { r, byKind } = rendered();
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/aurum-runtime-alice',
      'Role/aurum-runtime-alice',
      'RoleBinding/aurum-runtime-alice',
      'ConfigMap/alice-runtime-config',
      'Service/alice-runtime',
      'StatefulSet/alice-runtime',
    ]);
    for (const o of r.objects) {
      expect(o.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'TradingPlatform', name: 'alice', uid: 'uid-1', controller: true }),
      ]);
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('aurum-operator');
    }
    expect(byKind.Service!.spec.ports[0].port).toBe(8080);
  });

  it('renders a runtime.json the runtime contract accepts, with no secrets in it', () => {
    const { byKind } = rendered();
    const text = byKind.ConfigMap!.data['runtime.json'];
    const cfg = RuntimeConfigSchema.parse(JSON.parse(text));
    expect(cfg.counter.credentialsDir).toBe('/etc/aurum/counter');
    expect(cfg.strategies[0]!.file).toBe('/etc/aurum/strategies/trend/strategy.js');
    expect(cfg.risk.maxOrderLots).toBe(5);
    expect(text).not.toMatch(/password/i);
  });

  it('uses the profile, overridden field by field by explicit resources', () => {
    const { r, byKind } = rendered(
      samplePlatform({ runtime: { profile: 'large', resources: { limits: { memory: '1Gi' } } } }),
    );
    expect(r.ok && r.profile).toBe('large');
    const c = byKind.StatefulSet!.spec.template.spec.containers[0];
    expect(c.resources).toEqual({
      requests: { cpu: '200m', memory: '256Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(c.resizePolicy.every((p: any) => p.restartPolicy === 'NotRequired')).toBe(true);
  });

  it('reports an unknown profile instead of rendering', () => {
    const r = renderPlatform(samplePlatform({ runtime: { profile: 'huge' } }), config);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('UnknownProfile');
    expect(!r.ok && r.message).toContain('huge');
  });

  it('paused means 0 replicas and keeps the claim template; updates never recreate pods by themselves', () => {
    const { byKind } = rendered(samplePlatform({ paused: true }));
    const sts = byKind.StatefulSet!.spec;
    expect(sts.replicas).toBe(0);
    expect(sts.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(sts.persistentVolumeClaimRetentionPolicy).toEqual({ whenScaled: 'Retain', whenDeleted: 'Delete' });
    expect(sts.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
  });

  it('mounts counter Secret and strategy ConfigMaps read-only; runs non-root on a read-only root fs', () => {
    const { byKind } = rendered();
    const pod = byKind.StatefulSet!.spec.template.spec;
    const vols = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    expect(vols.counter.secret.secretName).toBe('alice-counter');
    expect(vols.strategies.projected.sources[0].configMap).toEqual({
      name: 'ema-cross',
      items: [{ key: 'strategy.js', path: 'trend/strategy.js' }],
    });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
  });

  it('pod hash ignores resources but follows image and configuration', () => {
    const hash = (tp: ReturnType<typeof samplePlatform>) =>
      rendered(tp).byKind.StatefulSet!.spec.template.metadata.annotations[POD_HASH_ANNOTATION];
    const base = hash(samplePlatform());
    expect(hash(samplePlatform({ runtime: { profile: 'large' } }))).toBe(base);
    expect(hash(samplePlatform({ runtime: { image: 'docker.io/aurum/runtime:0.2.0' } }))).not.toBe(base);
    expect(hash(samplePlatform({ risk: { maxOrderLots: 2 } }))).not.toBe(base);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(rendered().r)).toBe(JSON.stringify(rendered().r));
  });
});
