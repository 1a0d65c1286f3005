import { describe, expect, it } from 'vitest';
import { parsePool } from './access-address.ts';
import { generateKeyPair } from './access-keys.ts';
import { type AccessInput, planAccess } from './access-plan.ts';

const pool = parsePool('10.77.0.0/24');
const now = new Date('2026-11-25T00:00:00Z');
let n = 0;
function access(name: string, over: Partial<AccessInput> = {}): AccessInput {
  n++;
  return {
    name,
    namespace: 'investors',
    createdAt: `2026-11-01T00:00:${String(n).padStart(2, '0')}Z`,
    username: name.replace(/-/g, ''),
    role: 'trader',
    disabled: false,
    publicKey: generateKeyPair().publicKey,
    passwordHash: 'scrypt$1024$8$1$c2FsdA==$aGFzaA==',
    ...over,
  };
}

describe('planAccess', () => {
  it('makes live peers and logins of valid accesses, with /32 addresses', () => {
    const a = access('alice-laptop', { expiresAt: '2027-01-01T00:00:00Z', role: 'viewer' });
    const plan = planAccess([a], new Map(), { pool, now });
    expect(plan.outcomes).toEqual([
      {
        name: 'alice-laptop',
        state: 'Active',
        reason: 'Active',
        message: 'peer 10.77.0.2/32 is live',
        address: '10.77.0.2',
      },
    ]);
    expect(plan.peers).toEqual([
      {
        name: 'alice-laptop',
        publicKey: a.publicKey,
        allowedIp: '10.77.0.2/32',
        expiresAt: '2027-01-01T00:00:00Z',
      },
    ]);
    expect(plan.users[0]).toMatchObject({
      username: 'alicelaptop',
      role: 'viewer',
      source: 'investors/alice-laptop',
      disabled: false,
    });
    expect(plan.nextExpiry).toBe('2027-01-01T00:00:00Z');
  });
  it('revokes disabled and expired accesses but keeps their address', () => {
    const d = access('d', { disabled: true });
    const e = access('e', { expiresAt: '2026-11-24T23:59:59Z' });
    const plan = planAccess([d, e], new Map(), { pool, now });
    expect(plan.outcomes.map((o) => [o.reason, o.address])).toEqual([
      ['Disabled', '10.77.0.2'],
      ['Expired', '10.77.0.3'],
    ]);
    expect(plan.peers).toEqual([]);
    expect(plan.users).toEqual([]);
  });
  it('refuses a duplicate public key or username; the older access keeps it', () => {
    const a = access('a');
    const b = access('b', { publicKey: a.publicKey });
    const c = access('c', { username: a.username });
    const plan = planAccess([c, b, a], new Map(), { pool, now });
    expect(plan.outcomes.map((o) => `${o.name}:${o.reason}`)).toEqual([
      'a:Active',
      'b:DuplicatePublicKey',
      'c:DuplicateUsername',
    ]);
    expect(plan.allocations.size).toBe(1);
  });
  it('reports an exhausted pool and a reached peer limit in the outcome, not by throwing', () => {
    const tiny = parsePool('10.77.0.0/29'); // 5 peer addresses
    const list = Array.from({ length: 7 }, (_, i) => access(`p${i}`));
    const plan = planAccess(list, new Map(), { pool: tiny, now, peerLimit: 3 });
    expect(plan.outcomes.map((o) => o.reason)).toEqual([
      'Active',
      'Active',
      'Active',
      'PeerLimitReached',
      'PeerLimitReached',
      'PoolExhausted',
      'PoolExhausted',
    ]);
    expect(plan.peers).toHaveLength(3);
  });
  it('refuses an invalid key and keeps persisted addresses across plans (operator restart)', () => {
    const a = access('a');
    const b = access('b');
    const first = planAccess([a, b], new Map(), { pool, now });
    const again = planAccess([b], first.allocations, { pool, now });
    expect(again.allocations.get('b')).toBe(first.allocations.get('b'));
    expect(
      planAccess([access('x', { publicKey: 'nope' })], new Map(), { pool, now }).outcomes[0]?.reason,
    ).toBe('InvalidPublicKey');
  });
});
