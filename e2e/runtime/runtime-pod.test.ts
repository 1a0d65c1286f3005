/**
 * The runtime image in the real cluster: a pod of docker.io/aurum/runtime:0.1.0 running as non-root with a
 * read-only root filesystem (journal and /tmp on emptyDirs), configured like the operator does (ConfigMap
 * runtime.json, counter password Secret, strategy ConfigMap), connects over FIX to the real counter
 * simulator (a process on this machine, reached at the node's address), becomes Ready (counter logged on +
 * journal open), and the sample EMA-crossover strategy trades; an edit of its ConfigMap restarts the strategy on the
 * new code in the same container. Then: within the small profile's limits a memory
 * hog is stopped alone, (standard profile) a strategy that aborts the whole runtime is held back after the
 * restart, and (small profile) one that takes the runtime over the pod's memory limit as it starts is held back
 * after two OOM kills.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../../operator/config.ts';
import { strategyFile } from '../../operator/render/runtime-config.ts';
import { liveContract } from '../../runtime/testing/runtime-process.ts';
import {
  SIM_ACCOUNT,
  type SimOrder,
  type SimulatorProcess,
  simCounter,
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

/** A strategy of the pod's runtime.json, its file the key `key` of the `strategies` ConfigMap. */
function strategy(name: string, key: string, instrument: string, params: Record<string, unknown> = {}) {
  return { name, file: strategyFile(name, key), instruments: [instrument], params };
}
type StrategyEntry = ReturnType<typeof strategy>;

/**
 * The objects the operator would make for one runtime (a pod named `name`): its runtime.json, the strategy
 * files, the counter password and the pod — non-root, read-only root filesystem, journal and /tmp on
 * emptyDirs, `resources` as given.
 */
function runtimeObjects(
  name: string,
  instrument: string,
  strategies: StrategyEntry[],
  files: Record<string, string>,
  resources: Record<string, unknown> = {},
): unknown[] {
  const config = {
    platform: { name, namespace: ns.name, investor: name },
    counter: simCounter(sim, '/etc/aurum/counter', { host: nodeAddress() }),
    marketData: { instruments: [instrument] },
    strategies,
    risk: { tradingHours: 'always', priceBandTicks: 1000 },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config` },
      data: { 'runtime.json': JSON.stringify(config) },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-strategies` }, data: files },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-counter` },
      stringData: { password: SIM_ACCOUNT.password },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'runtime' } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
        containers: [
          {
            name: 'runtime',
            image: IMAGE,
            imagePullPolicy: 'IfNotPresent',
            resources,
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
              { name: 'strategies', mountPath: '/etc/aurum/strategies', readOnly: true },
              { name: 'data', mountPath: '/var/lib/aurum' },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: `${name}-config` } },
          { name: 'counter', secret: { secretName: `${name}-counter` } },
          // As the operator mounts them (operator/render/statefulset.ts): `<strategy>/<key>` in one projected
          // volume, which the kubelet lays out as symbolic links into a versioned directory.
          {
            name: 'strategies',
            projected: {
              sources: strategies.map((st) => {
                const key = st.file.split('/').pop()!;
                return {
                  configMap: { name: `${name}-strategies`, items: [{ key, path: `${st.name}/${key}` }] },
                };
              }),
            },
          },
          { name: 'data', emptyDir: {} },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    },
  ];
}

/** Filled orders at the simulator on `instrument`, once there are at least `n`. */
async function filledOrders(instrument: string, n: number): Promise<SimOrder[]> {
  return waitFor(
    async () => {
      const f = (await counterOrders()).filter((o) => o.cumQty > 0 && o.symbol === instrument);
      return f.length >= n ? f : undefined;
    },
    {
      timeout: 180_000,
      interval: 2000,
      describe: `${n} filled order(s) of the runtime's strategies at the simulator`,
    },
  );
}

/** Orders the simulator holds for the account. */
async function counterOrders(): Promise<SimOrder[]> {
  return (await sim.admin<{ orders: SimOrder[] }>(`/accounts/${SIM_ACCOUNT.id}`)).orders ?? [];
}

/** Waits until the simulator holds more orders than it does now. */
async function newOrders(describe: string): Promise<void> {
  const before = (await counterOrders()).length;
  await waitFor(async () => ((await counterOrders()).length > before ? true : undefined), {
    timeout: 180_000,
    interval: 2000,
    describe,
  });
}

const EMA_SOURCE = readFileSync(join(repo, 'examples/strategies/ema-cross.js'), 'utf8');
const EMA_PARAMS = { fast: 3, slow: 8, useTicks: true, slippageTicks: 3 };

/**
 * A pod `name` running the sample strategy and a `hoarder` whose onInit allocates `elements` doubles at once,
 * under a profile (after deleting the pod `previous`: one FIX session per counter account). Waits for the runtime
 * container to have restarted `restarts` times and be Ready again, and for the strategy that remains to trade;
 * checks that it restarted no more. In onInit (15 s budget): under the profiles' fraction of a CPU the 2 s callback
 * watchdog could stop the hoarder before it is done.
 * @returns the container's status after the restarts, why the hoarder was held back, the current run's log
 */
async function hoarderPod(
  name: string,
  previous: string,
  elements: number,
  profile: keyof typeof DEFAULT_PROFILES,
  restarts: number,
): Promise<{ restarted: any; held: string; logs: string }> {
  kubectl(['-n', ns.name, 'delete', 'pod', previous, '--ignore-not-found', '--wait=true'], {
    timeoutMs: 120_000,
  });
  const instrument = liveContract();
  const hoarder = `export default { onInit() { globalThis.hoard = new Array(${elements}).fill(1.5); } };`;
  apply(
    runtimeObjects(
      name,
      instrument,
      [
        strategy('trend', 'ema-cross.js', instrument, EMA_PARAMS),
        strategy('hoarder', 'hoarder.js', instrument),
      ],
      { 'ema-cross.js': EMA_SOURCE, 'hoarder.js': hoarder },
      DEFAULT_PROFILES[profile],
    ),
    ns.name,
  );
  const statusOf = () => kubectlJson(['-n', ns.name, 'get', 'pod', name]).status?.containerStatuses?.[0];
  const restarted = await waitFor(
    async () => {
      const status = statusOf();
      return status?.restartCount >= restarts && status.ready ? status : undefined;
    },
    {
      timeout: 300_000,
      interval: 2000,
      describe: `the runtime container restarted ${restarts} time(s) and Ready`,
    },
  );
  const logs = kubectl(['-n', ns.name, 'logs', name, '-c', 'runtime']).stdout;
  const line = logs.split('\n').find((l) => l.includes('"strategy failed"') && l.includes('"hoarder"'));
  expect(line, logs.slice(-3000)).toBeDefined();
  // The other strategy trades in the restarted runtime, which stays up.
  await newOrders('new orders from the strategy that remains');
  const after = statusOf();
  expect(after.restartCount, JSON.stringify(after.lastState)).toBe(restarts);
  return { restarted, held: (JSON.parse(line!) as { error: string }).error, logs };
}

describe('runtime pod', () => {
  it('runs non-root on a read-only root filesystem, becomes Ready against the simulator, the sample strategy trades, and an edit of its ConfigMap restarts it on the new code, not the pod', async () => {
    const instrument = liveContract();
    apply(
      runtimeObjects('runtime', instrument, [strategy('trend', 'ema-cross.js', instrument, EMA_PARAMS)], {
        'ema-cross.js': EMA_SOURCE,
      }),
      ns.name,
    );
    const pod = await waitPodReady(ns.name, 'runtime', 300_000);
    expect(pod.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    const filled = await filledOrders(instrument, 1);
    expect(filled[0]!.symbol).toBe(instrument);
    const logs = kubectl(['-n', ns.name, 'logs', 'runtime', '-c', 'runtime']).stdout;
    expect(logs).toContain('runtime started');
    expect(logs).not.toContain(SIM_ACCOUNT.password);
    const id = kubectl(['-n', ns.name, 'exec', 'runtime', '--', 'id', '-u']).stdout.trim();
    expect(id).toBe('1000');

    // GitOps changes the strategy's code: only the ConfigMap changes. The kubelet swaps the mounted file and the
    // runtime restarts the strategy on it, in the same container.
    const restartsBefore = pod.status.containerStatuses[0].restartCount;
    const edited = `${EMA_SOURCE}\n// edited in Git\n`;
    apply(
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'runtime-strategies' },
          data: { 'ema-cross.js': edited },
        },
      ],
      ns.name,
    );
    const reloaded = await waitFor(
      async () =>
        kubectl(['-n', ns.name, 'logs', 'runtime', '-c', 'runtime'])
          .stdout.split('\n')
          .find((l) => l.includes('"code":"STRATEGY_RELOADED"')),
      {
        timeout: 240_000,
        interval: 3000,
        describe: 'the runtime restarting the strategy on the edited ConfigMap',
      },
    );
    expect(reloaded).toContain('Strategy trend restarted');
    const mounted = kubectl([
      '-n',
      ns.name,
      'exec',
      'runtime',
      '--',
      'cat',
      strategyFile('trend', 'ema-cross.js'),
    ]);
    expect(mounted.stdout).toContain('// edited in Git');
    await newOrders('orders from the strategy restarted on its new version');
    const after = kubectlJson(['-n', ns.name, 'get', 'pod', 'runtime']).status.containerStatuses[0];
    expect(after.restartCount).toBe(restartsBefore);
  }, 900_000);

  it("within the small profile's memory limit: two strategies trade, and a memory hog is stopped alone — the pod is never OOM-killed", async () => {
    // One FIX session per counter account: the first test's runtime must be gone before this one logs on.
    kubectl(['-n', ns.name, 'delete', 'pod', 'runtime', '--ignore-not-found', '--wait=true'], {
      timeoutMs: 120_000,
    });
    const instrument = liveContract();
    // It fills its heap while starting (onInit has the 15 s load budget): under the profile's quarter of a CPU,
    // filling it from onTick could outlast the 2 s tick watchdog, which would then stop it first.
    const hog =
      'export default { onInit() { const keep = []; for (;;) keep.push(new Array(50_000).fill(keep.length)); } };';
    apply(
      runtimeObjects(
        'small',
        instrument,
        [
          strategy('trend-a', 'ema-cross.js', instrument, EMA_PARAMS),
          strategy('trend-b', 'ema-cross.js', instrument, { ...EMA_PARAMS, fast: 4 }),
          strategy('hog', 'hog.js', instrument),
        ],
        { 'ema-cross.js': EMA_SOURCE, 'hog.js': hog },
        DEFAULT_PROFILES.small,
      ),
      ns.name,
    );
    await waitPodReady(ns.name, 'small', 300_000);
    const logsOf = () => kubectl(['-n', ns.name, 'logs', 'small', '-c', 'runtime']).stdout;
    const failure = await waitFor(
      async () =>
        logsOf()
          .split('\n')
          .find((l) => l.includes('"strategy failed"') && l.includes('"hog"')),
      { timeout: 120_000, interval: 2000, describe: 'the hog strategy stopped for its memory' },
    );
    expect(JSON.parse(failure).error).toMatch(
      /memory limit of \d+ MB exceeded \(its share of the pod's memory limit\)/,
    );
    // The other strategies keep trading after the hog is gone.
    await newOrders('new orders from the strategies that remain');
    const metrics = kubectl([
      '-n',
      ns.name,
      'exec',
      'small',
      '--',
      'node',
      '-e',
      "fetch('http://127.0.0.1:8080/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))",
    ]).stdout;
    expect(metrics).toMatch(/aurum_runtime_strategies\{state="running"\} 2/);
    expect(metrics).toMatch(/aurum_runtime_strategies\{state="failed"\} 1/);
    const pod = kubectlJson(['-n', ns.name, 'get', 'pod', 'small']);
    const status = pod.status.containerStatuses[0];
    expect(status.restartCount, JSON.stringify(status.lastState)).toBe(0);
    expect(pod.spec.containers[0].resources.limits.memory).toBe(DEFAULT_PROFILES.small.limits.memory);
  }, 600_000);

  it('a strategy whose one allocation aborts the runtime is held back after the restart; the pod runs on and the other strategy trades', async () => {
    // 128 MB at once, past its 64 MB heap cap plus the ~16 MB V8 allows a worker beyond it: V8 aborts the process.
    // The standard profile, so that the allocation fits the container (V8 allocates it before it gives up): in
    // the small one the kernel's OOM killer would end the process first, leaving no report (the next test).
    const { restarted, held, logs } = await hoarderPod('abort', 'small', 16_000_000, 'standard', 1);
    expect(restarted.lastState.terminated.exitCode).not.toBe(0);
    const previous = kubectl(['-n', ns.name, 'logs', 'abort', '-c', 'runtime', '--previous']).stdout;
    expect(previous).toContain('JavaScript heap out of memory');
    expect(held).toMatch(
      /^not restarted: the runtime was aborted at .+ by "Allocation failed - JavaScript heap out of memory" in this strategy's worker/,
    );
    expect(logs).toContain('RUNTIME_CRASHED');
  }, 600_000);

  it("a strategy that takes the runtime over the small profile's memory limit as it starts is held back after two OOM kills; the other trades", async () => {
    // 192 MB of doubles, written as they are allocated: more than the whole 192 MiB container, so the kernel's OOM
    // killer ends the runtime before V8 can find its heap over the cap — no report is left.
    const { restarted, held } = await hoarderPod('oom', 'abort', 24_000_000, 'small', 2);
    expect(restarted.lastState.terminated.reason).toBe('OOMKilled');
    expect(held).toMatch(
      /^not restarted: the runtime ended abnormally .+ while this strategy was starting .+ in each of the last two runs/,
    );
  }, 600_000);
});
