/** Smoke: Services and cluster DNS — a Service name resolves through CoreDNS and answers via kube-proxy. */
import { describe, expect, it } from 'vitest';
import {
  apply,
  exec,
  kubectlJson,
  toolboxPod,
  useNamespace,
  waitFor,
  waitPodReady,
  webDeployment,
} from '../lib/index.ts';

describe('smoke: service DNS', () => {
  const ns = useNamespace('smoke-dns');

  it('resolves the Service name to its ClusterIP and gets an answer through it', async () => {
    apply(
      [
        webDeployment('web'),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web' },
          spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
        },
        toolboxPod('client'),
      ],
      ns.name,
    );
    await waitPodReady(ns.name, 'client');
    const svc = kubectlJson(['-n', ns.name, 'get', 'service', 'web']);
    const fqdn = `web.${ns.name}.svc.cluster.local`;

    const ip = await waitFor(
      () => exec(ns.name, 'client', ['dig', '+short', '+time=2', '+tries=1', fqdn]).stdout.trim(),
      { timeout: 60_000, describe: `DNS A record of ${fqdn}` },
    );
    expect(ip).toBe(svc.spec.clusterIP);

    // Short name through the pod's search path (resolv.conf from the kubelet), then HTTP via the ClusterIP.
    const body = await waitFor(
      () => {
        const r = exec(ns.name, 'client', ['curl', '-sS', '--max-time', '3', 'http://web/']);
        return r.code === 0 ? r.stdout : undefined;
      },
      { timeout: 120_000, describe: 'HTTP answer from http://web/' },
    );
    expect(body).toMatch(/^hello from web-/);
  });
});
