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

/** Returns a user source for buildApiServer's `userSources`. */
export function usersKubeWatch(opts: UsersKubeWatchOptions): (users: UsersStore) => () => void {
  return (users) => {
    const controller = new AbortController();
    const name = usersSecretName(opts.platform);
    const base = `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/secrets`;
    const log = opts.logger.child({ component: 'users-watch', secret: name });
    const decode = (secret: { data?: Record<string, string> } | undefined) => {
      const b64 = secret?.data?.[USERS_SECRET_KEY];
      return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
    };

    async function loop(): Promise<void> {
      let delay = opts.retryMs ?? 1000;
      while (!controller.signal.aborted) {
        try {
          const list = await opts.client.request<{
            metadata: { resourceVersion: string };
            items: { data?: Record<string, string> }[];
          }>('GET', `${base}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`);
          if (list.status !== 200) throw new Error(`list secrets: HTTP ${list.status}`);
          users.apply(decode(list.body.items[0]), 'kube');
          const rv = list.body.metadata.resourceVersion;
          delay = opts.retryMs ?? 1000;
          await opts.client.watch(
            `${base}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
            (e) => {
              if (e.type === 'ADDED' || e.type === 'MODIFIED') users.apply(decode(e.object), 'kube');
              else if (e.type === 'DELETED') users.apply(undefined, 'kube');
              else if (e.type === 'ERROR') log.warn({ status: e.object?.message }, 'watch error event');
            },
            controller.signal,
          );
        } catch (err) {
          if (controller.signal.aborted) return;
          log.warn({ err: (err as Error).message, retryInMs: delay }, 'users Secret watch failed; retrying');
        }
        if (controller.signal.aborted) return;
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, 30_000);
      }
    }
    void loop();
    return () => controller.abort();
  };
}
