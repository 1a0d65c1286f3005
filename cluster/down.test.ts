import { describe, expect, it } from 'vitest';
import { clusterMounts } from './down.ts';
import { formatStatus } from './status.ts';

const MOUNTINFO = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '301 22 0:50 / /var/lib/aurum/cluster/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access rw - tmpfs tmpfs rw',
  '302 22 0:51 / /run/aurum/containerd/io.containerd.runtime.v2.task/k8s.io/123/rootfs rw - overlay overlay rw',
  '303 22 0:52 / /run/aurum/containerd/io.containerd.grpc.v1.cri/sandboxes/123/shm rw - tmpfs shm rw',
  '304 22 0:4 / /run/netns/cni-1234-abcd rw - nsfs nsfs rw',
  '305 22 0:53 / /var/lib/docker/overlay2/x/merged rw - overlay overlay rw',
  '306 22 0:54 / /var/lib/aurum/cluster-other rw - tmpfs tmpfs rw',
].join('\n');

describe('clusterMounts', () => {
  it('lists only mounts under the cluster directories, deepest first', () => {
    const m = clusterMounts(MOUNTINFO, ['/var/lib/aurum/cluster', '/run/aurum/containerd']);
    expect(m).toEqual([
      '/var/lib/aurum/cluster/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access',
      '/run/aurum/containerd/io.containerd.runtime.v2.task/k8s.io/123/rootfs',
      '/run/aurum/containerd/io.containerd.grpc.v1.cri/sandboxes/123/shm',
    ]);
  });

  it('finds CNI network namespaces separately', () => {
    expect(clusterMounts(MOUNTINFO, ['/run/netns'])).toEqual(['/run/netns/cni-1234-abcd']);
  });
});

describe('formatStatus', () => {
  it('aligns names and marks unhealthy components', () => {
    expect(
      formatStatus([
        { name: 'etcd', ok: true, detail: 'pid 1, healthy' },
        { name: 'kube-apiserver', ok: false, detail: 'not running' },
      ]),
    ).toBe('✓ etcd            pid 1, healthy\n✗ kube-apiserver  not running');
  });
});
