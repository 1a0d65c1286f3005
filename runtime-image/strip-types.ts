/**
 * Writes a JavaScript copy of TypeScript source trees: `node runtime-image/strip-types.ts <out> <dir>...`.
 *
 * Why: Node runs our .ts files directly by stripping their types with a WebAssembly build of swc that it
 * loads on the first .ts import and never unloads — about 17 MiB resident for the life of the process
 * (measured 2026-11-25). The operator's image runs this JavaScript copy instead, so that memory is spent
 * once at image build time. The sources use erasable syntax only (tsconfig `erasableSyntaxOnly`), so
 * stripping is the whole compilation; relative `.ts` import specifiers become `.js`. Test files are skipped.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative } from 'node:path';

/** Pure: the JavaScript for one module's TypeScript source. */
export function toJavaScript(source: string): string {
  return stripTypeScriptTypes(source, { mode: 'strip' }).replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+?)\.ts\2/g,
    '$1$2$3.js$2',
  );
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

/** Writes `<out>/<path relative to root>.js` for every module under `dirs`; returns how many. */
export function stripTree(root: string, out: string, dirs: readonly string[]): number {
  let n = 0;
  for (const dir of dirs) {
    for (const file of sources(join(root, dir))) {
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, toJavaScript(readFileSync(file, 'utf8')));
      n++;
    }
  }
  return n;
}

if (import.meta.main) {
  const [out, ...dirs] = process.argv.slice(2);
  if (!out || !dirs.length) throw new Error('usage: strip-types.ts <out-dir> <source-dir>...');
  const n = stripTree(process.cwd(), out, dirs);
  console.log(`strip-types: ${n} modules → ${out}`);
}
