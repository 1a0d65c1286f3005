/**
 * The counter simulator image on the real cluster: the StatefulSet from simulator/deploy becomes Ready,
 * and a FIX client reaches it through the Service (counter.<ns>.svc:9878), logs on, takes market data and
 * gets a fill. Data survives deleting the pod (PVC).
 * Needs the image: `npm run images` (docker.io/aurum/simulator:0.1.0).
 */
import { describe, expect, it } from 'vitest';
import { simulatorManifests } from '../../simulator/deploy/manifests.ts';
import { apply, exec, kubectl, kubectlJson, useNamespace, waitFor } from '../lib/index.ts';

describe('simulator on the cluster', () => {
  const ns = useNamespace('e2e-sim');

  it('runs, serves FIX through Service counter, and keeps its data across a pod restart', async () => {
    apply(
      simulatorManifests({
        namespace: ns.name,
        accounts: [{ id: '80001234', compId: 'ALICE', password: 'e2e-pass' }],
      }),
      ns.name,
    );
    const ready = () =>
      waitFor(
        () => {
          const s = kubectlJson(['-n', ns.name, 'get', 'statefulset', 'counter']);
          return s.status?.readyReplicas === 1 ? s : undefined;
        },
        { timeout: 240_000, describe: 'statefulset counter readyReplicas=1' },
      );
    await ready();
    const probe = () =>
      exec(ns.name, 'counter-0', [
        'node',
        '/app/simulator/probe.ts',
        '--host',
        `counter.${ns.name}.svc.cluster.local`,
        '--port',
        '9878',
        '--sender',
        'ALICE',
        '--account',
        '80001234',
        '--password',
        'e2e-pass',
      ]);
    const r = probe();
    const line = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{"logon"'))
      .pop();
    expect(line, r.stdout + r.stderr).toBeDefined();
    const out = JSON.parse(line!);
    expect(out).toMatchObject({ logon: true, bids: 5, asks: 5 });
    expect(out.execTypes).toContain('F');

    const acct = JSON.parse(
      exec(ns.name, 'counter-0', [
        'node',
        '-e',
        "fetch('http://127.0.0.1:8081/accounts/80001234').then(r=>r.text()).then(console.log)",
      ]).stdout,
    );
    expect(Object.keys(acct.positions).length).toBeGreaterThan(0);

    kubectl(['-n', ns.name, 'delete', 'pod', 'counter-0', '--wait=true']);
    await ready();
    const again = JSON.parse(
      exec(ns.name, 'counter-0', [
        'node',
        '-e',
        "fetch('http://127.0.0.1:8081/accounts/80001234').then(r=>r.text()).then(console.log)",
      ]).stdout,
    );
    expect(again.positions).toEqual(acct.positions);
    expect(again.balance).toBe(acct.balance);
  });
});
