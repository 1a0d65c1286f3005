/** Smoke: the cluster really runs pods — a Deployment's pod becomes Ready and serves HTTP. */
import { describe, expect, it } from 'vitest';
import { apply, exec, kubectl, kubectlJson, useNamespace, waitFor, webDeployment } from '../lib/index.ts';

describe('smoke: deployment', () => {
  const ns = useNamespace('smoke-deploy');

  it("a Deployment's pod becomes Ready and answers on its pod IP", async () => {
    apply(webDeployment('web'), ns.name);
    const dep = await waitFor(
      () => {
        const d = kubectlJson(['-n', ns.name, 'get', 'deployment', 'web']);
        return d.status?.readyReplicas === 1 ? d : undefined;
      },
      { timeout: 180_000, describe: 'deployment web readyReplicas=1' },
    );
    expect(dep.status.availableReplicas).toBe(1);
    const pod = kubectlJson(['-n', ns.name, 'get', 'pods', '-l', 'app=web']).items[0];
    expect(pod.status.podIP).toMatch(/^10\.244\./);
    // The kubelet's probe passed; ask the server ourselves from inside the pod too.
    const r = exec(ns.name, pod.metadata.name, ['curl', '-sS', '--max-time', '5', 'http://127.0.0.1:8080/']);
    expect(r.stdout).toBe(`hello from ${pod.metadata.name}`);
    expect(
      kubectl(['-n', ns.name, 'get', 'pod', pod.metadata.name, '-o', 'jsonpath={.spec.nodeName}']).stdout,
    ).not.toBe('');
  });
});
