/**
 * TradingPlatform → the runtime's configuration file (`/etc/aurum/runtime.json`), in the shape of the shared
 * contract common/runtime-config.ts (validated against it, so the operator cannot render a file the runtime
 * would refuse). Secrets never appear in it: it names the directories where they are mounted.
 *
 * Mount layout of the runtime pod (see statefulset.ts):
 *   /etc/aurum/runtime.json                      this file (ConfigMap `<name>-runtime-config`, key runtime.json)
 *   /etc/aurum/counter/{password,appId,authCode} the counter credentials Secret
 *   /etc/aurum/strategies/<strategy>/<key>       each strategy's ConfigMap entry
 *   /etc/aurum/users/users.json                  the platform's users Secret (`<name>-users`, optional)
 *   /var/lib/aurum/journal.db                    the journal, on the PersistentVolumeClaim
 */
import { type RuntimeConfig, RuntimeConfigSchema } from '../../common/runtime-config.ts';
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';

export const CONFIG_DIR = '/etc/aurum';
export const CONFIG_FILE_KEY = 'runtime.json';
export const COUNTER_DIR = '/etc/aurum/counter';
export const STRATEGIES_DIR = '/etc/aurum/strategies';
export const USERS_DIR = '/etc/aurum/users';
export const JOURNAL_DIR = '/var/lib/aurum';

/** Path of one strategy's source inside the pod. */
export const strategyFile = (strategy: string, key: string): string => `${STRATEGIES_DIR}/${strategy}/${key}`;

/** The runtime configuration of one platform (pure). */
export function renderRuntimeConfig(tp: TradingPlatform, config: OperatorConfig): RuntimeConfig {
  const { spec } = tp;
  return RuntimeConfigSchema.parse({
    platform: { name: tp.metadata.name, namespace: tp.metadata.namespace, investor: spec.investor },
    counter: {
      protocol: spec.counter.protocol,
      endpoints: spec.counter.endpoints.map((e) => ({ host: e.host, port: e.port })),
      senderCompId: spec.counter.senderCompId,
      targetCompId: spec.counter.targetCompId,
      accountId: spec.counter.accountId,
      credentialsDir: COUNTER_DIR,
      heartbeatSeconds: spec.counter.heartbeatSeconds,
    },
    marketData: { instruments: [...spec.marketData.instruments] },
    strategies: spec.strategies.map((s) => ({
      name: s.name,
      file: strategyFile(s.name, s.source.configMapRef.key),
      instruments: [...s.instruments],
      params: s.params ?? {},
      enabled: s.enabled,
    })),
    risk: { ...spec.risk },
    api: { port: config.runtimePort, usersFile: `${USERS_DIR}/users.json` },
    journal: { path: `${JOURNAL_DIR}/journal.db` },
  });
}
