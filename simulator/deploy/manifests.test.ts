import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { passwordEnvName, simulatorManifests, simulatorYaml } from './manifests.ts';

describe('simulator manifests', () => {
  it('renders Service counter on 9878 and a non-root StatefulSet with a data volume', () => {
    const objs = simulatorManifests({
      accounts: [{ id: '80001234', compId: 'ALICE', password: 's3cret' }],
    }) as any[];
    expect(objs.map((o) => o.kind)).toEqual(['Secret', 'ConfigMap', 'Service', 'StatefulSet']);
    const svc = objs[2];
    expect(svc.metadata).toMatchObject({ name: 'counter', namespace: 'aurum-system' });
    expect(svc.spec.ports[0]).toMatchObject({ name: 'fix', port: 9878 });
    const sts = objs[3];
    const c = sts.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/aurum/simulator:0.1.0');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(sts.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(objs[0].stringData).toEqual({ [passwordEnvName('80001234')]: 's3cret' });
    expect(objs[1].data['simulator.yaml']).not.toContain('s3cret');
  });
  it('is deterministic YAML', () => {
    expect(simulatorYaml({ storage: 'emptyDir' })).toBe(simulatorYaml({ storage: 'emptyDir' }));
    expect(parseAllDocuments(simulatorYaml()).length).toBe(4);
  });
});
