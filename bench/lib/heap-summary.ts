/**
 * Summarises a V8 .heapsnapshot: self size by node type and constructor/name, largest first — enough to see
 * what grows with the number of objects an operator caches (`npm run bench -- operator-converge
 * --heap-snapshot` writes one). Usage: node bench/lib/heap-summary.ts <file.heapsnapshot> [top=25]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Rows of [type, name, count, selfBytes], largest first. */
export function summarise(s: Snapshot): Array<[string, string, number, number]> {
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = s.snapshot.meta.node_types[0];
  const groups = new Map<string, [string, string, number, number]>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt]!]!;
    // Strings and code are grouped by type only: their "names" are their contents.
    const name = type === 'object' || type === 'closure' ? s.strings[s.nodes[i + nameAt]!]! : '';
    const key = `${type}\u0000${name}`;
    const g = groups.get(key) ?? [type, name, 0, 0];
    g[2]++;
    g[3] += s.nodes[i + sizeAt]!;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b[3] - a[3]);
}

if (import.meta.main) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-summary.ts <file.heapsnapshot> [top]');
  const rows = summarise(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  const total = rows.reduce((a, r) => a + r[3], 0);
  console.log(
    `total self size ${(total / 2 ** 20).toFixed(1)} MiB in ${rows.reduce((a, r) => a + r[2], 0)} nodes`,
  );
  for (const [type, name, count, bytes] of rows.slice(0, Number(top)))
    console.log(
      `${(bytes / 2 ** 20).toFixed(2).padStart(8)} MiB ${String(count).padStart(9)}  ${type} ${name}`,
    );
}
