/**
 * The firewall on the real cluster (kube-router enforcing): platform pods reach their counter and DNS and
 * nothing else — not other platforms, not the kubelet, not hosts on this machine outside the cluster, and
 * the API server only while `allowApiServer` says so; nothing reaches a platform pod but WireGuard. A
 * platform no NetworkPolicySpec governs is isolated and says so. A control pod in the same namespace (no
 * policy) reaches every destination, so each "blocked" is the firewall's doing. Prints the matrix.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manager } from '../../operator/kube/manager.ts';
import { canRunNetns, createNetns, deleteNetns, linkNetns } from '../../sidecar/testing/netns.ts';
import {
  counterPod,
  counterSecret,
  ensureOperator,
  platform,
  tpStatus,
  waitSidecarReady,
} from '../access/lib.ts';
import {
  apply,
  exec,
  kubectl,
  kubectlJson,
  toolboxPod,
  useNamespace,
  waitFor,
  waitPodReady,
} from '../lib/index.ts';

const tag = Math.random().toString(36).slice(2, 6);
const OUT_NS = `aurum-out-${tag}`;
const OUT_IP = '10.231.250.2';
const matrix: string[] = [];

/** A TCP connect (or DNS lookup) probe run with node inside a container; exit 0 = reached. */
const PROBE = String.raw`
const [kind, host, port] = process.argv.slice(1);
const done = (ok) => process.exit(ok ? 0 : 1);
setTimeout(() => done(false), 2500);
if (kind === 'dns') require('dns').lookup(host, (e) => done(!e));
else require('net').connect(+port, host).on('connect', () => done(true)).on('error', () => done(false));`;

describe.runIf(canRunNetns())('firewall: NetworkPolicySpec rendered into enforced NetworkPolicies', () => {
  const ns = useNamespace('firewall');
  let mgr: Manager | undefined;
  let outside: ChildProcess | undefined;
  const probe = (pod: string, container: string, kind: 'tcp' | 'dns', host: string, port = 0) =>
    exec(ns.name, pod, ['node', '-e', PROBE, kind, host, String(port)], container, 20_000).code === 0;
  const podIp = (pod: string) =>
    kubectl(['-n', ns.name, 'get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']).stdout.trim();
  const nodeIp = () =>
    kubectlJson(['get', 'nodes']).items[0].status.addresses.find(
      (a: { type: string }) => a.type === 'InternalIP',
    ).address as string;
  const apiServer = () => {
    const s = kubectlJson([
      '-n',
      'default',
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=kubernetes',
    ]).items[0];
    return { ip: s.endpoints[0].addresses[0] as string, port: s.ports[0].port as number };
  };
  async function check(
    from: string,
    pod: string,
    container: string,
    to: string,
    kind: 'tcp' | 'dns',
    host: string,
    port: number,
    expected: 'allowed' | 'blocked',
  ) {
    const want = expected === 'allowed';
    // Policies apply asynchronously: poll until the expected state, then confirm it holds.
    let got = !want;
    try {
      await waitFor(() => probe(pod, container, kind, host, port) === want, {
        timeout: 60_000,
        interval: 1000,
        describe: `${from} → ${to} ${expected}`,
      });
      got = probe(pod, container, kind, host, port);
    } catch {
      got = !want;
    }
    matrix.push(
      `${from.padEnd(22)} → ${to.padEnd(38)} expected ${expected.padEnd(8)} ${got === want ? 'OK' : 'MISMATCH'}`,
    );
    expect(got, `${from} → ${to}`).toBe(want);
  }

  beforeAll(async () => {
    mgr = await ensureOperator(ns.name);
    // A host on this machine outside the cluster: a namespace with an HTTP server, routed via the host.
    createNetns(OUT_NS);
    linkNetns(null, `aout${tag}`, '10.231.250.1/24', OUT_NS, `vout${tag}`, `${OUT_IP}/24`, '10.231.250.1');
    outside = spawn(
      'ip',
      [
        'netns',
        'exec',
        OUT_NS,
        process.execPath,
        '-e',
        "require('http').createServer((q,s)=>s.end('outside')).listen(8099)",
      ],
      { stdio: 'ignore' },
    );
    const gold = { tier: 'gold' };
    apply(
      [
        counterSecret('alice'),
        counterSecret('bob'),
        counterSecret('carol'),
        platform('alice', ns.name, gold),
        platform('bob', ns.name, gold),
        platform('carol', ns.name),
        ...counterPod(),
        toolboxPod('control'),
        {
          apiVersion: 'aurum.dev/v1alpha1',
          kind: 'NetworkPolicySpec',
          metadata: { name: 'gold' },
          spec: {
            platformSelector: { matchLabels: gold },
            counterEgress: [{ podSelector: { matchLabels: { app: 'counter' } }, ports: [{ port: 9878 }] }],
          },
        },
      ],
      ns.name,
    );
    for (const p of ['control', 'counter', 'alice-runtime-0', 'bob-runtime-0'])
      await waitPodReady(ns.name, p, 240_000);
  }, 600_000);

  afterAll(async () => {
    outside?.kill('SIGTERM');
    deleteNetns(OUT_NS);
    try {
      execFileSync('ip', ['link', 'del', `aout${tag}`], { stdio: 'ignore' });
    } catch {
      /* gone */
    }
    await mgr?.stop();
    console.log(`\ntraffic matrix checked (firewall):\n${matrix.join('\n')}\n`);
  });

  it('lets a governed platform reach its counter and DNS, and nothing else', async () => {
    const api = apiServer();
    const node = nodeIp();
    const bob = podIp('bob-runtime-0');
    const dnsName = `counter.${ns.name}.svc.cluster.local`;
    // The control pod (no policy) reaches everything, so every "blocked" below is the firewall.
    await check(
      'control (no policy)',
      'control',
      'toolbox',
      `outside host ${OUT_IP}:8099`,
      'tcp',
      OUT_IP,
      8099,
      'allowed',
    );
    await check(
      'control (no policy)',
      'control',
      'toolbox',
      `bob pod ${bob}:8080`,
      'tcp',
      bob,
      8080,
      'blocked',
    ); // bob denies ingress
    await check(
      'control (no policy)',
      'control',
      'toolbox',
      `kubelet ${node}:10250`,
      'tcp',
      node,
      10250,
      'allowed',
    );
    await check(
      'alice (gold)',
      'alice-runtime-0',
      'wireguard',
      'counter:9878 (Service)',
      'tcp',
      `counter.${ns.name}.svc`,
      9878,
      'allowed',
    );
    await check(
      'alice (gold)',
      'alice-runtime-0',
      'wireguard',
      `DNS ${dnsName}`,
      'dns',
      dnsName,
      0,
      'allowed',
    );
    await check(
      'alice (gold)',
      'alice-runtime-0',
      'wireguard',
      `API server ${api.ip}:${api.port}`,
      'tcp',
      api.ip,
      api.port,
      'allowed',
    );
    await check(
      'alice (gold)',
      'alice-runtime-0',
      'wireguard',
      `bob pod ${bob}:8080`,
      'tcp',
      bob,
      8080,
      'blocked',
    );
    await check(
      'alice (gold)',
      'alice-runtime-0',
      'wireguard',
      `kubelet ${node}:10250`,
      'tcp',
      node,
      10250,
      'blocked',
    );
    await check(
      'alice (gold)',
      'alice-runtime-0',
      'wireguard',
      `outside host ${OUT_IP}:8099`,
      'tcp',
      OUT_IP,
      8099,
      'blocked',
    );
    await check(
      'control (no policy)',
      'control',
      'toolbox',
      `alice pod ${podIp('alice-runtime-0')}:8080`,
      'tcp',
      podIp('alice-runtime-0'),
      8080,
      'blocked',
    );
    const st = tpStatus(ns.name, 'alice').conditions.find(
      (c: { type: string }) => c.type === 'FirewallReady',
    );
    expect(st).toMatchObject({ status: 'True', reason: 'Governed' });
    await waitFor(
      () => kubectlJson(['-n', ns.name, 'get', 'networkpolicyspec', 'gold']).status?.governs === 2,
      { timeout: 30_000, describe: 'gold governs 2' },
    );
  });

  it('applies a change within seconds: allowApiServer=false cuts the API server', async () => {
    const api = apiServer();
    const t0 = Date.now();
    kubectl([
      '-n',
      ns.name,
      'patch',
      'networkpolicyspec',
      'gold',
      '--type=merge',
      '-p',
      '{"spec":{"allowApiServer":false}}',
    ]);
    await waitFor(() => !probe('alice-runtime-0', 'wireguard', 'tcp', api.ip, api.port), {
      timeout: 60_000,
      interval: 500,
      describe: 'API server cut',
    });
    const ms = Date.now() - t0;
    matrix.push(
      `${'alice (gold, no API)'.padEnd(22)} → ${`API server ${api.ip}:${api.port}`.padEnd(38)} expected blocked  OK (${ms} ms after the change)`,
    );
    console.log(`NetworkPolicySpec change → enforced: ${ms} ms`);
    expect(probe('alice-runtime-0', 'wireguard', 'tcp', `counter.${ns.name}.svc`, 9878)).toBe(true);
  });

  it('fails closed: an ungoverned platform is isolated and its status says so', async () => {
    await waitFor(
      () =>
        tpStatus(ns.name, 'carol').conditions?.find(
          (c: { type: string; reason: string }) => c.type === 'FirewallReady' && c.reason === 'Ungoverned',
        ),
      {
        timeout: 60_000,
        describe: 'carol FirewallReady=False/Ungoverned',
      },
    );
    expect(kubectl(['-n', ns.name, 'get', 'networkpolicy', 'carol-allow'], { check: false }).code).not.toBe(
      0,
    );
    expect(kubectlJson(['-n', ns.name, 'get', 'networkpolicy', 'carol-deny']).spec.policyTypes).toEqual([
      'Ingress',
      'Egress',
    ]);
    const carol = await waitFor(
      () =>
        kubectl(['-n', ns.name, 'get', 'pod', 'carol-runtime-0', '-o', 'jsonpath={.status.podIP}'], {
          check: false,
        }).stdout.trim(),
      { timeout: 120_000, describe: 'carol pod IP' },
    );
    expect(carol).toBeTruthy();
    // carol's sidecar cannot even reach the API server: wait for its container to exist, then probe.
    await waitFor(() => exec(ns.name, 'carol-runtime-0', ['true'], 'wireguard').code === 0, {
      timeout: 120_000,
      describe: 'carol runtime container running',
    });
    await check(
      'carol (ungoverned)',
      'carol-runtime-0',
      'wireguard',
      'counter:9878 (by IP)',
      'tcp',
      podIp('counter'),
      9878,
      'blocked',
    );
    await check(
      'carol (ungoverned)',
      'carol-runtime-0',
      'wireguard',
      `outside host ${OUT_IP}:8099`,
      'tcp',
      OUT_IP,
      8099,
      'blocked',
    );
  });
});
