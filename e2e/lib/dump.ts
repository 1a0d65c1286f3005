/**
 * Failure dumper: writes what is needed to understand a failed e2e test into e2e/artifacts/<name>/ —
 * events, `kubectl describe` of pods, container logs (current and previous), and every object in the
 * namespace as YAML.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl } from './kube.ts';

/** Root of e2e artifacts (git-ignored). */
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/**
 * Dumps namespace `namespace` into `e2e/artifacts/<label>/`. Never throws (a dump must not hide the
 * real failure). @returns the directory written
 */
export function dumpNamespace(namespace: string, label = namespace): string {
  const dir = join(ARTIFACTS, safe(label));
  try {
    mkdirSync(dir, { recursive: true });
    const save = (file: string, args: string[]) => {
      const r = kubectl(args, { check: false, timeoutMs: 60_000 });
      writeFileSync(join(dir, file), r.stdout + (r.stderr ? `\n# stderr:\n${r.stderr}` : ''));
    };
    save('events.txt', ['-n', namespace, 'get', 'events', '--sort-by=.lastTimestamp', '-o', 'wide']);
    save('describe-pods.txt', ['-n', namespace, 'describe', 'pods']);
    save('objects.yaml', [
      '-n',
      namespace,
      'get',
      'all,configmaps,networkpolicies,pvc,serviceaccounts',
      '-o',
      'yaml',
    ]);
    save('nodes.txt', ['describe', 'nodes']);
    const pods = kubectl(['-n', namespace, 'get', 'pods', '-o', 'json'], { check: false });
    const items = pods.code === 0 ? (JSON.parse(pods.stdout).items as any[]) : [];
    for (const p of items) {
      const containers = [...(p.spec.initContainers ?? []), ...p.spec.containers].map(
        (c: { name: string }) => c.name,
      );
      for (const c of containers) {
        save(`logs-${safe(p.metadata.name)}-${safe(c)}.txt`, [
          '-n',
          namespace,
          'logs',
          p.metadata.name,
          '-c',
          c,
        ]);
        save(`logs-${safe(p.metadata.name)}-${safe(c)}-previous.txt`, [
          '-n',
          namespace,
          'logs',
          p.metadata.name,
          '-c',
          c,
          '--previous',
        ]);
      }
    }
  } catch (e) {
    try {
      writeFileSync(join(dir, 'dump-error.txt'), String(e));
    } catch {}
  }
  return dir;
}
