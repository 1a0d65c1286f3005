/**
 * Writes the benchmark tick file once into a cache directory and reuses it: the file name carries every
 * generator input, so a changed input never reads a stale file.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { generateTicks, TICK_CSV_HEADER, type TickOptions, tickToCsv } from './ticks.ts';

/** Bumped whenever the generator's output for the same options changes. */
export const TICK_FORMAT_VERSION = 2;

/**
 * The benchmark cache directory: `$AURUM_BENCH_CACHE`, default `~/.cache/aurum/bench` (outside the repository,
 * so nothing generated is ever committed).
 */
export function benchCacheDir(): string {
  return process.env.AURUM_BENCH_CACHE ?? join(homedir(), '.cache', 'aurum', 'bench');
}

/**
 * Returns the path of the tick file for these options, generating it when missing (atomically: written to a
 * temporary name and renamed, so an interrupted run leaves no half file behind).
 * @param options generator options (defaults as in {@link TickOptions})
 * @param dir cache directory (default {@link benchCacheDir})
 */
export function ensureTickFile(
  options: TickOptions = {},
  dir = benchCacheDir(),
): { path: string; generated: boolean } {
  const count = options.count ?? 200_000;
  const seed = options.seed ?? 20260302;
  const instrument = options.instrument ?? 'au2606';
  const path = join(
    dir,
    `ticks-${instrument}-s${seed}-n${count}-${options.startDate ?? 'd'}-${options.centre ?? 'c'}-${options.stepTicks ?? 'k'}-v${TICK_FORMAT_VERSION}.csv`,
  );
  if (existsSync(path)) return { path, generated: false };
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    let chunk = `${TICK_CSV_HEADER}\n`;
    for (const t of generateTicks({ ...options, count, seed, instrument })) {
      chunk += `${tickToCsv(t)}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path, generated: true };
}
