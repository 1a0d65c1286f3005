/**
 * The user docs stay current with the tree: every relative link and every repository path they quote in
 * backticks points at a file that exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..');
const DOCS = ['admin', 'network-admin', 'investor', 'gitops'].map((d) =>
  join(import.meta.dirname, d, 'README.md'),
);
/** Top-level folders whose paths the docs quote as `folder/...`. */
const ROOTS = [
  'charts',
  'cli',
  'operator',
  'runtime',
  'examples',
  'e2e',
  'scripts',
  'docs',
  'simulator',
  'sidecar',
];

describe('user docs', () => {
  for (const doc of DOCS) {
    it(`${doc.slice(repo.length + 1)}: links and quoted paths exist`, () => {
      const text = readFileSync(doc, 'utf8');
      const missing: string[] = [];
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(dirname(doc), target))) missing.push(target);
      }
      for (const m of text.matchAll(/`((?:[a-z-]+\/)+[\w.-]+\.(?:ts|js|yaml|lua|json|md))`/g)) {
        const path = m[1]!;
        if (ROOTS.includes(path.split('/')[0]!) && !existsSync(join(repo, path))) missing.push(path);
      }
      expect(missing).toEqual([]);
    });
  }
});
