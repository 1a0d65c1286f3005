import { describe, expect, it } from 'vitest';
import { createLogger } from '../common/log.ts';
import { loadSidecarEnv } from './config.ts';
import { PeerReconciler } from './main.ts';
import type { Peer } from './peers.ts';

const log = createLogger('test', { level: 'silent' });
const K1 = `${'A'.repeat(43)}=`;

describe('PeerReconciler', () => {
  it('syncs only live peers and re-syncs by itself when one expires', async () => {
    const calls: string[][] = [];
    let now = Date.parse('2026-01-01T00:00:00Z');
    const r = new PeerReconciler(
      { sync: async (p: readonly Peer[]) => (calls.push(p.map((x) => x.name)), { added: 0, removed: 0 }) },
      log,
      () => new Date(now),
    );
    await r.set([
      { name: 'a', publicKey: K1, allowedIp: '10.77.0.2/32', expiresAt: new Date(now + 50).toISOString() },
      { name: 'old', publicKey: K1, allowedIp: '10.77.0.3/32', expiresAt: new Date(now - 1).toISOString() },
    ]);
    expect(calls).toEqual([['a']]);
    now += 60;
    await new Promise((res) => setTimeout(res, 120));
    expect(calls.at(-1)).toEqual([]);
    r.stop();
  });
});

describe('sidecar configuration', () => {
  it('applies defaults and requires exactly one peers source', () => {
    const cfg = loadSidecarEnv({ AURUM_PEERS_SECRET: 'alice-peers', WG_ALLOWED_PORTS: '8080,9090' });
    expect(cfg.WG_INTERFACE).toBe('wg0');
    expect(cfg.WG_ALLOWED_PORTS).toEqual([8080, 9090]);
    expect(cfg.WG_LISTEN_PORT).toBe(51820);
    expect(() => loadSidecarEnv({})).toThrow(/exactly one/);
    expect(() => loadSidecarEnv({ AURUM_PEERS_FILE: 'x', WG_LISTEN_PORT: '70000' })).toThrow();
  });
});
