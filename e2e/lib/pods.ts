/** Pod helpers shared by e2e tests. */
import { kubectl, kubectlJson } from './kube.ts';
import { waitFor } from './wait.ts';

/** The toolbox image (curl, ip, wg, nc, dig) built by `npm run images`. */
export const TOOLBOX = 'docker.io/aurum/toolbox:0.1.0';

/** A pod running the toolbox (sleeping) — a client for network tests. */
export function toolboxPod(
  name: string,
  labels: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name, ...labels } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'toolbox',
          image: TOOLBOX,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', 'infinity'],
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 },
        },
      ],
      ...extra,
    },
  };
}

/** Waits until pod `name` is Ready and returns it. */
export async function waitPodReady(namespace: string, name: string, timeout = 180_000): Promise<any> {
  return waitFor(
    () => {
      const p = kubectlJson(['-n', namespace, 'get', 'pod', name]);
      const ready =
        p.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
      return ready ? p : undefined;
    },
    { timeout, interval: 1000, describe: `pod ${namespace}/${name} Ready` },
  );
}

/** The first pod matching a label selector (name), or undefined. */
export function podOf(namespace: string, selector: string): string | undefined {
  const r = kubectl(
    ['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'jsonpath={.items[0].metadata.name}'],
    { check: false },
  );
  return r.stdout.trim() || undefined;
}

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
