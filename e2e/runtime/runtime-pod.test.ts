/**
 * The runtime image in the real cluster: a pod of docker.io/aurum/runtime:0.1.0 running as non-root with a
 * read-only root filesystem (journal and /tmp on emptyDirs), configured like the operator does (ConfigMap
 * runtime.json, counter password Secret, strategy ConfigMap), connects over FIX to the real counter
 * simulator (a process on this machine, reached at the node's address), becomes Ready (counter logged on +
 * journal open), and the sample EMA-crossover strategy trades.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveContract } from '../../runtime/testing/runtime-process.ts';
import {
  SIM_ACCOUNT,
  type SimOrder,
  type SimulatorProcess,
  startSimulatorProcess,
} from '../../runtime/testing/simulator-process.ts';
import { apply, kubectl, kubectlJson, useNamespace, waitFor, waitPodReady } from '../lib/index.ts';

const repo = join(import.meta.dirname, '..', '..');
const IMAGE = 'docker.io/aurum/runtime:0.1.0';
const ns = useNamespace('runtime');
let sim: SimulatorProcess;

/** The node's InternalIP: the simulator process listens on all addresses of this machine. */
function nodeAddress(): string {
  const node = kubectlJson(['get', 'nodes']).items[0];
  return node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
}

beforeAll(async () => {
  sim = await startSimulatorProcess({ liquidityMs: 100 });
});
afterAll(async () => {
  await sim?.stop();
});

describe('runtime pod', () => {
  it('runs non-root on a read-only root filesystem, becomes Ready against the simulator, and the sample strategy trades', async () => {
    const instrument = liveContract();
    const config = {
      platform: { name: 'alice', namespace: ns.name, investor: 'alice' },
      counter: {
        protocol: 'fix44',
        endpoints: [{ host: nodeAddress(), port: sim.fixPort }],
        senderCompId: SIM_ACCOUNT.compId,
        targetCompId: 'COUNTER',
        accountId: SIM_ACCOUNT.id,
        credentialsDir: '/etc/aurum/counter',
      },
      marketData: { instruments: [instrument] },
      strategies: [
        {
          name: 'trend',
          file: '/etc/aurum/strategies/trend/strategy.js',
          instruments: [instrument],
          params: { fast: 3, slow: 8, useTicks: true, slippageTicks: 3 },
        },
      ],
      risk: { tradingHours: 'always', priceBandTicks: 1000 },
    };
    apply(
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'runtime-config' },
          data: { 'runtime.json': JSON.stringify(config) },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'ema-cross' },
          data: { 'strategy.js': readFileSync(join(repo, 'examples/strategies/ema-cross.js'), 'utf8') },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'counter' },
          stringData: { password: SIM_ACCOUNT.password },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'runtime', labels: { app: 'runtime' } },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
            containers: [
              {
                name: 'runtime',
                image: IMAGE,
                imagePullPolicy: 'IfNotPresent',
                securityContext: {
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                },
                ports: [{ containerPort: 8080, name: 'api' }],
                readinessProbe: {
                  httpGet: { path: '/readyz', port: 8080 },
                  periodSeconds: 2,
                  failureThreshold: 3,
                },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 8080 },
                  periodSeconds: 10,
                  failureThreshold: 6,
                  initialDelaySeconds: 30,
                },
                volumeMounts: [
                  {
                    name: 'config',
                    mountPath: '/etc/aurum/runtime.json',
                    subPath: 'runtime.json',
                    readOnly: true,
                  },
                  { name: 'counter', mountPath: '/etc/aurum/counter', readOnly: true },
                  { name: 'strategy', mountPath: '/etc/aurum/strategies/trend', readOnly: true },
                  { name: 'data', mountPath: '/var/lib/aurum' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: 'runtime-config' } },
              { name: 'counter', secret: { secretName: 'counter' } },
              { name: 'strategy', configMap: { name: 'ema-cross' } },
              { name: 'data', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      ],
      ns.name,
    );
    const pod = await waitPodReady(ns.name, 'runtime', 300_000);
    expect(pod.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    const filled = await waitFor(
      async () => {
        const orders = (await sim.admin<{ orders: SimOrder[] }>(`/accounts/${SIM_ACCOUNT.id}`)).orders ?? [];
        const f = orders.filter((o) => o.cumQty > 0);
        return f.length >= 1 ? f : undefined;
      },
      {
        timeout: 180_000,
        interval: 2000,
        describe: 'a filled order of the sample strategy at the simulator',
      },
    );
    expect(filled[0]!.symbol).toBe(instrument);
    const logs = kubectl(['-n', ns.name, 'logs', 'runtime', '-c', 'runtime']).stdout;
    expect(logs).toContain('runtime started');
    expect(logs).not.toContain(SIM_ACCOUNT.password);
    const id = kubectl(['-n', ns.name, 'exec', 'runtime', '--', 'id', '-u']).stdout.trim();
    expect(id).toBe('1000');
  }, 600_000);
});
