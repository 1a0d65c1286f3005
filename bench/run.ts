/**
 * One entry point for every benchmark.
 *   npm run bench -- --list      one benchmark name per line (first word), then its summary
 *   npm run bench -- <name>      runs it; its last line holds the headline figures and ratios
 *
 * A benchmark is a file `bench/<name>.bench.ts` whose default export is a {@link Benchmark}.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Benchmark {
  /** One line: what is measured and against which peer or physical limit. */
  summary: string;
  /** Runs the benchmark; returns the headline line (figures and ratios) printed last. */
  run(args: string[]): Promise<string>;
}

const benchDir = dirname(fileURLToPath(import.meta.url));

function benchmarkNames(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
}

async function load(name: string): Promise<Benchmark> {
  const mod = await import(pathToFileURL(join(benchDir, `${name}.bench.ts`)).href);
  return mod.default as Benchmark;
}

async function main(argv: string[]): Promise<number> {
  const names = benchmarkNames();
  const [first, ...rest] = argv;
  if (!first || first === '--list') {
    for (const name of names) console.log(`${name} ${(await load(name)).summary}`);
    return 0;
  }
  if (!names.includes(first)) {
    console.error(`unknown benchmark "${first}"; known: ${names.join(', ')}`);
    return 2;
  }
  const headline = await (await load(first)).run(rest);
  console.log(headline);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
