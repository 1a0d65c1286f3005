/**
 * Writes a JavaScript copy of TypeScript source trees: `node runtime-image/strip-types.ts <out> <dir>...`.
 *
 * Why: Node runs our .ts files directly by stripping their types with a WebAssembly build of swc that it
 * loads on the first .ts import and never unloads — about 17 MiB resident for the life of the process
 * (measured 2026-11-25). The operator's image runs this JavaScript copy instead, so that memory is spent
 * once at image build time. The sources use erasable syntax only (tsconfig `erasableSyntaxOnly`), so
 * stripping is the whole compilation; relative `.ts` import specifiers become `.js`. Test files are skipped.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * Pure: the JavaScript for one module's TypeScript source. Relative `.ts` specifiers become `.js` where a
 * module names another module: imports, re-exports, dynamic imports and `new URL('./x.ts', import.meta.url)`
 * (how a worker thread's module is named).
 */
export function toJavaScript(source: string): string {
  return stripTypeScriptTypes(source, { mode: 'strip' })
    .replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+?)\.ts\2/g, '$1$2$3.js$2')
    .replace(
      /(\bnew\s+URL\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]+?)\.ts\2(\s*,\s*import\.meta\.url\s*\))/g,
      '$1$2$3.js$2$4',
    );
}

/**
 * Every file under `dir` but tests (`*.test.*`) and their data (`testdata/`): modules and the files they
 * read (a web page, a schema).
 */
function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testdata') yield* files(path);
    } else if (!name.includes('.test.') && !name.endsWith('.d.ts')) yield path;
  }
}

/**
 * Writes `<out>/<path relative to root>.js` for every module under `dirs`, and copies every other file
 * there unchanged (a module may read files beside it: the dashboard serves ./public); returns how many
 * modules.
 */
export function stripTree(root: string, out: string, dirs: readonly string[]): number {
  let n = 0;
  for (const dir of dirs) {
    for (const file of files(join(root, dir))) {
      const isModule = file.endsWith('.ts');
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      if (isModule) {
        writeFileSync(target, toJavaScript(readFileSync(file, 'utf8')));
        n++;
      } else copyFileSync(file, target);
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
