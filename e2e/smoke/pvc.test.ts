/** Smoke: the default StorageClass provisions volumes — a PVC binds and a non-root pod writes to it. */
import { describe, expect, it } from 'vitest';
import { apply, exec, kubectlJson, TOOLBOX, useNamespace, waitFor, waitPodReady } from '../lib/index.ts';

describe('smoke: persistent volume', () => {
  const ns = useNamespace('smoke-pvc');

  it('binds a PVC of the default StorageClass and mounts it writable for a non-root pod', async () => {
    const classes = kubectlJson(['get', 'storageclass']).items as any[];
    const dflt = classes.filter(
      (c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    );
    expect(dflt).toHaveLength(1);

    apply(
      [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'writer' },
          spec: {
            terminationGracePeriodSeconds: 0,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
            containers: [
              {
                name: 'main',
                image: TOOLBOX,
                imagePullPolicy: 'IfNotPresent',
                command: ['sleep', 'infinity'],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
          },
        },
      ],
      ns.name,
    );
    const pvc = await waitFor(
      () => {
        const p = kubectlJson(['-n', ns.name, 'get', 'pvc', 'data']);
        return p.status?.phase === 'Bound' ? p : undefined;
      },
      { timeout: 180_000, describe: 'PVC data Bound' },
    );
    expect(pvc.spec.storageClassName).toBe(dflt[0].metadata.name);
    await waitPodReady(ns.name, 'writer');
    const w = exec(ns.name, 'writer', ['sh', '-c', 'echo gold > /data/probe && cat /data/probe']);
    expect(w.stdout.trim()).toBe('gold');
  });
});
