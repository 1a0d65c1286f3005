import { describe, expect, it } from 'vitest';
import { diffPeers, livePeers, nextExpiry, parsePeersFile, parseWgDump, wgSetArgs } from './peers.ts';

const K1 = `${'A'.repeat(43)}=`;
const K2 = `${'B'.repeat(42)}A=`;
const K3 = `${'C'.repeat(42)}A=`;

describe('peers', () => {
  it('parses peers.json and rejects malformed entries', () => {
    expect(
      parsePeersFile(JSON.stringify({ peers: [{ name: 'a', publicKey: K1, allowedIp: '10.77.0.2/32' }] })),
    ).toHaveLength(1);
    expect(() =>
      parsePeersFile(JSON.stringify({ peers: [{ name: 'a', publicKey: K1, allowedIp: '10.77.0.0/24' }] })),
    ).toThrow();
    expect(() => parsePeersFile('{')).toThrow();
  });
  it('filters expired peers and finds the next expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const peers = [
      { name: 'a', publicKey: K1, allowedIp: '10.77.0.2/32', expiresAt: '2025-12-31T23:59:59Z' },
      { name: 'b', publicKey: K2, allowedIp: '10.77.0.3/32', expiresAt: '2026-01-01T00:00:05Z' },
      { name: 'c', publicKey: K3, allowedIp: '10.77.0.4/32' },
    ];
    expect(livePeers(peers, now).map((p) => p.name)).toEqual(['b', 'c']);
    expect(nextExpiry(peers, now)).toBe(Date.parse('2026-01-01T00:00:05Z'));
  });
  it('parses wg dump and diffs minimally, removals first', () => {
    const dump = `PRIV\tPUB\t51820\toff\n${K1}\t(none)\t1.2.3.4:5\t10.77.0.2/32\t0\t0\t0\toff\n${K2}\t(none)\t(none)\t10.77.0.9/32\t0\t0\t0\toff\n${K3}\t(none)\t(none)\t(none)\t0\t0\t0\toff\n`;
    const cur = parseWgDump(dump);
    expect(cur.get(K1)).toBe('10.77.0.2/32');
    expect(cur.get(K3)).toBe('');
    const ops = diffPeers(cur, [
      { name: 'a', publicKey: K1, allowedIp: '10.77.0.2/32' },
      { name: 'b', publicKey: K2, allowedIp: '10.77.0.3/32' },
    ]);
    expect(ops).toEqual([
      { op: 'remove', publicKey: K3 },
      { op: 'set', publicKey: K2, allowedIp: '10.77.0.3/32', name: 'b' },
    ]);
    expect(wgSetArgs('wg0', ops[0]!)).toEqual(['set', 'wg0', 'peer', K3, 'remove']);
    expect(wgSetArgs('wg0', ops[1]!)).toEqual(['set', 'wg0', 'peer', K2, 'allowed-ips', '10.77.0.3/32']);
  });
});
