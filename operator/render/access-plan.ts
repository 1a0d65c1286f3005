/**
 * What every InvestorAccess of one platform amounts to (pure): which ones are live peers and logins, which
 * are revoked (disabled, expired) or refused (duplicate key or username, pool exhausted, peer limit), the
 * durable address allocation, and when to look again (the next expiry).
 *
 * Precedence is by age (creation time, then name): the older access keeps a contested public key, username,
 * address or slot under the peer limit, so adding an access can never evict a working one.
 */
import type { Role, RuntimeUser } from '../../common/auth/users.ts';
import { allocate, type Pool } from './access-address.ts';
import { isWireGuardKey } from './access-keys.ts';

/** One InvestorAccess, reduced to what planning needs; credentials already resolved by the controller. */
export interface AccessInput {
  name: string;
  namespace: string;
  /** RFC 3339 creation time (ordering). */
  createdAt: string;
  username: string;
  role: Role;
  disabled: boolean;
  expiresAt?: string;
  /** The investor's key, or the generated one's public half. */
  publicKey: string;
  /** scrypt hash of the current password. */
  passwordHash: string;
}

/** Outcome for one access. */
export type AccessState = 'Active' | 'Revoked' | 'Refused';

/** Per-access result, the basis of its status. */
export interface AccessOutcome {
  name: string;
  state: AccessState;
  /** CamelCase reason: Active, Disabled, Expired, DuplicatePublicKey, DuplicateUsername, PoolExhausted, PeerLimitReached, InvalidPublicKey. */
  reason: string;
  message: string;
  /** Bare tunnel address when one is allocated (kept while the access exists, even if revoked). */
  address?: string;
}

/** A peer as the sidecar reads it from the platform's peers Secret (`peers.json`). */
export interface PeerEntry {
  /** InvestorAccess name (the sidecar logs it). */
  name: string;
  publicKey: string;
  /** `<ip>/32`: the only source address this peer may use inside the tunnel. */
  allowedIp: string;
  /** The sidecar drops the peer by itself at this instant, even if the operator is down. */
  expiresAt?: string;
}

/** Everything the controller writes for one platform. */
export interface AccessPlan {
  outcomes: AccessOutcome[];
  peers: PeerEntry[];
  users: RuntimeUser[];
  /** name → address, to persist (released addresses are simply absent). */
  allocations: Map<string, string>;
  /** Earliest future expiry among live accesses (ISO), when a reconcile must run again. */
  nextExpiry?: string;
}

/** Planning knobs. */
export interface PlanOptions {
  pool: Pool;
  /** Most live peers on one platform. Default 16. */
  peerLimit?: number;
  now: Date;
}

const byAge = (a: AccessInput, b: AccessInput): number =>
  a.createdAt < b.createdAt
    ? -1
    : a.createdAt > b.createdAt
      ? 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0;

/** Plans one platform's accesses. `existing` is the persisted allocation (name → address). */
export function planAccess(
  accesses: readonly AccessInput[],
  existing: ReadonlyMap<string, string>,
  opts: PlanOptions,
): AccessPlan {
  const sorted = [...accesses].sort(byAge);
  const outcomes = new Map<string, AccessOutcome>();
  const keys = new Map<string, string>();
  const usernames = new Map<string, string>();
  for (const a of sorted) {
    if (!isWireGuardKey(a.publicKey)) {
      outcomes.set(
        a.name,
        refused(a, 'InvalidPublicKey', 'the WireGuard public key is not 32 bytes of base64'),
      );
      continue;
    }
    const keyOwner = keys.get(a.publicKey);
    if (keyOwner) {
      outcomes.set(
        a.name,
        refused(a, 'DuplicatePublicKey', `public key already used by InvestorAccess ${keyOwner}`),
      );
      continue;
    }
    const userOwner = usernames.get(a.username);
    if (userOwner) {
      outcomes.set(
        a.name,
        refused(a, 'DuplicateUsername', `username already used by InvestorAccess ${userOwner}`),
      );
      continue;
    }
    keys.set(a.publicKey, a.name);
    usernames.set(a.username, a.name);
  }
  const candidates = sorted.filter((a) => !outcomes.has(a.name));
  const { assigned, exhausted } = allocate(
    opts.pool,
    existing,
    candidates.map((a) => a.name),
  );
  for (const name of exhausted) {
    outcomes.set(name, {
      name,
      state: 'Refused',
      reason: 'PoolExhausted',
      message: 'no free tunnel address in the pool',
    });
  }
  const limit = opts.peerLimit ?? 16;
  let live = 0;
  let nextExpiry: string | undefined;
  const peers: PeerEntry[] = [];
  const users: RuntimeUser[] = [];
  for (const a of candidates) {
    const address = assigned.get(a.name);
    if (!address) continue;
    const revoked = revocation(a, opts.now);
    if (revoked) {
      outcomes.set(a.name, {
        name: a.name,
        state: 'Revoked',
        reason: revoked,
        message: revokedMessage(revoked),
        address,
      });
      continue;
    }
    if (live >= limit) {
      outcomes.set(a.name, {
        name: a.name,
        state: 'Refused',
        reason: 'PeerLimitReached',
        message: `the platform already has ${limit} live peers (its limit)`,
        address,
      });
      continue;
    }
    live++;
    outcomes.set(a.name, {
      name: a.name,
      state: 'Active',
      reason: 'Active',
      message: `peer ${address}/32 is live`,
      address,
    });
    peers.push({
      name: a.name,
      publicKey: a.publicKey,
      allowedIp: `${address}/32`,
      ...(a.expiresAt ? { expiresAt: a.expiresAt } : {}),
    });
    users.push({
      username: a.username,
      role: a.role,
      passwordHash: a.passwordHash,
      disabled: false,
      source: `${a.namespace}/${a.name}`,
      ...(a.expiresAt ? { expiresAt: a.expiresAt } : {}),
    });
    if (a.expiresAt && (!nextExpiry || Date.parse(a.expiresAt) < Date.parse(nextExpiry)))
      nextExpiry = a.expiresAt;
  }
  return {
    outcomes: sorted.map((a) => outcomes.get(a.name) as AccessOutcome),
    peers,
    users,
    allocations: assigned,
    ...(nextExpiry ? { nextExpiry } : {}),
  };
}

function refused(a: AccessInput, reason: string, message: string): AccessOutcome {
  return { name: a.name, state: 'Refused', reason, message };
}

function revocation(a: AccessInput, now: Date): 'Disabled' | 'Expired' | undefined {
  if (a.disabled) return 'Disabled';
  if (a.expiresAt && Date.parse(a.expiresAt) <= now.getTime()) return 'Expired';
  return undefined;
}

function revokedMessage(reason: 'Disabled' | 'Expired'): string {
  return reason === 'Disabled'
    ? 'access disabled: peer and login removed'
    : 'access expired: peer and login removed';
}
