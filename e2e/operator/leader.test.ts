/**
 * Two operator replicas: killing the leader in the middle of reconciling a batch hands the lease to the other
 * replica, which converges every platform.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, kubectl, kubectlJson, useNamespace, waitFor } from '../lib/index.ts';
import { counterSecret, deployOperator, leader, OPERATOR_NS, platform } from './lib.ts';

const ns = useNamespace('op-leader');
const N = 12;

describe('leader election', () => {
  beforeAll(async () => {
    await deployOperator();
  });

  it('the standby takes over when the leader is killed mid-reconcile, and converges', async () => {
    const first = await waitFor(() => leader(), { describe: 'a leader' });
    const objects: object[] = [];
    for (let i = 0; i < N; i++) {
      objects.push(counterSecret(ns.name, `p${i}-counter`));
      objects.push(platform(ns.name, `p${i}`, { paused: true }));
    }
    apply(objects);
    kubectl(['-n', OPERATOR_NS, 'delete', 'pod', first, '--grace-period=0', '--force', '--wait=false']);
    const second = await waitFor(
      () => {
        const l = leader();
        return l && l !== first ? l : undefined;
      },
      { describe: 'a new leader', timeout: 90_000 },
    );
    expect(second).not.toBe(first);
    await waitFor(
      () => {
        const list = kubectlJson<{ items: any[] }>(['-n', ns.name, 'get', 'tradingplatforms']);
        return (
          list.items.length === N &&
          list.items.every(
            (tp) =>
              tp.status?.observedGeneration === tp.metadata.generation &&
              tp.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
          )
        );
      },
      { describe: `all ${N} platforms converged by the new leader`, timeout: 120_000 },
    );
    const sts = kubectlJson<{ items: any[] }>(['-n', ns.name, 'get', 'statefulsets']);
    expect(sts.items.length).toBe(N);
  });
});
