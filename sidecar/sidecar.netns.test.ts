/**
 * The sidecar for real, on this machine: a "pod" namespace runs sidecar/main.ts (wireguard-go) plus a tiny
 * API on 8080/8081 and a decoy on 9999; two "investor" namespaces connect with wg-quick files rendered by
 * the operator's renderer. Proves handshake + TCP through the tunnel, the per-peer firewall, live peer
 * changes without disturbing an open session, revocation and expiry within seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClientConfig, renderPeersFile } from '../operator/render/access-config.ts';
import { generateKeyPair } from '../operator/render/access-keys.ts';
import type { PeerEntry } from '../operator/render/access-plan.ts';
import {
  canRunNetns,
  createNetns,
  deleteNetns,
  httpStatus,
  linkNetns,
  nsExec,
  nsRun,
  WgClient,
} from './testing/netns.ts';

const id = Math.random().toString(36).slice(2, 7);
const POD = `aurum-pod-${id}`;
const INV = [`aurum-inv1-${id}`, `aurum-inv2-${id}`];
const dir = mkdtempSync(join(tmpdir(), 'aurum-sidecar-'));
const server = generateKeyPair();
const keys = [generateKeyPair(), generateKeyPair()];
const procs: ChildProcess[] = [];
const clients: WgClient[] = [];
const peersFile = join(dir, 'peers', 'peers.json');
let sidecarLog = '';

const SERVER_JS = `
const http = require('node:http'), net = require('node:net');
http.createServer((q, s) => s.end('ok ' + q.socket.remoteAddress)).listen(8080);
net.createServer((c) => c.pipe(c)).listen(8081);
http.createServer((q, s) => s.end('decoy')).listen(9999);`;

function writePeers(peers: PeerEntry[]): void {
  writeFileSync(`${peersFile}.tmp`, renderPeersFile(peers));
  // rename = atomic, like the kubelet's Secret volume swap (a reader never sees a missing or partial file).
  renameSync(`${peersFile}.tmp`, peersFile);
}
const peer = (i: number, extra: Partial<PeerEntry> = {}): PeerEntry => ({
  name: `inv${i + 1}`,
  publicKey: keys[i]!.publicKey,
  allowedIp: `10.77.0.${i + 2}/32`,
  ...extra,
});

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 8000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await fn()) return Date.now() - t0;
    await sleep(100);
  }
  throw new Error(`timed out waiting for: ${what}\nsidecar log:\n${sidecarLog}`);
}

describe.runIf(canRunNetns())('WireGuard sidecar in network namespaces', () => {
  beforeAll(async () => {
    createNetns(POD);
    INV.forEach((ns, i) => {
      createNetns(ns);
      linkNetns(POD, `vp${i}${id}`, `10.231.${i}.1/24`, ns, `vi${i}${id}`, `10.231.${i}.2/24`);
    });
    nsExec(POD, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']); // so the FORWARD drop is what stops peer-to-peer
    writeFileSync(join(dir, 'privateKey'), server.privateKey, { mode: 0o600 });
    rmSync(join(dir, 'peers'), { recursive: true, force: true });
    mkdirSync(join(dir, 'peers'));
    writePeers([peer(0)]);
    const app = spawn('ip', ['netns', 'exec', POD, process.execPath, '-e', SERVER_JS], { stdio: 'ignore' });
    procs.push(app);
    const sidecar = spawn(
      'ip',
      ['netns', 'exec', POD, process.execPath, join(import.meta.dirname, 'main.ts')],
      {
        env: {
          ...process.env,
          AURUM_PEERS_FILE: peersFile,
          WG_INTERFACE: `wgs${id}`,
          WG_MODE: 'userspace',
          WG_PRIVATE_KEY_FILE: join(dir, 'privateKey'),
          WG_ALLOWED_PORTS: '8080,8081',
          TERMINATION_LOG: join(dir, 'termination-log'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    sidecar.stdout?.on('data', (d) => {
      sidecarLog += d;
    });
    sidecar.stderr?.on('data', (d) => {
      sidecarLog += d;
    });
    procs.push(sidecar);
    await until('sidecar tunnel up', async () => sidecarLog.includes('tunnel up'));
    for (const [i, ns] of INV.entries()) {
      const c = new WgClient(ns, `wgc${i}${id}`);
      clients.push(c);
      const conf = renderClientConfig({
        privateKey: keys[i]!.privateKey,
        address: `10.77.0.${i + 2}`,
        serverPublicKey: server.publicKey,
        endpoint: `10.231.${i}.1:51820`,
        serverIp: '10.77.0.1',
      });
      // The second investor is hostile: it routes the whole pool into the tunnel to try reaching the first.
      await c.up(conf, i === 1 ? ['10.77.0.0/24'] : undefined);
    }
  }, 60_000);

  afterAll(() => {
    for (const c of clients) c.down();
    for (const p of procs) p.kill('SIGTERM');
    for (const ns of [POD, ...INV]) deleteNetns(ns);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a configured peer reach the API through the tunnel, and nothing else', async () => {
    await until(
      'investor 1 reaches the API',
      async () => (await httpStatus(INV[0]!, 'http://10.77.0.1:8080/')) === 200,
    );
    expect(await httpStatus(INV[0]!, 'http://10.77.0.1:9999/', 2)).toBe(0); // decoy port: dropped by the sidecar firewall
    expect(await httpStatus(INV[1]!, 'http://10.77.0.1:8080/', 2)).toBe(0); // not a peer yet
    // Without the tunnel the pod's own address on the link does not serve investors either (decoy proves L3 works).
    expect(nsExec(POD, 'wg', ['show', `wgs${id}`, 'peers']).trim()).toBe(keys[0]!.publicKey);
  });

  it('adds a peer live without disturbing an open session, then revokes one while the other keeps working', async () => {
    // A long-lived TCP session from investor 1 (echo on 8081), writing every 50 ms.
    const client = spawn(
      'ip',
      [
        'netns',
        'exec',
        INV[0]!,
        process.execPath,
        '-e',
        `
      const s = require('node:net').connect(8081, '10.77.0.1'); let sent = 0, got = 0, err = '';
      s.on('data', (d) => { got += d.length; }); s.on('error', (e) => { err = e.message; });
      const t = setInterval(() => { s.write('x'); sent++; }, 50);
      process.on('SIGTERM', () => { clearInterval(t); setTimeout(() => { console.log(JSON.stringify({ sent, got, err })); process.exit(0); }, 300); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    client.stdout?.on('data', (d) => {
      out += d;
    });
    await sleep(500);
    writePeers([peer(0), peer(1)]);
    const addMs = await until(
      'investor 2 reaches the API',
      async () => (await httpStatus(INV[1]!, 'http://10.77.0.1:8080/', 1)) === 200,
    );
    // Investor 2 cannot reach investor 1 through the tunnel (nothing is forwarded).
    expect((await nsRun(INV[1]!, 'ping', ['-c', '1', '-W', '1', '10.77.0.2'])).code).not.toBe(0);
    expect(await httpStatus(INV[1]!, 'http://10.77.0.2:8080/', 1)).toBe(0);
    await sleep(500);
    client.kill('SIGTERM');
    await until('session stats', async () => out.includes('}'));
    const stats = JSON.parse(out) as { sent: number; got: number; err: string };
    expect(stats.err).toBe('');
    expect(stats.sent).toBeGreaterThan(10);
    expect(stats.got).toBe(stats.sent); // every byte echoed: the session never broke during the change
    // Revoke investor 1: cut within seconds, investor 2 unaffected.
    writePeers([peer(1)]);
    const revokeMs = await until(
      'investor 1 cut',
      async () => (await httpStatus(INV[0]!, 'http://10.77.0.1:8080/', 1)) === 0,
    );
    expect(await httpStatus(INV[1]!, 'http://10.77.0.1:8080/')).toBe(200);
    console.log(`peer add → first 200: ${addMs} ms; revoke → refused: ${revokeMs} ms`);
  });

  it('enforces expiry by itself, without a new peers list', async () => {
    const at = new Date(Date.now() + 1500).toISOString();
    writePeers([peer(1, { expiresAt: at })]);
    await sleep(300);
    expect(await httpStatus(INV[1]!, 'http://10.77.0.1:8080/')).toBe(200);
    const ms = await until(
      'investor 2 expired',
      async () => (await httpStatus(INV[1]!, 'http://10.77.0.1:8080/', 1)) === 0,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
    expect(ms).toBeLessThan(5000);
    expect(nsExec(POD, 'wg', ['show', `wgs${id}`, 'peers']).trim()).toBe('');
  });
});
