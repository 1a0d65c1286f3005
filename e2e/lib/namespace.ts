/**
 * A fresh namespace per test file: `useNamespace('smoke-dns')` registers vitest hooks that create
 * `<prefix>-<random>` before the tests and delete it after; when a test failed, the namespace is dumped
 * to e2e/artifacts/ first (see dump.ts). Set E2E_KEEP_NAMESPACES=1 to keep namespaces for debugging.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { dumpNamespace } from './dump.ts';
import { kubectl } from './kube.ts';

/** Creates a namespace with a random suffix and returns its name. */
export function createNamespace(prefix: string, labels: Record<string, string> = {}): string {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  const meta = { name, labels: { 'aurum.dev/e2e': 'true', ...labels } };
  kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: meta }),
  });
  return name;
}

/** Deletes a namespace (does not wait unless `wait`). */
export function deleteNamespace(name: string, wait = false): void {
  kubectl(['delete', 'namespace', name, '--ignore-not-found', `--wait=${wait}`], {
    check: false,
    timeoutMs: 300_000,
  });
}

/**
 * Registers hooks for a fresh namespace; read `.name` inside tests.
 * @param prefix DNS-1123 prefix, e.g. the test file's topic
 */
export function useNamespace(prefix: string, labels: Record<string, string> = {}): { readonly name: string } {
  const ref = { name: '' };
  let failed = false;
  beforeAll(() => {
    ref.name = createNamespace(prefix, labels);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });
  afterAll(() => {
    if (!ref.name) return;
    if (failed)
      console.error(`e2e: namespace ${ref.name} dumped to ${dumpNamespace(ref.name, `${ref.name}`)}`);
    if (!process.env.E2E_KEEP_NAMESPACES) deleteNamespace(ref.name);
  });
  return ref;
}
