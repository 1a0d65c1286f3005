/**
 * The runtime's view of its own platform in the cluster, for runtime/main.ts:
 * - {@link createPlatformPort}: resource-profile switching through the pod's service account, plus the live
 *   users Secret (the API subscribes to it by itself through `watchUsers`), or undefined outside a pod;
 * - {@link createUsersSecretSource}: the same Secret watch as a `userSources` entry, for callers that build
 *   the API without a platform port.
 */
import type { Logger } from '../../common/log.ts';
import type { RuntimeConfig } from '../../common/runtime-config.ts';
import type { PlatformPort } from '../api/engine-port.ts';
import { usersKubeWatch, watchUsersSecret } from '../api/users-kube-watch.ts';
import type { UsersStore } from '../api/users-store.ts';
import { inClusterOptions, KubeClient, type KubeClientOptions } from './kube-client.ts';
import { createKubePlatform } from './kube-platform.ts';

export interface PlatformWiring {
  config: RuntimeConfig;
  logger: Logger;
  /** Default: the pod's service account ({@link inClusterOptions}). */
  kube?: KubeClientOptions;
}

function client(o: PlatformWiring): KubeClient | undefined {
  const opts = o.kube ?? inClusterOptions();
  return opts ? new KubeClient(opts) : undefined;
}

export function createPlatformPort(o: PlatformWiring): PlatformPort | undefined {
  const c = client(o);
  if (!c) return undefined;
  const { name, namespace } = o.config.platform;
  const port = createKubePlatform({ client: c, name, namespace, logger: o.logger });
  port.watchUsers = (onUsers) =>
    watchUsersSecret({ client: c, namespace, platform: name, logger: o.logger }, onUsers);
  return port;
}

export function createUsersSecretSource(o: PlatformWiring): ((users: UsersStore) => () => void) | undefined {
  const c = client(o);
  if (!c) return undefined;
  const { name, namespace } = o.config.platform;
  return usersKubeWatch({ client: c, namespace, platform: name, logger: o.logger });
}
