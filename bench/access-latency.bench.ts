/**
 * Investor access latency on the real cluster (needs `npm run cluster -- up` and `npm run images`):
 *   grant:  InvestorAccess applied → first successful API call through the tunnel (goal p99 <= 5 s)
 *   revoke: `disabled: true` applied → the same call refused (goal p99 <= 2 s)
 * Each iteration is a fresh access (new key, new address) used from an investor host (a network namespace
 * on this machine) with the wg-quick file from its Secret. The revoke probe sends a request every 100 ms
 * with a 250 ms timeout, so it over-reports by at most ~0.35 s. Ratios are against the goals.
 *   npm run bench -- access-latency [--iterations 10]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  counterSecret,
  ensureOperator,
  InvestorHost,
  platform,
  secretData,
  waitSidecarReady,
} from '../e2e/access/lib.ts';
import { apply, createNamespace, deleteNamespace, kubectl, waitFor } from '../e2e/lib/index.ts';
import type { Benchmark } from './run.ts';

const API = 'http://10.77.0.1:8080/healthz';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
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
    const grant: number[] = [];
    /** Part of the grant: apply → the wg-quick file is in the access Secret (controller + API). */
    const configReady: number[] = [];
    const revoke: number[] = [];
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
      for (let n = 0; n < iterations; n++) {
        const name = `bench-${n}`;
        const ia = (disabled: boolean) => ({
          apiVersion: 'aurum.dev/v1alpha1',
          kind: 'InvestorAccess',
          metadata: { name },
          spec: { platformRef: { name: 'alice' }, username: `bench${n}`, disabled },
        });
        const t0 = Date.now();
        apply(ia(false), ns);
        const conf = await waitFor(
          () => {
            const c = secretData(ns, `${name}-access`)?.['aurum.conf'];
            return c && !c.includes('# Endpoint') ? c : undefined;
          },
          { timeout: 60_000, interval: 50, describe: `${name}-access` },
        );
        const tConf = Date.now();
        configReady.push(tConf - t0);
        await host.connect(conf);
        await waitFor(async () => (await host.status(API, 1)) === 200, {
          timeout: 60_000,
          interval: 50,
          describe: `${name} API through the tunnel`,
        });
        grant.push(Date.now() - t0);
        const t1 = Date.now();
        apply(ia(true), ns);
        for (;;) {
          if ((await host.status(API, 0.25)) === 0) break;
          if (Date.now() - t1 > 60_000) throw new Error(`${name} never cut`);
          await sleep(100);
        }
        revoke.push(Date.now() - t1);
        host.disconnect();
        kubectl(['-n', ns, 'delete', 'investoraccess', name, '--wait=false']);
        console.log(
          `iteration ${n + 1}/${iterations}: grant ${grant.at(-1)} ms (config in Secret after ${configReady.at(-1)} ms), revoke ${revoke.at(-1)} ms`,
        );
      }
    } finally {
      host.destroy();
      await mgr?.stop();
      if (!process.env.BENCH_KEEP_NAMESPACE) deleteNamespace(ns);
    }
    const g = [...grant].sort((a, b) => a - b);
    const r = [...revoke].sort((a, b) => a - b);
    const c = [...configReady].sort((a, b) => a - b);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return (
      `access-latency (n=${iterations}): grant p50 ${s(pct(g, 50))} p99 ${s(pct(g, 99))} (${(pct(g, 99) / 5000).toFixed(2)}× of the 5 s goal); ` +
      `revoke p50 ${s(pct(r, 50))} p99 ${s(pct(r, 99))} (${(pct(r, 99) / 2000).toFixed(2)}× of the 2 s goal); ` +
      `of the grant, config ready p50 ${s(pct(c, 50))}`
    );
  },
};

export default bench;
