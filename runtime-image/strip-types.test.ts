import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stripTree, toJavaScript } from './strip-types.ts';

const repo = join(import.meta.dirname, '..');

describe('strip-types', () => {
  it('erases types and points relative .ts imports at .js, leaving packages and strings alone', () => {
    const js = toJavaScript(
      [
        "import type { A } from './a.ts';",
        "import { b } from '../b.ts';",
        "export { c } from './c/d.ts';",
        "import pino from 'pino';",
        "const m = await import('./lazy.ts');",
        "const worker = new URL('./worker.ts', import.meta.url);",
        "const page = new URL('./page.ts', 'https://example.com/');",
        "const file: string = 'main.ts';",
        'export const f = (x: number): number => x + 1;',
      ].join('\n'),
    );
    expect(js).toContain("from '../b.js'");
    expect(js).toContain("from './c/d.js'");
    expect(js).toContain("import('./lazy.js')");
    expect(js).toContain("new URL('./worker.js', import.meta.url)");
    expect(js).toContain("new URL('./page.ts', 'https://example.com/')");
    expect(js).toContain("from 'pino'");
    expect(js).toContain("'main.ts'");
    expect(js).not.toContain('number');
    expect(js).not.toContain("'./a.ts'");
  });

  it('copies the runtime as JavaScript: a strategy runs in a worker started from the copy, the dashboard files come along', async () => {
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const out = mkdtempSync(join(repo, '.tmp', 'strip-'));
    try {
      stripTree(repo, out, ['common', 'runtime']);
      expect(existsSync(join(out, 'runtime', 'dashboard', 'public', 'index.html'))).toBe(true);
      expect(existsSync(join(out, 'runtime', 'backtest', 'testdata'))).toBe(false);
      // Nothing in the copy names a .ts module any more, so Node never loads its TypeScript stripper for it.
      const host = readFileSync(join(out, 'runtime', 'strategy', 'host.js'), 'utf8');
      expect(host).toContain("new URL('./worker.js', import.meta.url)");
      const { StrategyHost } = await import(pathToFileURL(join(out, 'runtime', 'strategy', 'host.js')).href);
      const { openJournal } = await import(pathToFileURL(join(out, 'runtime', 'journal', 'journal.js')).href);
      const journal = openJournal(join(out, 'journal.db'));
      const h = new StrategyHost({
        journal,
        uploadDir: join(out, 'uploads'),
        submit: () => {},
        cancelAll: () => {},
        positionsOf: () => ({}),
      });
      h.add({
        name: 'ema',
        file: join(repo, 'examples', 'strategies', 'ema-cross.js'),
        instruments: ['au2606'],
        params: { useTicks: true },
        enabled: true,
        source: 'configMap',
      });
      const started = await h.start('ema');
      expect(started).toMatchObject({ ok: true });
      expect(h.get('ema')?.state).toBe('running');
      await h.close();
      journal.close();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('copies the operator as JavaScript that loads without type stripping, tests excluded', async () => {
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    const out = mkdtempSync(join(repo, '.tmp', 'strip-'));
    try {
      const n = stripTree(repo, out, ['common', 'operator']);
      expect(n).toBeGreaterThan(50);
      expect(existsSync(join(out, 'operator', 'main.js'))).toBe(true);
      expect(existsSync(join(out, 'operator', 'kube', 'queue.test.js'))).toBe(false);
      expect(readFileSync(join(out, 'operator', 'main.js'), 'utf8')).not.toMatch(/from '\.[^']*\.ts'/);
      const mod = await import(pathToFileURL(join(out, 'operator', 'kube', 'queue.js')).href);
      const q = new mod.WorkQueue();
      q.add('a');
      expect(q.len()).toBe(1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
