/** Smoke: the cluster really runs pods — a Deployment's pod becomes Ready and serves HTTP. */
import { describe, expect, it } from 'vitest';
import { apply, exec, kubectl, kubectlJson, TOOLBOX, useNamespace, waitFor } from '../lib/index.ts';

/** A Deployment serving "hello from <pod>" on :8080 with an HTTP readiness probe (node from the image). */
export function webDeployment(name: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'web',
              image: TOOLBOX,
              imagePullPolicy: 'IfNotPresent',
              command: [
                'node',
                '-e',
                "require('http').createServer((q,s)=>s.end('hello from '+require('os').hostname())).listen(8080)",
              ],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 },
            },
          ],
        },
      },
    },
  };
}

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
    expect(kubectl(['-n', ns.name, 'get', 'pod', pod.metadata.name, '-o', 'jsonpath={.spec.nodeName}']).stdout).not.toBe('');
  });
});
