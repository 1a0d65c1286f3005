/**
 * Finalizers for controllers that must clean up something garbage collection cannot (state outside the
 * cluster, objects in other namespaces). The TradingPlatform controller needs none: every child carries an
 * owner reference. Writes are JSON merge patches guarded by resourceVersion, so a concurrent change of the
 * finalizer list fails with 409 (retried) instead of dropping someone else's finalizer.
 */
import type { KubeClient } from './client.ts';
import { type KubeObject, objectPath } from './resources.ts';

/** The finalizer list with `name` added (pure; unchanged list when present). */
export function withFinalizer(list: readonly string[] | undefined, name: string): string[] {
  return list?.includes(name) ? [...list] : [...(list ?? []), name];
}

/** The finalizer list without `name` (pure). */
export function withoutFinalizer(list: readonly string[] | undefined, name: string): string[] {
  return (list ?? []).filter((f) => f !== name);
}

/** Adds `name` to the object's finalizers; no request when already there. Returns the updated object. */
export async function ensureFinalizer<T extends KubeObject>(
  client: KubeClient,
  obj: T,
  name: string,
): Promise<T> {
  if (obj.metadata.finalizers?.includes(name)) return obj;
  return client.mergePatch<T>(objectPath(obj), {
    metadata: {
      resourceVersion: obj.metadata.resourceVersion,
      finalizers: withFinalizer(obj.metadata.finalizers, name),
    },
  });
}

/** Removes `name` from the object's finalizers (after cleanup); no request when absent. */
export async function removeFinalizer<T extends KubeObject>(
  client: KubeClient,
  obj: T,
  name: string,
): Promise<T> {
  if (!obj.metadata.finalizers?.includes(name)) return obj;
  return client.mergePatch<T>(objectPath(obj), {
    metadata: {
      resourceVersion: obj.metadata.resourceVersion,
      finalizers: withoutFinalizer(obj.metadata.finalizers, name),
    },
  });
}
