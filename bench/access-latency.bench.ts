/**
 * Investor access latency on the real cluster (needs `npm run cluster -- up` and `npm run images`):
 *   grant:  InvestorAccess applied → first successful API call through the tunnel (goal p99 <= 5 s)
 *   revoke: `disabled: true` applied → the same call refused (goal p99 <= 2 s)
 * Each iteration is a fresh access (new key, new address) used from an investor host (a network namespace
 * on this machine) with the wg-quick file from its Secret, as soon as the file is there.
 *
 * Measurement, kept off the measured path: the InvestorAccess is applied through the API (no kubectl
 * process), the Secrets are followed by one watch (not by polling kubectl, which also blocked this process
 * and with it an in-process controller), and one prober process inside the investor host opens a new
 * connection to the API every 50 ms (overlapping, 500 ms timeout). Grant ends when the first 200 arrives;
 * revoke ends at the send time of the first request of the final run of refused ones (granularity 50 ms).
 * The split (p50): InvestorAccess accepted by the API server, peer listed in `<platform>-peers`, wg-quick file
 * in the access Secret, investor's tunnel configured; revoke: peer delisted. Ratios are against the goals.
 *   npm run bench -- access-latency [--iterations 10]
 */
import {
  counterSecret,
  ensureOperator,
  InvestorHost,
  platform,
  SecretWatch,
  TunnelProber,
  waitSidecarReady,
} from '../e2e/access/lib.ts';
import { apply, createNamespace, deleteNamespace, kubeConfig } from '../e2e/lib/index.ts';
import { KubeClient } from '../operator/kube/client.ts';
import { type KubeObject, objectPath } from '../operator/kube/resources.ts';
import type { Benchmark } from './run.ts';

const API = 'http://10.77.0.1:8080/healthz';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Iteration {
  grant: number;
  revoke: number;
  /** Parts of the grant, from apply. */
  applied: number;
  peerListed: number;
  configReady: number;
  tunnelUp: number;
  /** Part of the revoke, from apply. */
  peerDelisted: number;
}

const bench: Benchmark = {
  summary:
    'InvestorAccess applied → first API call through the tunnel, and revoke → refused (p50/p99 vs goals 5 s / 2 s)',
  async run(args: string[]): Promise<string> {
    const i = args.indexOf('--iterations');
    const iterations = i >= 0 ? Number(args[i + 1]) : 10;
    const ns = createNamespace('bench-access');
    const host = new InvestorHost(240, Math.random().toString(36).slice(2, 6));
    const mgr = await ensureOperator(ns);
    const client = new KubeClient(kubeConfig());
    const secrets = new SecretWatch(ns);
    let prober: TunnelProber | undefined;
    const rows: Iteration[] = [];
    try {
      host.create();
      apply(
        [
          counterSecret('alice'),
          platform('alice', ns),
          {
            apiVersion: 'aurum.dev/v1alpha1',
            kind: 'NetworkPolicySpec',
            metadata: { name: 'default' },
            spec: { vpnIngress: { sourceCidrs: ['10.231.0.0/16'] } },
          },
        ],
        ns,
      );
      await waitSidecarReady(ns, 'alice-runtime-0');
      await secrets.start();
      prober = new TunnelProber(host.ns, API, 50, 500);
      for (let n = 0; n < iterations; n++) {
        const name = `bench-${n}`;
        const ia = (disabled: boolean): KubeObject =>
          ({
            apiVersion: 'aurum.dev/v1alpha1',
            kind: 'InvestorAccess',
            metadata: { name, namespace: ns },
            spec: { platformRef: { name: 'alice' }, username: `bench${n}`, disabled },
          }) as KubeObject;
        const applyAccess = (o: KubeObject) =>
          client.request(
            'PATCH',
            `${objectPath(o)}?fieldManager=bench&force=true`,
            o,
            'application/apply-patch+yaml',
          );
        const listed = (d: Record<string, string>) => (d['peers.json'] ?? '').includes(`"${name}"`);
        const t0 = Date.now();
        const peerListed = secrets.when('alice-peers', listed);
        await applyAccess(ia(false));
        const applied = Date.now() - t0;
        const tConf = await secrets.when(`${name}-access`, (d) => {
          const c = d['aurum.conf'];
          return !!c && c.includes('Endpoint = ') && !c.includes('# Endpoint');
        });
        await host.connect(secrets.get(`${name}-access`)?.['aurum.conf'] as string);
        const tUp = Date.now();
        const ok = await prober.firstAnswer(t0);
        const tPeer = await peerListed;
        const t1 = Date.now();
        const delisted = secrets.when('alice-peers', (d) => !listed(d));
        await applyAccess(ia(true));
        const cut = await prober.cutSince(t1);
        const tGone = await delisted;
        rows.push({
          grant: ok.end - t0,
          revoke: cut - t1,
          applied,
          peerListed: tPeer - t0,
          configReady: tConf - t0,
          tunnelUp: tUp - t0,
          peerDelisted: tGone - t1,
        });
        host.disconnect();
        await client.delete(objectPath(ia(true)));
        const r = rows.at(-1) as Iteration;
        console.log(
          `iteration ${n + 1}/${iterations}: grant ${r.grant} ms (applied ${r.applied}, peer listed ${r.peerListed}, config in Secret ${r.configReady}, tunnel up ${r.tunnelUp}), revoke ${r.revoke} ms (peer delisted ${r.peerDelisted})`,
        );
      }
    } finally {
      prober?.stop();
      secrets.stop();
      host.destroy();
      await client.close();
      await mgr?.stop();
      if (!process.env.BENCH_KEEP_NAMESPACE) deleteNamespace(ns);
    }
    const col = (k: keyof Iteration) => rows.map((r) => r[k]).sort((a, b) => a - b);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const g = col('grant');
    const r = col('revoke');
    const p50 = (k: keyof Iteration) => s(pct(col(k), 50));
    return (
      `access-latency (n=${rows.length}): grant p50 ${s(pct(g, 50))} p99 ${s(pct(g, 99))} (${(pct(g, 99) / 5000).toFixed(2)}× of the 5 s goal); ` +
      `revoke p50 ${s(pct(r, 50))} p99 ${s(pct(r, 99))} (${(pct(r, 99) / 2000).toFixed(2)}× of the 2 s goal); ` +
      `grant split p50: applied ${p50('applied')}, peer listed ${p50('peerListed')}, config in Secret ${p50('configReady')}, tunnel up ${p50('tunnelUp')}; ` +
      `revoke split p50: peer delisted ${p50('peerDelisted')}`
    );
  },
};

export default bench;
