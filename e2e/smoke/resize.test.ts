/**
 * Smoke: in-place pod resize (InPlacePodVerticalScaling). CPU and memory limits of a running container
 * change through the `resize` subresource; the container's cgroup (v1 here: cpu.cfs_quota_us,
 * memory.limit_in_bytes) shows the new limits, and the container was not restarted.
 */
import { describe, expect, it } from 'vitest';
import {
  apply,
  exec,
  kubectl,
  kubectlJson,
  TOOLBOX,
  useNamespace,
  waitFor,
  waitPodReady,
} from '../lib/index.ts';

const MiB = 1024 * 1024;

/** Reads the container's CPU quota (µs per 100 ms period) and memory limit (bytes), cgroup v1 or v2. */
function cgroupLimits(ns: string, pod: string): { quota: number; memory: number } {
  const script = [
    'if [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then',
    '  echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)";',
    'else',
    '  echo "$(cut -d" " -f1 /sys/fs/cgroup/cpu.max) $(cat /sys/fs/cgroup/memory.max)";',
    'fi',
  ].join(' ');
  const out = exec(ns, pod, ['sh', '-c', script]).stdout.trim().split(' ');
  return { quota: Number(out[0]), memory: Number(out[1]) };
}

describe('smoke: in-place resize', () => {
  const ns = useNamespace('smoke-resize');

  it('changes CPU and memory limits of a running container without a restart', async () => {
    apply(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'sized' },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'main',
              image: TOOLBOX,
              imagePullPolicy: 'IfNotPresent',
              command: ['sleep', 'infinity'],
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '128Mi' },
              },
              resizePolicy: [
                { resourceName: 'cpu', restartPolicy: 'NotRequired' },
                { resourceName: 'memory', restartPolicy: 'NotRequired' },
              ],
              securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 },
            },
          ],
        },
      },
      ns.name,
    );
    const before = await waitPodReady(ns.name, 'sized');
    const startedAt = before.status.containerStatuses[0].state.running.startedAt;
    const containerId = before.status.containerStatuses[0].containerID;
    expect(cgroupLimits(ns.name, 'sized')).toEqual({ quota: 50_000, memory: 128 * MiB });

    kubectl([
      '-n',
      ns.name,
      'patch',
      'pod',
      'sized',
      '--subresource',
      'resize',
      // strategic merge (kubectl's default): containers merge by name
      '--patch',
      JSON.stringify({
        spec: {
          containers: [
            {
              name: 'main',
              resources: {
                requests: { cpu: '200m', memory: '96Mi' },
                limits: { cpu: '800m', memory: '256Mi' },
              },
            },
          ],
        },
      }),
    ]);

    const limits = await waitFor(
      () => {
        const l = cgroupLimits(ns.name, 'sized');
        return l.quota === 80_000 && l.memory === 256 * MiB ? l : undefined;
      },
      { timeout: 90_000, describe: 'cgroup to show cpu 800m / memory 256Mi' },
    );
    expect(limits).toEqual({ quota: 80_000, memory: 256 * MiB });

    const after = await waitFor(
      () => {
        const p = kubectlJson(['-n', ns.name, 'get', 'pod', 'sized']);
        return p.status.containerStatuses[0].resources?.limits?.cpu === '800m' ? p : undefined;
      },
      { timeout: 60_000, describe: 'pod status to report the new limits' },
    );
    const cs = after.status.containerStatuses[0];
    expect(cs.restartCount).toBe(0);
    expect(cs.containerID).toBe(containerId);
    expect(cs.state.running.startedAt).toBe(startedAt);
    expect(cs.resources.limits.memory).toBe('256Mi');
    expect(after.spec.containers[0].resources.limits).toEqual({ cpu: '800m', memory: '256Mi' });
  });
});
