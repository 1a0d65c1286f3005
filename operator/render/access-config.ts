/**
 * Texts and Secrets of investor access (pure): the wg-quick file handed to the investor, the sidecar's
 * `peers.json`, the runtime's `users.json`, and the Secret objects that carry them.
 */
import type { V1Secret } from '@kubernetes/client-node';
import { type RuntimeUser, USERS_SECRET_KEY, usersSecretName } from '../../common/auth/users.ts';
import type { PeerEntry } from './access-plan.ts';

/** Key of the peers list in the platform's peers Secret. */
export const PEERS_SECRET_KEY = 'peers.json';
/** Key of the durable address allocation in the same Secret (name → address). */
export const ALLOCATIONS_SECRET_KEY = 'allocations.json';
/** Name of the platform's peers Secret (read by the sidecar through the API). */
export const peersSecretName = (platform: string): string => `${platform}-peers`;
/** Name of the Secret with the sidecar's WireGuard key pair (keys `privateKey`, `publicKey`). */
export const serverKeySecretName = (platform: string): string => `${platform}-wireguard`;
/** Name of the Secret handed to the admin for one InvestorAccess. */
export const accessSecretName = (access: string): string => `${access}-access`;

/** Inputs of the investor's wg-quick configuration. */
export interface ClientConfigInput {
  /** The investor's private key if the operator generated it; otherwise a placeholder line asks for theirs. */
  privateKey?: string;
  /** Bare tunnel address of the investor. */
  address: string;
  serverPublicKey: string;
  /** `host:port` where the sidecar listens; absent while the Service has no address yet. */
  endpoint?: string;
  /** Sidecar's tunnel IP: the only address the investor routes into the tunnel. */
  serverIp: string;
  /** Default 25 s: keeps NAT mappings open on the investor's side. */
  persistentKeepalive?: number;
}

/** The wg-quick file (`wg-quick up ./aurum.conf`, or `wg setconf` after stripping `Address`). */
export function renderClientConfig(c: ClientConfigInput): string {
  return [
    '[Interface]',
    c.privateKey
      ? `PrivateKey = ${c.privateKey}`
      : '# PrivateKey = <your own private key: its public half is in the InvestorAccess>',
    `Address = ${c.address}/32`,
    '',
    '[Peer]',
    `PublicKey = ${c.serverPublicKey}`,
    `AllowedIPs = ${c.serverIp}/32`,
    c.endpoint
      ? `Endpoint = ${c.endpoint}`
      : '# Endpoint = <not yet known: see the TradingPlatform status.endpoint.wireguard>',
    `PersistentKeepalive = ${c.persistentKeepalive ?? 25}`,
    '',
  ].join('\n');
}

/** `peers.json`: sorted by name so an unchanged set renders byte-identically (no needless reloads). */
export function renderPeersFile(peers: readonly PeerEntry[]): string {
  return `${JSON.stringify({ peers: [...peers].sort((a, b) => (a.name < b.name ? -1 : 1)) }, null, 2)}\n`;
}

/** `users.json` in the format of common/auth/users.ts, sorted by username. */
export function renderUsersFile(users: readonly RuntimeUser[]): string {
  return `${JSON.stringify({ users: [...users].sort((a, b) => (a.username < b.username ? -1 : 1)) }, null, 2)}\n`;
}

/** `allocations.json`: name → address, sorted. */
export function renderAllocations(allocations: ReadonlyMap<string, string>): string {
  return `${JSON.stringify(Object.fromEntries([...allocations].sort(([a], [b]) => (a < b ? -1 : 1))), null, 2)}\n`;
}

/** Parses `allocations.json`; anything malformed yields an empty map (addresses are then re-allocated). */
export function parseAllocations(text: string | undefined): Map<string, string> {
  if (!text) return new Map();
  try {
    const obj = JSON.parse(text) as unknown;
    if (!obj || typeof obj !== 'object') return new Map();
    return new Map(Object.entries(obj).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

/** An owner reference to the TradingPlatform, so Kubernetes garbage-collects the children with it. */
export interface Owner {
  kind: 'TradingPlatform' | 'InvestorAccess';
  name: string;
  uid: string;
}

function secret(
  name: string,
  namespace: string,
  owner: Owner | undefined,
  data: Record<string, string>,
  labels: Record<string, string>,
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'aurum-operator', ...labels },
      ...(owner
        ? {
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
          }
        : {}),
    },
    stringData: data,
  };
}

/** The platform's peers Secret: the sidecar's peer list plus the durable allocation. */
export function renderPeersSecret(
  platform: string,
  namespace: string,
  owner: Owner | undefined,
  peers: readonly PeerEntry[],
  allocations: ReadonlyMap<string, string>,
): V1Secret {
  return secret(
    peersSecretName(platform),
    namespace,
    owner,
    { [PEERS_SECRET_KEY]: renderPeersFile(peers), [ALLOCATIONS_SECRET_KEY]: renderAllocations(allocations) },
    { 'aurum.dev/platform': platform },
  );
}

/** The platform's users Secret read by the runtime. */
export function renderUsersSecret(
  platform: string,
  namespace: string,
  owner: Owner | undefined,
  users: readonly RuntimeUser[],
): V1Secret {
  return secret(
    usersSecretName(platform),
    namespace,
    owner,
    { [USERS_SECRET_KEY]: renderUsersFile(users) },
    { 'aurum.dev/platform': platform },
  );
}

/** What the admin hands to the investor: wg-quick file, username, password (and the generated private key). */
export interface AccessSecretData {
  clientConfig: string;
  username: string;
  password: string;
  /** Kept so the hash need not be recomputed (the salt is random) on every reconcile. */
  passwordHash: string;
  /** The annotation value this password was generated for (rotation compares it). */
  rotation: string;
  privateKey?: string;
  publicKey: string;
}

/** The `<access>-access` Secret, owned by its InvestorAccess. */
export function renderAccessSecret(
  access: string,
  namespace: string,
  owner: Owner,
  platform: string,
  d: AccessSecretData,
): V1Secret {
  return renderPartialAccessSecret(access, namespace, owner, platform, {
    'aurum.conf': d.clientConfig,
    username: d.username,
    password: d.password,
    passwordHash: d.passwordHash,
    rotation: d.rotation,
    publicKey: d.publicKey,
    ...(d.privateKey ? { privateKey: d.privateKey } : {}),
  });
}

/**
 * The `<access>-access` Secret with only some of its keys: a generated key pair is persisted alone before its
 * public half is published, the rest follows once the peer and the login are live.
 */
export function renderPartialAccessSecret(
  access: string,
  namespace: string,
  owner: Owner,
  platform: string,
  data: Record<string, string>,
): V1Secret {
  return secret(accessSecretName(access), namespace, owner, data, {
    'aurum.dev/platform': platform,
    'aurum.dev/investoraccess': access,
  });
}
