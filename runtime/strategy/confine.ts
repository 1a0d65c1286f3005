/**
 * What a strategy's code can reach besides its `ctx`: called in the strategy's worker thread before the
 * strategy's module is imported, it takes away the Node APIs that reach outside the strategy.
 *
 * Why: the risk engine is the broker's and the regulator's line, and it only holds if every order goes through
 * it. Unconfined, a strategy could read the counter password from the pod's volume and log on to the counter
 * itself (the NetworkPolicy lets the pod reach the counter), rewrite the journal, or abort the whole runtime.
 * A strategy gets market data, orders, timers, state and logging from `ctx`; that is all it needs.
 *
 * What is taken away:
 *  - imports of Node's built-in modules (fs, net, child_process, worker_threads, inspector, crypto's engine
 *    loading, …) except a few pure ones ({@link ALLOWED_BUILTINS}), and of any file outside the strategy's own
 *    directory (helpers next to it stay importable) or any data:/http: module: a module resolution hook
 *    (`module.registerHooks`, which covers `import`, `import()` and `require` alike, in this thread only);
 *  - `process.getBuiltinModule`, `binding`, `dlopen` (the ways around imports), `kill`, `abort`, `execve`,
 *    `reallyExit`, `chdir`, `loadEnvFile`, `report` (writes a file where it is told), and the uncaught-exception
 *    capture callback (the worker's own failure reporting relies on it not being set);
 *  - `fetch`, `WebSocket` and `EventSource`: the pod's only peer is the counter, reached through ctx;
 *  - the worker's message ports (`process._getActiveHandles`, and the port behind the worker's own stdout and
 *    stderr): `console`, `process.stdout` and `process.stderr` are replaced by streams into the strategy's log;
 *  - the environment: the host starts the worker with an empty one.
 *
 * This confines code that uses Node's API; it is not a boundary against an exploit of V8 itself. The pod is
 * that boundary (non-root, read-only root filesystem, default-deny NetworkPolicy).
 */
import { Console } from 'node:console';
import { realpathSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** Built-in modules without I/O, which a strategy may import. */
export const ALLOWED_BUILTINS: ReadonlySet<string> = new Set([
  'node:assert',
  'node:assert/strict',
  'node:buffer',
  'node:events',
  'node:string_decoder',
  'node:util',
]);

/** `process` members a strategy loses (see the module comment). */
export const REMOVED_PROCESS_MEMBERS = [
  // the worker's message ports, through which a forged message can crash the engine's thread
  '_getActiveHandles',
  '_getActiveRequests',
  'getBuiltinModule',
  'binding',
  '_linkedBinding',
  'dlopen',
  'kill',
  '_kill',
  'abort',
  'execve',
  'reallyExit',
  'chdir',
  'loadEnvFile',
  'report',
  'setUncaughtExceptionCaptureCallback',
  'openStdin',
] as const;

/** Globals a strategy loses. */
export const REMOVED_GLOBALS = ['fetch', 'WebSocket', 'EventSource'] as const;

/** Why an import was refused, worded for the strategy's author. */
export function importRefusal(specifier: string): string {
  return (
    `a strategy may not import ${specifier}: strategies reach the counter, their state and their logs only ` +
    'through ctx, and may import only files next to them and node:assert, buffer, events, string_decoder ' +
    'and util (docs/strategies.md, "What a strategy may use")'
  );
}

/**
 * The directories a strategy's files are in, as file: URLs ending in "/": the directory of `file` as given and,
 * when it differs, as resolved. A ConfigMap mounted by the kubelet is a tree of symbolic links
 * (`/etc/aurum/strategies/ema` → `..data/ema` → `..2026_12_03_…/ema`), and Node's loader resolves them: the
 * module's URL is in the resolved directory.
 */
export function strategyDirUrls(file: string): string[] {
  const dir = dirname(file);
  const urls = [dirUrl(dir)];
  try {
    const real = dirUrl(realpathSync(dir));
    if (real !== urls[0]) urls.push(real);
  } catch {
    // not there (yet): the import will say so
  }
  return urls;
}

function dirUrl(dir: string): string {
  return pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`).href;
}

/** Whether a strategy whose files are in the directories `dirUrls` may load the module at the resolved `url`. */
export function importAllowed(url: string, dirUrls: readonly string[]): boolean {
  if (url.startsWith('node:')) return ALLOWED_BUILTINS.has(url);
  return dirUrls.some((d) => url.startsWith(d));
}

let confinedTo: string | undefined;

/**
 * Confines this thread to the strategy module `file` (see the module comment). Once per thread; a second call
 * for another directory throws, as the hook cannot be widened afterwards.
 * @returns the directories the strategy may load from ({@link strategyDirUrls})
 */
export function confineStrategyThread(
  file: string,
  log: (level: 'info' | 'warn', text: string) => void,
): readonly string[] {
  const dirUrls = strategyDirUrls(file);
  const key = dirUrls.join(' ');
  if (confinedTo !== undefined) {
    if (confinedTo !== key) throw new Error(`this thread is already confined to ${confinedTo}`);
    return dirUrls;
  }
  confinedTo = key;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (!importAllowed(resolved.url, dirUrls)) throw new Error(importRefusal(specifier));
      return resolved;
    },
  });
  for (const name of REMOVED_PROCESS_MEMBERS) remove(process, name);
  for (const name of REMOVED_GLOBALS) remove(globalThis, name);
  // A worker's own stdout and stderr are streams over a message port to the engine's thread, reachable from
  // them (and from the console that writes to them): a message forged on it fails an assertion there and ends
  // the whole runtime. The strategy gets streams of its own, whose lines go to its log like ctx.log's.
  const stream = (level: 'info' | 'warn') =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        log(level, String(chunk).replace(/\n$/, ''));
        done();
      },
    });
  const stdout = stream('info');
  const stderr = stream('warn');
  fix(process, 'stdout', stdout);
  fix(process, 'stderr', stderr);
  fix(process, 'stdin', undefined);
  fix(globalThis, 'console', new Console({ stdout, stderr }));
  return dirUrls;
}

/** Sets a member for good: a strategy can neither change nor delete it. */
function fix(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: true });
}

/** Replaces a member with a fixed `undefined`, so a strategy can neither call nor restore it. */
function remove(target: object, name: string): void {
  Object.defineProperty(target, name, { value: undefined, writable: false, configurable: false });
}
