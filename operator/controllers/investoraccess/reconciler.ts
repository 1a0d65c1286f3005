/**
 * Investor-access reconciler, one pass per TradingPlatform (all its InvestorAccesses at once, so address
 * allocation, duplicate detection and the peer limit are decided in one place without races):
 *
 *   load platform + accesses, read the Secrets (in parallel) → server key (create once) → key per access
 *   (reuse or generate; passwords resolve in the background, new ones pre-hashed by a pool) → plan (pure)
 *   → persist new keys → peers Secret (revocation speed; needs no hash) → users Secret → access Secrets
 *   (wg-quick file + password, last, so a client never dials a peer or logs in before it exists)
 *   → statuses (accesses, platform AccessReady + endpoint) → look again at the next expiry.
 *
 * Durable allocation: the plan's address map is stored in the peers Secret and fed back in, so an operator
 * restart changes no address. Nothing is written when nothing changed.
 */
import type { V1Secret } from '@kubernetes/client-node';
import { usersSecretName } from '../../../common/auth/users.ts';
import type { Condition } from '../../api/common.ts';
import { type InvestorAccessSpec, ROTATE_PASSWORD_ANNOTATION } from '../../api/investoraccess.ts';
import type { TradingPlatform } from '../../api/tradingplatform.ts';
import type { OperatorConfig } from '../../config.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { Clock } from '../../kube/clock.ts';
import { stableStringify } from '../../kube/compare.ts';
import { mergeConditions } from '../../kube/conditions.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../kube/controller.ts';
import { isNotFound } from '../../kube/errors.ts';
import type { Informer } from '../../kube/informer.ts';
import { type KubeObject, RESOURCES, resourcePath } from '../../kube/resources.ts';
import { parsePool, serverIp } from '../../render/access-address.ts';
import {
  ALLOCATIONS_SECRET_KEY,
  accessSecretName,
  type Owner,
  parseAllocations,
  peersSecretName,
  renderAccessSecret,
  renderClientConfig,
  renderPartialAccessSecret,
  renderPeersSecret,
  renderUsersSecret,
  serverKeySecretName,
} from '../../render/access-config.ts';
import { type AccessInput, planAccess } from '../../render/access-plan.ts';
import { accessSettings } from '../../render/access-settings.ts';
import { runtimePodName } from '../../render/names.ts';
import {
  renderWireGuardService,
  wireguardEndpoint,
  wireguardServiceName,
} from '../../render/sidecar-service.ts';
import { hasReadyCondition } from '../networkpolicyspec/reconciler.ts';
import { ACCESS_MANAGER, applyAs } from '../networkpolicyspec/ssa.ts';
import {
  type CredentialGenerators,
  type KeyCredentials,
  type PasswordCredentials,
  type PasswordPool,
  realGenerators,
  resolveKey,
  resolvePassword,
} from './credentials.ts';
import { ACCESS_CONDITION, accessConditions, accessReadyCondition, type SidecarPodView } from './status.ts';

/** An InvestorAccess as cached. */
export type InvestorAccessObject = KubeObject & {
  spec: InvestorAccessSpec;
  status?: {
    observedGeneration?: number;
    tunnelAddress?: string;
    clientConfigSecretRef?: { name: string };
    conditions?: Condition[];
  };
  metadata: KubeObject['metadata'] & { creationTimestamp?: string };
};

export interface AccessCaches {
  platforms: Informer<TradingPlatform & KubeObject>;
  accesses: Informer<InvestorAccessObject>;
  pods: Informer;
  services: Informer;
}

export interface AccessDeps {
  client: KubeClient;
  config: OperatorConfig;
  caches: AccessCaches;
  clock: Clock;
  generators?: CredentialGenerators;
  /** New passwords hashed ahead of time (default: none, every password is hashed on demand). */
  passwordPool?: PasswordPool;
}

type SecretData = Record<string, string>;
const b64 = (d: Record<string, string>) =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
const MAX_REQUEUE_MS = 3_600_000;

/** The InvestorAccesses of one platform. */
export function accessesOf(
  accesses: readonly InvestorAccessObject[],
  namespace: string,
  platform: string,
): InvestorAccessObject[] {
  return accesses.filter(
    (a) =>
      a.metadata.namespace === namespace &&
      a.spec.platformRef.name === platform &&
      !a.metadata.deletionTimestamp,
  );
}

export class InvestorAccessReconciler implements Reconciler {
  private readonly d: AccessDeps;
  private readonly gen: CredentialGenerators;
  private readonly passwordPool: PasswordPool | undefined;
  constructor(deps: AccessDeps) {
    this.d = deps;
    this.gen = deps.generators ?? realGenerators;
    this.passwordPool = deps.passwordPool;
  }

  async reconcile(ctx: ReconcileContext, req: Request): Promise<Result | undefined> {
    const settings = accessSettings(this.d.config);
    const tp = this.d.caches.platforms.get(`${req.namespace}/${req.name}`);
    const accesses = accessesOf(this.d.caches.accesses.list(), req.namespace, req.name);
    if (!tp || tp.metadata.deletionTimestamp || !settings.enabled) {
      const message = !settings.enabled
        ? 'investor access is disabled in the operator configuration'
        : `TradingPlatform ${req.name} not found`;
      for (const a of accesses)
        await this.writeAccessStatus(
          a,
          accessConditions({
            state: 'Refused',
            reason: !settings.enabled ? 'AccessDisabled' : 'PlatformNotFound',
            message,
          }),
          undefined,
        );
      return undefined;
    }
    const owner: Owner = { kind: 'TradingPlatform', name: tp.metadata.name, uid: tp.metadata.uid ?? '' };
    const pool = parsePool(settings.tunnelPool);
    const [serverPublicKey, peersData, usersData, stored] = await Promise.all([
      this.ensureServerKey(tp, owner),
      this.readSecret(req.namespace, peersSecretName(req.name)),
      this.readSecret(req.namespace, usersSecretName(req.name)),
      Promise.all(accesses.map((a) => this.readSecret(req.namespace, accessSecretName(a.metadata.name)))),
    ]);
    const keys = new Map<string, KeyCredentials>();
    for (const [i, a] of accesses.entries())
      keys.set(a.metadata.name, resolveKey(a.spec.wireguard?.publicKey, stored[i] ?? {}, this.gen));
    const now = new Date(this.d.clock.now());
    const planWith = (hashes: (a: InvestorAccessObject) => string) =>
      planAccess(
        accesses.map((a) => toInput(a, keys.get(a.metadata.name) as KeyCredentials, hashes(a))),
        parseAllocations(peersData?.[ALLOCATIONS_SECRET_KEY]),
        { pool, peerLimit: settings.peerLimit, now },
      );
    // Peers, addresses and outcomes do not depend on password hashes: plan them before the hashes exist.
    const plan = planWith(() => '');
    const outcome = (a: InvestorAccessObject) => plan.outcomes.find((x) => x.name === a.metadata.name);
    // Passwords (only for accesses holding an address) resolve in the background: a new one comes hashed
    // ahead of time from the pool, or is hashed (scrypt, slow on purpose) while the peer is being published.
    const passwords = new Map<string, Promise<PasswordCredentials>>();
    for (const [i, a] of accesses.entries()) {
      if (!outcome(a)?.address) continue;
      const pw = resolvePassword(
        a.metadata.annotations?.[ROTATE_PASSWORD_ANNOTATION] ?? '',
        stored[i] ?? {},
        this.gen,
        this.passwordPool,
      );
      pw.catch(() => undefined); // awaited below; a pass that fails earlier must not leave it unhandled
      passwords.set(a.metadata.name, pw);
    }
    const svc = await this.ensureService(tp);
    const pod = this.d.caches.pods.get(`${req.namespace}/${runtimePodName(req.name)}`) as
      | (KubeObject & SidecarPodView)
      | undefined;
    const endpoint = wireguardEndpoint(svc as never, pod?.status?.hostIP, settings.endpointHost);
    const accessSecret = (a: InvestorAccessObject, address: string, pw: PasswordCredentials): V1Secret => {
      const k = keys.get(a.metadata.name) as KeyCredentials;
      const clientConfig = renderClientConfig({
        privateKey: k.privateKey,
        address,
        serverPublicKey,
        endpoint,
        serverIp: serverIp(pool),
      });
      return renderAccessSecret(
        a.metadata.name,
        req.namespace,
        { kind: 'InvestorAccess', name: a.metadata.name, uid: a.metadata.uid ?? '' },
        req.name,
        {
          clientConfig,
          username: a.spec.username,
          password: pw.password,
          passwordHash: pw.passwordHash,
          rotation: pw.rotation,
          publicKey: k.publicKey,
          ...(k.privateKey ? { privateKey: k.privateKey } : {}),
        },
      );
    };
    // 1. Persist a freshly generated key pair before the peers Secret publishes its public half: if a later
    //    step fails, the retry must reuse this key, not generate another. The rest of the access Secret (the
    //    wg-quick file, the password) follows in step 3, after the peer and the login are published: a client
    //    that dials before the sidecar knows it loses its first handshake and WireGuard retries only after 5 s.
    for (const [i, a] of accesses.entries()) {
      const k = keys.get(a.metadata.name) as KeyCredentials;
      if (outcome(a)?.address && k.generated) {
        ctx.log.info({ access: a.metadata.name }, 'key pair generated');
        const { 'aurum.conf': _later, ...kept } = stored[i] ?? {};
        const data = {
          ...kept,
          publicKey: k.publicKey,
          ...(k.privateKey ? { privateKey: k.privateKey } : {}),
        };
        await this.applySecret(
          renderPartialAccessSecret(
            a.metadata.name,
            req.namespace,
            { kind: 'InvestorAccess', name: a.metadata.name, uid: a.metadata.uid ?? '' },
            req.name,
            data,
          ),
          stored[i],
        );
        stored[i] = data;
      }
    }
    // 2. The revocation path: the sidecar and the runtime watch these two. Peers first (nothing to wait for),
    //    then the logins once their hashes are ready.
    await this.applySecret(
      renderPeersSecret(req.name, req.namespace, owner, plan.peers, plan.allocations),
      peersData,
    );
    const pws = new Map<string, PasswordCredentials>();
    for (const [name, pw] of passwords) pws.set(name, await pw);
    if ([...pws.values()].some((p) => p.generated))
      ctx.log.info(
        { accesses: [...pws].filter(([, p]) => p.generated).map(([n]) => n) },
        'passwords generated',
      );
    const withHashes = planWith((a) => pws.get(a.metadata.name)?.passwordHash ?? '');
    await this.applySecret(renderUsersSecret(req.name, req.namespace, owner, withHashes.users), usersData);
    // 3. Everything else: access Secrets (credentials, client configs, endpoint changes), statuses.
    for (const [i, a] of accesses.entries()) {
      const o = outcome(a);
      if (o?.address)
        await this.applySecret(
          accessSecret(a, o.address, pws.get(a.metadata.name) as PasswordCredentials),
          stored[i],
        );
      if (o) await this.writeAccessStatus(a, accessConditions(o), o.address);
    }
    // Platform status only after the TradingPlatform controller's first verdict (see hasReadyCondition).
    const platformJudged = hasReadyCondition(tp);
    if (platformJudged) await this.writePlatformStatus(tp, pod, endpoint, pool);
    if (plan.outcomes.some((o) => o.state === 'Active'))
      ctx.log.debug({ peers: plan.peers.length }, 'access reconciled');
    const waits: number[] = [];
    if (plan.nextExpiry) waits.push(Math.max(Date.parse(plan.nextExpiry) - now.getTime() + 50, 100));
    if (!endpoint) waits.push(5000);
    if (!platformJudged) waits.push(1000);
    return waits.length ? { requeueAfter: Math.min(...waits, MAX_REQUEUE_MS) } : undefined;
  }

  private async readSecret(namespace: string, name: string): Promise<SecretData | undefined> {
    try {
      const s = await this.d.client.get<{ data?: Record<string, string> }>(
        resourcePath(RESOURCES.Secret, { namespace, name }),
      );
      return Object.fromEntries(
        Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Applies a Secret rendered with stringData unless the live data already equals it. */
  private async applySecret(secret: V1Secret, live: SecretData | undefined): Promise<void> {
    const want = secret.stringData ?? {};
    if (live && stableStringify(live) === stableStringify(want)) return;
    const { stringData: _drop, ...rest } = secret;
    await applyAs(this.d.client, ACCESS_MANAGER, { ...rest, data: b64(want) } as unknown as KubeObject);
  }

  /** The sidecar's key pair, generated once and never rotated by the operator (investors' configs pin it). */
  private async ensureServerKey(tp: TradingPlatform & KubeObject, owner: Owner): Promise<string> {
    const name = serverKeySecretName(tp.metadata.name);
    const live = await this.readSecret(tp.metadata.namespace as string, name);
    if (live?.publicKey && live.privateKey) return live.publicKey;
    const pair = this.gen.keyPair();
    await applyAs(this.d.client, ACCESS_MANAGER, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name,
        namespace: tp.metadata.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'aurum-operator', 'aurum.dev/platform': tp.metadata.name },
        ownerReferences: [
          {
            apiVersion: 'aurum.dev/v1alpha1',
            kind: owner.kind,
            name: owner.name,
            uid: owner.uid,
            controller: true,
            blockOwnerDeletion: false,
          },
        ],
      },
      data: b64({ privateKey: pair.privateKey, publicKey: pair.publicKey }),
    } as unknown as KubeObject);
    return pair.publicKey;
  }

  private async ensureService(tp: TradingPlatform & KubeObject): Promise<KubeObject | undefined> {
    const desired = renderWireGuardService(tp, this.d.config);
    const live = this.d.caches.services.get(
      `${tp.metadata.namespace}/${wireguardServiceName(tp.metadata.name)}`,
    );
    const spec = (o: KubeObject | undefined) =>
      (
        o as
          | { spec?: { type?: string; ports?: { port?: number }[]; externalTrafficPolicy?: string } }
          | undefined
      )?.spec;
    const same =
      live &&
      spec(live)?.type === spec(desired)?.type &&
      spec(live)?.ports?.[0]?.port === spec(desired)?.ports?.[0]?.port &&
      spec(live)?.externalTrafficPolicy === 'Local';
    if (same) return live;
    const applied = await applyAs(this.d.client, ACCESS_MANAGER, desired);
    this.d.caches.services.observe(applied);
    return applied;
  }

  private async writeAccessStatus(
    a: InvestorAccessObject,
    conditions: ReturnType<typeof accessConditions>,
    address: string | undefined,
  ): Promise<void> {
    const generation = a.metadata.generation ?? 0;
    const status = {
      observedGeneration: generation,
      ...(address
        ? {
            tunnelAddress: `${address}/32`,
            clientConfigSecretRef: { name: accessSecretName(a.metadata.name) },
          }
        : {}),
      conditions: mergeConditions(a.status?.conditions, conditions, generation, new Date(this.d.clock.now())),
    };
    if (stableStringify(a.status ?? {}) === stableStringify(status)) return;
    const applied = await applyAs<InvestorAccessObject>(
      this.d.client,
      ACCESS_MANAGER,
      {
        apiVersion: a.apiVersion,
        kind: 'InvestorAccess',
        metadata: { name: a.metadata.name, namespace: a.metadata.namespace },
        status,
      } as unknown as KubeObject,
      'status',
    ).catch((e) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    if (applied) this.d.caches.accesses.observe(applied);
  }

  private async writePlatformStatus(
    tp: TradingPlatform & KubeObject,
    pod: SidecarPodView | undefined,
    endpoint: string | undefined,
    pool: ReturnType<typeof parsePool>,
  ): Promise<void> {
    const generation = tp.metadata.generation ?? 0;
    const previous = tp.status?.conditions?.filter((c) => c.type === ACCESS_CONDITION);
    const conditions = mergeConditions(
      previous,
      [accessReadyCondition(pod, endpoint)],
      generation,
      new Date(this.d.clock.now()),
    );
    const ep = {
      ...(endpoint ? { wireguard: endpoint } : {}),
      api: `http://${serverIp(pool)}:${this.d.config.runtimePort}`,
    };
    if (
      stableStringify(previous ?? []) === stableStringify(conditions) &&
      stableStringify(tp.status?.endpoint ?? {}) === stableStringify(ep)
    )
      return;
    await applyAs(
      this.d.client,
      ACCESS_MANAGER,
      {
        apiVersion: tp.apiVersion,
        kind: 'TradingPlatform',
        metadata: { name: tp.metadata.name, namespace: tp.metadata.namespace },
        status: { conditions, endpoint: ep },
      } as KubeObject,
      'status',
    ).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
}

function toInput(a: InvestorAccessObject, k: KeyCredentials, passwordHash: string): AccessInput {
  return {
    name: a.metadata.name,
    namespace: a.metadata.namespace as string,
    createdAt: a.metadata.creationTimestamp ?? '',
    username: a.spec.username,
    role: a.spec.role,
    disabled: a.spec.disabled,
    ...(a.spec.expiresAt ? { expiresAt: a.spec.expiresAt } : {}),
    publicKey: k.publicKey,
    passwordHash,
  };
}
