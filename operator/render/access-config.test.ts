import { describe, expect, it } from 'vitest';
import { RuntimeUsersFileSchema } from '../../common/auth/users.ts';
import {
  parseAllocations,
  renderAccessSecret,
  renderAllocations,
  renderClientConfig,
  renderPeersFile,
  renderUsersSecret,
} from './access-config.ts';

describe('access configuration', () => {
  it('renders a wg-quick client file that routes only the sidecar address into the tunnel', () => {
    const text = renderClientConfig({
      privateKey: 'PRIV',
      address: '10.77.0.2',
      serverPublicKey: 'PUB',
      endpoint: '192.168.1.10:31820',
      serverIp: '10.77.0.1',
    });
    expect(text).toBe(
      '[Interface]\nPrivateKey = PRIV\nAddress = 10.77.0.2/32\n\n[Peer]\nPublicKey = PUB\nAllowedIPs = 10.77.0.1/32\nEndpoint = 192.168.1.10:31820\nPersistentKeepalive = 25\n',
    );
    const own = renderClientConfig({ address: '10.77.0.3', serverPublicKey: 'PUB', serverIp: '10.77.0.1' });
    expect(own).toContain('# PrivateKey =');
    expect(own).toContain('# Endpoint =');
  });
  it('renders users.json the runtime accepts and peers.json deterministically', () => {
    const s = renderUsersSecret('alice', 'investors', { kind: 'TradingPlatform', name: 'alice', uid: 'u' }, [
      { username: 'bob', role: 'viewer', passwordHash: 'scrypt$1024$8$1$c2FsdA==$aGFzaA==', disabled: false },
      {
        username: 'alice',
        role: 'trader',
        passwordHash: 'scrypt$1024$8$1$c2FsdA==$aGFzaA==',
        disabled: false,
      },
    ]);
    expect(s.metadata?.name).toBe('alice-users');
    const parsed = RuntimeUsersFileSchema.parse(JSON.parse(s.stringData!['users.json']!));
    expect(parsed.users.map((u) => u.username)).toEqual(['alice', 'bob']);
    const p1 = renderPeersFile([
      { name: 'b', publicKey: 'K2', allowedIp: '10.77.0.3/32' },
      { name: 'a', publicKey: 'K1', allowedIp: '10.77.0.2/32' },
    ]);
    const p2 = renderPeersFile([
      { name: 'a', publicKey: 'K1', allowedIp: '10.77.0.2/32' },
      { name: 'b', publicKey: 'K2', allowedIp: '10.77.0.3/32' },
    ]);
    expect(p1).toBe(p2);
  });
  it('round-trips allocations and tolerates garbage', () => {
    const m = new Map([
      ['b', '10.77.0.3'],
      ['a', '10.77.0.2'],
    ]);
    expect(parseAllocations(renderAllocations(m))).toEqual(
      new Map([
        ['a', '10.77.0.2'],
        ['b', '10.77.0.3'],
      ]),
    );
    expect(parseAllocations('{oops')).toEqual(new Map());
    expect(parseAllocations(undefined)).toEqual(new Map());
  });
  it('puts the private key only into the access Secret, owned by its InvestorAccess', () => {
    const s = renderAccessSecret(
      'alice-laptop',
      'investors',
      { kind: 'InvestorAccess', name: 'alice-laptop', uid: 'u' },
      'alice',
      {
        clientConfig: 'x',
        username: 'alice',
        password: 'pw',
        passwordHash: 'h',
        rotation: '',
        publicKey: 'P',
        privateKey: 'K',
      },
    );
    expect(s.metadata?.name).toBe('alice-laptop-access');
    expect(s.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'InvestorAccess', controller: true });
    expect(s.stringData).toMatchObject({ 'aurum.conf': 'x', privateKey: 'K', password: 'pw' });
  });
});
