/**
 * `cluster status` for the local provider: one line per host component (process + health probe) and per
 * add-on (through the API), and whether the node is Ready. Returns false when anything is unhealthy.
 */
import { components } from './components.ts';
import { hostIdentity, type Layout } from './config.ts';
import { livePid, logFile } from './lib/procs.ts';
import { kubectl } from './up.ts';

/** One component's health line. */
export interface StatusLine {
  name: string;
  ok: boolean;
  detail: string;
}

/** Pure: formats status lines as an aligned table. */
export function formatStatus(lines: readonly StatusLine[]): string {
  const w = Math.max(...lines.map((l) => l.name.length));
  return lines.map((l) => `${l.ok ? '✓' : '✗'} ${l.name.padEnd(w)}  ${l.detail}`).join('\n');
}

export async function clusterStatus(l: Layout): Promise<StatusLine[]> {
  const id = hostIdentity();
  const dirs = { run: l.run, logs: l.logs };
  const out: StatusLine[] = [];
  for (const c of components(l, id)) {
    const pid = livePid(dirs, c.name, c.spec.bin);
    if (!pid) {
      out.push({ name: c.name, ok: false, detail: `not running (log: ${logFile(dirs, c.name)})` });
      continue;
    }
    const h = await c.health();
    out.push({ name: c.name, ok: h === '', detail: h === '' ? `pid ${pid}, healthy` : `pid ${pid}, ${h}` });
  }
  const api = out.find((s) => s.name === 'kube-apiserver');
  if (api?.ok) {
    const ready = kubectl(l, [
      'get',
      'node',
      id.nodeName,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    out.push({
      name: `node ${id.nodeName}`,
      ok: ready.stdout.trim() === 'True',
      detail: `Ready=${ready.stdout.trim() || 'unknown'}`,
    });
    for (const [ns, name] of [
      ['kube-system', 'coredns'],
      ['local-path-storage', 'local-path-provisioner'],
    ] as const) {
      const r = kubectl(l, [
        '-n',
        ns,
        'get',
        'deployment',
        name,
        '-o',
        'jsonpath={.status.availableReplicas}/{.spec.replicas}',
      ]);
      const v = r.stdout.trim();
      out.push({
        name,
        ok: r.code === 0 && /^(\d+)\/\1$/.test(v),
        detail: r.code === 0 ? `available ${v}` : r.stderr.trim(),
      });
    }
  }
  return out;
}
