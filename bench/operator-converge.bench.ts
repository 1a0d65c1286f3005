/**
 * operator-converge: how fast the operator converges N paused TradingPlatforms, against the API server's raw
 * create throughput for the same objects measured in the same run; plus the write requests of a relist with
 * nothing changed and the operator's memory at N.
 *
 *   npm run bench -- operator-converge [--count 1000] [--concurrency 16] [--resync-seconds 30] [--heap-snapshot]
 *
 * Baseline ("raw"): a plain client creates, for each platform, exactly the objects the operator would (the
 * TradingPlatform, what renderPlatform returns, and the status write), C platforms in parallel.
 * Operator: the same client creates the N TradingPlatforms (C in parallel) while the operator (a child
 * process, C workers, scoped to the bench namespace) reconciles them; done when every platform reports
 * Ready for its generation. ratio = operator platforms/s ÷ raw platforms/s (goal ≥ 0.8).
 * Then it waits for one full relist and counts the operator's write requests meanwhile (goal 0), and reads
 * the operator's resident memory (goal ≤ 256 MiB). The in-cluster operator, if deployed, is scaled to 0
 * during the run and restored after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../common/log.ts';
import { kubeconfigPath, kubectl } from '../e2e/lib/kube.ts';
import { API_VERSION } from '../operator/api/common.ts';
import { type TradingPlatform, TradingPlatformSpec } from '../operator/api/tradingplatform.ts';
import { parseOperatorConfig } from '../operator/config.ts';
import { KubeClient } from '../operator/kube/client.ts';
import { withAppliedHash } from '../operator/kube/compare.ts';
import { kubeconfigConnection } from '../operator/kube/connection.ts';
import { Informer } from '../operator/kube/informer.ts';
import { type KubeObject, RESOURCES, resourceFor, resourcePath } from '../operator/kube/resources.ts';
import { INSTANCE_LABEL } from '../operator/render/names.ts';
import { renderPlatform } from '../operator/render/platform.ts';
import { stripTree } from '../runtime-image/strip-types.ts';
import type { Benchmark } from './run.ts';

const repo = join(import.meta.dirname, '..');
const OPERATOR_CONFIG = { access: { enabled: false } };

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

function spec(i: number) {
  return TradingPlatformSpec.parse({
    investor: `inv${i}`,
    paused: true,
    counter: {
      endpoints: [{ host: 'counter.aurum-system.svc', port: 9878 }],
      senderCompId: `INV${i}`,
      targetCompId: 'COUNTER',
      accountId: String(80000000 + i),
      credentialsSecretRef: { name: 'bench-counter' },
    },
    marketData: { instruments: ['au2606'] },
  });
}

/** Instance label: only the benchmark's own operator reconciles these platforms (see INSTANCE_LABEL). */
const INSTANCE = `bench-${randomBytes(3).toString('hex')}`;

function tpObject(ns: string, i: number): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'TradingPlatform',
    metadata: { name: `p${i}`, namespace: ns, labels: { [INSTANCE_LABEL]: INSTANCE } },
    spec: spec(i),
  } as KubeObject;
}

/** Runs `fn(i)` for i in [0, n) with at most `c` in flight. */
async function pool(n: number, c: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function namespace(prefix: string): string {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  kubectl(['create', 'namespace', name]);
  kubectl(['-n', name, 'create', 'secret', 'generic', 'bench-counter', '--from-literal=password=bench']);
  return name;
}

/** The raw baseline: same objects, plain creates. */
async function raw(client: KubeClient, n: number, c: number): Promise<number> {
  const ns = namespace('bench-raw');
  const config = parseOperatorConfig(OPERATOR_CONFIG);
  const cpu0 = apiServerCpu();
  const t0 = performance.now();
  await pool(n, c, async (i) => {
    const created = (await client.create(
      resourcePath(RESOURCES.TradingPlatform, { namespace: ns }),
      tpObject(ns, i),
    )) as unknown as TradingPlatform;
    const r = renderPlatform(created, config);
    if (!r.ok) throw new Error(r.message);
    for (const o of r.objects) {
      const obj = withAppliedHash(o);
      await client.create(resourcePath(resourceFor(obj.apiVersion, obj.kind), { namespace: ns }), obj);
    }
    await client.apply(
      { ...tpObject(ns, i), spec: undefined, status: { phase: 'Paused' } } as unknown as KubeObject,
      { subresource: 'status' },
    );
  });
  const secs = (performance.now() - t0) / 1000;
  console.log(`raw: API server + etcd CPU ${cpuPerPlatform(cpu0, apiServerCpu(), n)}`);
  // Untimed: the namespace controller deleting N×7 objects would otherwise compete with the operator phase.
  const deleting = performance.now();
  kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=1800s'], { timeoutMs: 1_800_000 });
  console.log(
    `raw: namespace deleted in ${((performance.now() - deleting) / 1000).toFixed(0)} s (not timed)`,
  );
  return n / secs;
}

interface OperatorProcess {
  child: ChildProcess;
  port: number;
}

/**
 * How the operator image starts (its Dockerfile's ENTRYPOINT: Node.js flags and script), mapped onto this
 * checkout so the bench runs the operator as shipped: a script under /app/js/ is the JavaScript copy the
 * image builds with runtime-image/strip-types.ts, rebuilt here into .tmp/js from the same source directories.
 */
function shippedOperator(): { flags: string[]; script: string } {
  const dockerfile = readFileSync(join(repo, 'runtime-image', 'Dockerfile.operator'), 'utf8');
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  if (!entrypoint) throw new Error('Dockerfile.operator has no ENTRYPOINT');
  const argv = JSON.parse(entrypoint) as string[];
  const script = argv.at(-1)!;
  const flags = argv.slice(1, -1).filter((a) => a.startsWith('--'));
  if (!script.startsWith('/app/js/')) return { flags, script: join(repo, script.replace(/^\/app\//, '')) };
  const dirs = /strip-types\.ts\s+\/app\/js\s+(.+)$/m.exec(dockerfile)?.[1]?.trim().split(/\s+/);
  if (!dirs) throw new Error('Dockerfile.operator runs /app/js but has no strip-types RUN line');
  const out = join(repo, '.tmp', 'js');
  rmSync(out, { recursive: true, force: true });
  stripTree(repo, out, dirs);
  return { flags, script: join(out, script.slice('/app/js/'.length)) };
}

function startOperator(ns: string, c: number, resyncSeconds: number, heapSnapshot: boolean): OperatorProcess {
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  const cfg = join(repo, '.tmp', `bench-operator-${ns}.json`);
  writeFileSync(cfg, JSON.stringify(OPERATOR_CONFIG));
  const port = 18000 + Math.floor(Math.random() * 1000);
  const diagnostics = heapSnapshot
    ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${join(repo, '.tmp')}`]
    : [];
  const shipped = shippedOperator();
  const child = spawn(process.execPath, [...shipped.flags, ...diagnostics, shipped.script], {
    env: {
      ...process.env,
      KUBECONFIG: kubeconfigPath(),
      AURUM_LEADER_ELECTION: 'false',
      AURUM_CONTROLLERS: 'tradingplatform',
      AURUM_WATCH_NAMESPACE: ns,
      AURUM_INSTANCE: INSTANCE,
      AURUM_HTTP_PORT: String(port),
      AURUM_WORKERS: String(c),
      AURUM_RESYNC_SECONDS: String(resyncSeconds),
      AURUM_OPERATOR_CONFIG: cfg,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, port };
}

async function metrics(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

function sum(m: Map<string, number>, pred: (k: string) => boolean): number {
  let s = 0;
  for (const [k, v] of m) if (pred(k)) s += v;
  return s;
}
const writes = (m: Map<string, number>) =>
  sum(m, (k) => k.startsWith('aurum_operator_api_requests_total') && !k.includes('verb="GET"'));
/** Requests per platform by verb between two metric snapshots, e.g. "PATCH 7.0, GET 1.0". */
function requestsByVerb(before: Map<string, number>, after: Map<string, number>, n: number): string {
  const byVerb = new Map<string, number>();
  for (const [k, v] of after) {
    const verb = /^aurum_operator_api_requests_total\{.*verb="(\w+)"/.exec(k)?.[1];
    if (verb) byVerb.set(verb, (byVerb.get(verb) ?? 0) + v - (before.get(k) ?? 0));
  }
  return [...byVerb].map(([verb, count]) => `${verb} ${(count / n).toFixed(1)}`).join(', ');
}
const reconciles = (m: Map<string, number>) => sum(m, (k) => k.startsWith('aurum_operator_reconcile_total'));

/** Resident memory by kind from /proc/<pid>/smaps: file-backed, the malloc heap ([heap]) and other anonymous. */
function residentBreakdown(pid: number): string {
  let file = 0;
  let brk = 0;
  let anon = 0;
  let current = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (mapping) {
      current = mapping[1] !== '0' ? 'file' : mapping[2] === '[heap]' ? 'brk' : 'anon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const kb = Number(rss[1]);
    if (current === 'file') file += kb;
    else if (current === 'brk') brk += kb;
    else anon += kb;
  }
  const mib = (kb: number) => (kb / 1024).toFixed(0);
  return `file-backed ${mib(file)} MiB, malloc heap ${mib(brk)} MiB, other anonymous ${mib(anon)} MiB`;
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; NaN if it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of the local cluster's kube-apiserver and etcd (NaN when they are not local processes). */
function apiServerCpu(): number {
  let total = 0;
  let found = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== 'kube-apiserver' && comm !== 'etcd') continue;
    total += cpuSeconds(Number(pid));
    found = true;
  }
  return found ? total : Number.NaN;
}

function cpuPerPlatform(before: number, after: number, n: number): string {
  return `${(((after - before) / n) * 1000).toFixed(1)} ms/platform`;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/**
 * Resolves when every platform in `ns` reports Ready for its generation. Followed through a watch (the
 * operator's own Informer), not by listing: a list of 10,000 platforms every second would load the API
 * server the operator is being measured against.
 */
async function allReady(client: KubeClient, ns: string, n: number): Promise<void> {
  const ready = new Set<string>();
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  const informer = new Informer<TradingPlatform & KubeObject>({
    client,
    resource: RESOURCES.TradingPlatform,
    namespace: ns,
    log: createLogger('bench', { level: 'warn' }),
  });
  informer.on((event, tp) => {
    const isReady =
      event !== 'delete' &&
      tp.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' &&
      tp.status?.observedGeneration === tp.metadata.generation;
    if (isReady) ready.add(tp.metadata.name);
    else ready.delete(tp.metadata.name);
    if (ready.size === n) resolve();
  });
  await informer.start();
  try {
    await done;
  } finally {
    informer.stop();
  }
}

/** Signals the operator (started with --heapsnapshot-signal) and waits until its snapshot file is complete. */
async function takeHeapSnapshot(child: ChildProcess): Promise<string> {
  const dir = join(repo, '.tmp');
  const before = new Set(readdirSync(dir));
  child.kill('SIGUSR2');
  let last = -1;
  for (let i = 0; i < 600; i++) {
    await sleep(1000);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(join(dir, file)).size;
    if (size > 0 && size === last)
      return `${join(dir, file)} (summary: node bench/lib/heap-summary.ts <file>)`;
    last = size;
  }
  return 'not written within 10 minutes';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bench: Benchmark = {
  summary:
    'converge N paused TradingPlatforms vs raw API create throughput of the same objects; relist writes; operator memory',
  async run(args) {
    const n = arg(args, 'count', 1000);
    const c = arg(args, 'concurrency', 16);
    // A relist re-checks every platform; at 10,000 a 30 s period would keep the operator re-checking all the
    // time, so the period grows with N up to the operator's production default (300 s).
    const resync = arg(args, 'resync-seconds', Math.min(300, Math.max(30, Math.round(n / 20))));
    const heapSnapshot = args.includes('--heap-snapshot');
    const client = new KubeClient(kubeconfigConnection(kubeconfigPath()), { connections: c });
    kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=bench',
      '-f',
      join(repo, 'crds'),
    ]);
    const deployed = kubectl(
      ['-n', 'aurum-system', 'get', 'deploy', 'aurum-operator', '-o', 'jsonpath={.spec.replicas}'],
      { check: false },
    );
    const replicas = deployed.code === 0 ? deployed.stdout.trim() : '';
    if (replicas && replicas !== '0')
      kubectl(['-n', 'aurum-system', 'scale', 'deploy', 'aurum-operator', '--replicas=0']);
    let op: OperatorProcess | undefined;
    let ns = '';
    try {
      const rawRate = await raw(client, n, c);
      console.log(`raw: ${rawRate.toFixed(1)} platforms/s (${n} platforms, concurrency ${c})`);
      ns = namespace('bench-op');
      op = startOperator(ns, c, resync, heapSnapshot);
      const port = op.port;
      for (let i = 0; ; i++) {
        try {
          await metrics(port);
          break;
        } catch {
          if (i > 100) throw new Error('operator did not start');
          await sleep(200);
        }
      }
      const converging = allReady(client, ns, n);
      const before = await metrics(port);
      const cpu0 = apiServerCpu();
      const opCpu0 = cpuSeconds(op.child.pid!);
      const t0 = performance.now();
      await pool(n, c, async (i) => {
        await client.create(resourcePath(RESOURCES.TradingPlatform, { namespace: ns }), tpObject(ns, i));
      });
      await converging;
      const secs = (performance.now() - t0) / 1000;
      const opRate = n / secs;
      console.log(`operator: ${opRate.toFixed(1)} platforms/s (${secs.toFixed(1)} s)`);
      console.log(
        `operator phase: API server + etcd CPU ${cpuPerPlatform(cpu0, apiServerCpu(), n)}; operator CPU ` +
          `${(((cpuSeconds(op.child.pid!) - opCpu0) / n) * 1000).toFixed(1)} ms/platform`,
      );
      console.log(
        `operator API requests per platform while converging: ${requestsByVerb(before, await metrics(port), n)}`,
      );
      await sleep(3000);
      const m0 = await metrics(port);
      const r0 = reconciles(m0);
      for (let i = 0; ; i++) {
        await sleep(1000);
        const m = await metrics(port);
        if (reconciles(m) - r0 >= n) break;
        if (i > resync * 3) throw new Error('no full relist observed');
      }
      await sleep(3000);
      const m1 = await metrics(port);
      const relistWrites = writes(m1) - writes(m0);
      const relistReconciles = reconciles(m1) - r0;
      const rss = rssMiB(op.child.pid!);
      const mib = (name: string) =>
        ((m1.get(`aurum_operator_nodejs_${name}`) ?? Number.NaN) / 2 ** 20).toFixed(0);
      const heap = (m1.get('aurum_operator_nodejs_heap_size_used_bytes') ?? Number.NaN) / 2 ** 20;
      console.log(
        `relist: ${relistReconciles} reconciles, ${relistWrites} writes; operator RSS ${rss.toFixed(0)} MiB ` +
          `(JS heap used ${heap.toFixed(0)} of ${mib('heap_size_total_bytes')} MiB, external ${mib('external_memory_bytes')} MiB; ` +
          `${residentBreakdown(op.child.pid!)})`,
      );
      if (heapSnapshot) console.log(`heap snapshot: ${await takeHeapSnapshot(op.child)}`);
      const ratio = opRate / rawRate;
      return (
        `operator-converge N=${n} C=${c}: operator ${opRate.toFixed(1)}/s vs raw ${rawRate.toFixed(1)}/s → ratio ${ratio.toFixed(2)} (goal ≥0.8); ` +
        `relist writes ${relistWrites} (goal 0); operator RSS ${rss.toFixed(0)} MiB (goal ≤256), heap ${heap.toFixed(0)} MiB`
      );
    } finally {
      op?.child.kill('SIGTERM');
      // Waited for: at 10,000 the deletion takes minutes, and a cluster still deleting loads whatever runs next.
      if (ns)
        kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=1800s'], {
          check: false,
          timeoutMs: 1_800_000,
        });
      if (replicas && replicas !== '0')
        kubectl(['-n', 'aurum-system', 'scale', 'deploy', 'aurum-operator', `--replicas=${replicas}`], {
          check: false,
        });
      await client.close();
    }
  },
};

export default bench;
