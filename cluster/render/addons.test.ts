import { describe, expect, it } from 'vitest';
import { corednsManifests, patchLocalPathManifest, renderCorefile } from './addons.ts';

const UPSTREAM = `apiVersion: v1
kind: Namespace
metadata:
  name: local-path-storage
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: local-path-provisioner
  namespace: local-path-storage
spec:
  template:
    spec:
      containers:
        - name: local-path-provisioner
          image: rancher/local-path-provisioner:v0.0.30
          imagePullPolicy: IfNotPresent
          command:
            - local-path-provisioner
            - --debug
            - start
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-path
provisioner: rancher.io/local-path
---
kind: ConfigMap
apiVersion: v1
metadata:
  name: local-path-config
data:
  config.json: "{}"
  helperPod.yaml: |-
    spec:
      containers:
      - name: helper-pod
        image: busybox
        imagePullPolicy: IfNotPresent
`;

describe('patchLocalPathManifest', () => {
  const docs = patchLocalPathManifest(UPSTREAM, '/var/lib/aurum/cluster/local-path') as any[];
  it('uses local images and keeps upstream arguments', () => {
    const c = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/aurum/local-path-provisioner:v0.0.30');
    expect(c.command).toEqual(['/local-path-provisioner', '--debug', 'start']);
  });
  it('marks the StorageClass default and points volumes at the state dir with the busybox helper', () => {
    const sc = docs.find((d) => d.kind === 'StorageClass');
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    expect(JSON.parse(cm.data['config.json']).nodePathMap[0].paths).toEqual([
      '/var/lib/aurum/cluster/local-path',
    ]);
    expect(cm.data['helperPod.yaml']).toContain('image: docker.io/aurum/cluster-helper:0.1.0');
    expect(cm.data['helperPod.yaml']).not.toMatch(/image: busybox/);
  });
});

describe('CoreDNS', () => {
  it('serves only the cluster zone (no forward) behind the cluster DNS address', () => {
    expect(renderCorefile()).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa');
    expect(renderCorefile()).not.toContain('forward');
    const svc = corednsManifests().find((o) => o.kind === 'Service') as any;
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.metadata.name).toBe('kube-dns');
  });
});
