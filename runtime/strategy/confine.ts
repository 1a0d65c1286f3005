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
 *  - the environment: the host starts the worker with an empty one.
 *
 * This confines code that uses Node's API; it is not a boundary against an exploit of V8 itself. The pod is
 * that boundary (non-root, read-only root filesystem, default-deny NetworkPolicy).
 */
import { registerHooks } from 'node:module';
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
 * Whether a strategy whose files are in the directory `dirUrl` (a file: URL ending in "/") may load the module
 * at the resolved `url`.
 */
export function importAllowed(url: string, dirUrl: string): boolean {
  if (url.startsWith('node:')) return ALLOWED_BUILTINS.has(url);
  return url.startsWith(dirUrl);
}

let confinedTo: string | undefined;

/**
 * Confines this thread to a strategy in `dir` (see the module comment). Once per thread; a second call for
 * another directory throws, as the hook cannot be widened afterwards.
 */
export function confineStrategyThread(dir: string): void {
  const dirUrl = pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`).href;
  if (confinedTo !== undefined) {
    if (confinedTo !== dirUrl) throw new Error(`this thread is already confined to ${confinedTo}`);
    return;
  }
  confinedTo = dirUrl;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (!importAllowed(resolved.url, dirUrl)) throw new Error(importRefusal(specifier));
      return resolved;
    },
  });
  for (const name of REMOVED_PROCESS_MEMBERS) remove(process, name);
  for (const name of REMOVED_GLOBALS) remove(globalThis, name);
}

/** Replaces a member with a fixed `undefined`, so a strategy can neither call nor restore it. */
function remove(target: object, name: string): void {
  Object.defineProperty(target, name, { value: undefined, writable: false, configurable: false });
}
