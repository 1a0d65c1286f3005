/**
 * Seconds-fast revocation in a pod: watches the Secret `<platform>-users` through the Kubernetes API and feeds
 * its users.json into the {@link UsersStore} (the mounted file follows a minute or so later). A deleted Secret
 * means no users (fail closed). The watch restarts with backoff whenever it ends.
 */
import { USERS_SECRET_KEY, usersSecretName } from '../../common/auth/users.ts';
import type { Logger } from '../../common/log.ts';
import type { KubeClient } from '../platform/kube-client.ts';
import type { UsersStore } from './users-store.ts';

export interface UsersKubeWatchOptions {
  client: KubeClient;
  namespace: string;
  platform: string;
  logger: Logger;
  /** First retry delay; doubles up to 30 s. Default 1000 ms. */
  retryMs?: number;
}

/** A user source for buildApiServer's `userSources`. */
export function usersKubeWatch(opts: UsersKubeWatchOptions): (users: UsersStore) => () => void {
  return (users) => watchUsersSecret(opts, (text) => users.apply(text, 'kube'));
}

type SecretDoc = { data?: Record<string, string> } | undefined;

/** Watches the Secret and calls `onUsers` with its users.json text (undefined once deleted); returns stop. */
export function watchUsersSecret(
  opts: UsersKubeWatchOptions,
  onUsers: (text: string | undefined) => void,
): () => void {
  const controller = new AbortController();
  const name = usersSecretName(opts.platform);
  const base = `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/secrets`;
  const selector = `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  const log = opts.logger.child({ component: 'users-watch', secret: name });
  const decode = (secret: SecretDoc) => {
    const b64 = secret?.data?.[USERS_SECRET_KEY];
    return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
  };

  // GET then WATCH (with a metadata.name field selector): exactly what the runtime's Role allows — `get` and
  // `watch` on this one Secret by resourceNames; a LIST would be refused.
  async function once(): Promise<void> {
    const got = await opts.client.request<SecretDoc & { metadata?: { resourceVersion?: string } }>(
      'GET',
      `${base}/${encodeURIComponent(name)}`,
    );
    if (got.status !== 200 && got.status !== 404) throw new Error(`get secret: HTTP ${got.status}`);
    onUsers(got.status === 200 ? decode(got.body) : undefined);
    const rv = got.status === 200 ? got.body?.metadata?.resourceVersion : undefined;
    await opts.client.watch(
      `${base}?watch=true&allowWatchBookmarks=true&${selector}${rv ? `&resourceVersion=${rv}` : ''}`,
      (e) => {
        if (e.type === 'ADDED' || e.type === 'MODIFIED') onUsers(decode(e.object));
        else if (e.type === 'DELETED') onUsers(undefined);
        else if (e.type === 'ERROR') log.warn({ status: e.object?.message }, 'watch error event');
      },
      controller.signal,
    );
  }

  async function loop(): Promise<void> {
    const first = opts.retryMs ?? 1000;
    let delay = first;
    while (!controller.signal.aborted) {
      const started = Date.now();
      try {
        await once();
      } catch (err) {
        if (controller.signal.aborted) return;
        log.warn({ err: (err as Error).message, retryInMs: delay }, 'users Secret watch failed; retrying');
      }
      if (controller.signal.aborted) return;
      // A watch that lasted a while ended normally (the API server closes them); restart promptly.
      if (Date.now() - started > 60_000) delay = first;
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, 30_000);
    }
  }
  void loop();
  return () => controller.abort();
}
