/**
 * Pure formatting for `kubectl aurum`: one line of health per TradingPlatform, the access Secret's contents.
 * No I/O here, so every line the plugin prints is unit-tested.
 */

/** A condition as the aurum.dev kinds write them. */
export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The parts of a TradingPlatform the status line reads. */
export interface PlatformView {
  metadata: { name: string; namespace?: string; generation?: number; creationTimestamp?: string };
  spec?: { investor?: string; paused?: boolean };
  status?: {
    observedGeneration?: number;
    phase?: string;
    conditions?: ConditionView[];
    runtime?: { pod?: string; profile?: string; image?: string };
    endpoint?: { wireguard?: string; api?: string };
  };
}

/** The parts of the runtime Pod the status line reads. */
export interface PodSummaryView {
  status?: {
    phase?: string;
    containerStatuses?: { name: string; ready?: boolean; restartCount?: number }[];
  };
}

/** Conditions every platform has; the others (Counter, Access...) are listed when they are not True. */
const KSTATUS = new Set(['Ready', 'Reconciling', 'Stalled']);

/**
 * The health of one platform in one line, worst news first, e.g.
 * `investors/alice  Ready  ready=True(Running)  pod=alice-runtime-0 Running 2/2 restarts=0  profile=standard`.
 * @param now for the age; default none (no age shown)
 */
export function statusLine(tp: PlatformView, pod?: PodSummaryView): string {
  const s = tp.status ?? {};
  const cond = (type: string) => s.conditions?.find((c) => c.type === type);
  const ready = cond('Ready');
  const stalled = cond('Stalled');
  const reconciling = cond('Reconciling');
  const parts: string[] = [`${tp.metadata.namespace ?? ''}/${tp.metadata.name}`, s.phase ?? 'Unknown'];
  parts.push(`ready=${ready ? `${ready.status}${ready.reason ? `(${ready.reason})` : ''}` : 'Unknown'}`);
  if (stalled?.status === 'True') parts.push(`STALLED ${describe(stalled)}`);
  else if (reconciling?.status === 'True') parts.push(`reconciling ${describe(reconciling)}`);
  if (tp.metadata.generation !== undefined && (s.observedGeneration ?? 0) < tp.metadata.generation)
    parts.push(
      `not yet observed (generation ${tp.metadata.generation}, observed ${s.observedGeneration ?? 'none'})`,
    );
  for (const c of s.conditions ?? [])
    if (!KSTATUS.has(c.type) && c.status !== 'True') parts.push(`${c.type}=${c.status}(${describe(c)})`);
  if (tp.spec?.paused) parts.push('paused');
  if (s.runtime?.pod) {
    const statuses = pod?.status?.containerStatuses ?? [];
    const readyCount = statuses.filter((c) => c.ready).length;
    const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
    parts.push(
      pod
        ? `pod=${s.runtime.pod} ${pod.status?.phase ?? 'Unknown'} ${readyCount}/${statuses.length} restarts=${restarts}`
        : `pod=${s.runtime.pod} (not found)`,
    );
  }
  if (s.runtime?.profile) parts.push(`profile=${s.runtime.profile}`);
  if (s.endpoint?.wireguard) parts.push(`vpn=${s.endpoint.wireguard}`);
  return parts.join('  ');
}

function describe(c: ConditionView): string {
  const msg = c.message ? `: ${c.message.split('\n')[0]}` : '';
  return `${c.reason ?? c.type}${msg}`;
}

/** Keys of the `<access>-access` Secret the operator writes (operator/render/access-config.ts). */
export const ACCESS_SECRET_KEYS = {
  config: 'aurum.conf',
  username: 'username',
  password: 'password',
} as const;

/** The parts of an InvestorAccess the plugin reads. */
export interface AccessView {
  metadata: { name: string; namespace?: string };
  spec?: { platformRef?: { name: string }; username?: string };
  status?: { clientConfigSecretRef?: { name: string }; conditions?: ConditionView[]; tunnelAddress?: string };
}

/** Decodes a Secret's base64 `data` entry; throws naming the key when it is missing. */
export function secretValue(
  secret: { data?: Record<string, string> },
  key: string,
  secretName: string,
): string {
  const v = secret.data?.[key];
  if (v === undefined) throw new Error(`Secret ${secretName} has no key "${key}"`);
  return Buffer.from(v, 'base64').toString('utf8');
}

/**
 * What `kubectl aurum wg-config` prints: the wg-quick file, and with `showLogin` the login as comments
 * (so the output is still a valid wg-quick file).
 */
export function wgConfigText(
  secret: { data?: Record<string, string> },
  secretName: string,
  showLogin: boolean,
): string {
  const config = secretValue(secret, ACCESS_SECRET_KEYS.config, secretName);
  if (!showLogin) return config;
  const user = secretValue(secret, ACCESS_SECRET_KEYS.username, secretName);
  const password = secretValue(secret, ACCESS_SECRET_KEYS.password, secretName);
  return `${config.trimEnd()}\n\n# Runtime API / dashboard login (change the password after the first login)\n# username: ${user}\n# password: ${password}\n`;
}
