/**
 * Bringing the tunnel interface up and applying peer/firewall changes (I/O: runs `ip`, `wg`, `iptables`,
 * `wireguard-go`). Kernel WireGuard is used when `ip link add … type wireguard` works; otherwise the
 * userspace wireguard-go (on /dev/net/tun) serves the same interface name, and `wg` drives either through
 * the same commands. Everything here needs only CAP_NET_ADMIN in the pod's network namespace.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Logger } from '../common/log.ts';
import { hookRules, renderFirewall } from './firewall.ts';
import { diffPeers, type Peer, parseWgDump, wgSetArgs } from './peers.ts';

const run = promisify(execFile);

/** Settings of the tunnel. */
export interface TunnelOptions {
  /** Interface name. Default `wg0`. */
  iface: string;
  /** Sidecar address with prefix, e.g. `10.77.0.1/24`. */
  address: string;
  /** UDP listen port. Default 51820. */
  listenPort: number;
  /** File holding the base64 private key (mounted Secret). */
  privateKeyFile: string;
  /** TCP ports peers may open on the sidecar's tunnel address. Default [8080]. */
  ports: number[];
  /** `kernel`, `userspace`, or `auto` (default: kernel when it works). */
  mode: 'auto' | 'kernel' | 'userspace';
  /** Extra environment for wireguard-go (e.g. `LOG_LEVEL=debug`). */
  env?: NodeJS.ProcessEnv;
}

/** Runs a command; rejects with its stderr in the message. */
export async function sh(cmd: string, args: string[], input?: string): Promise<string> {
  if (input === undefined) {
    try {
      return (await run(cmd, args)).stdout;
    } catch (e) {
      throw new Error(
        `${cmd} ${args.join(' ')}: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`,
      );
    }
  }
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

/** A running tunnel. */
export class Tunnel {
  readonly opts: TunnelOptions;
  readonly log: Logger;
  mode: 'kernel' | 'userspace' | undefined;
  private child: ChildProcess | undefined;
  private serverIp: string;

  constructor(opts: TunnelOptions, log: Logger) {
    this.opts = opts;
    this.log = log;
    this.serverIp = opts.address.split('/')[0] as string;
  }

  /** Creates and configures the interface and the firewall hooks; throws with a reason when impossible. */
  async up(): Promise<void> {
    const { iface } = this.opts;
    this.mode = await this.createInterface();
    await sh('wg', [
      'set',
      iface,
      'listen-port',
      String(this.opts.listenPort),
      'private-key',
      this.opts.privateKeyFile,
    ]);
    await sh('ip', ['address', 'replace', this.opts.address, 'dev', iface]);
    await sh('ip', ['link', 'set', 'mtu', '1420', 'up', 'dev', iface]);
    await this.applyFirewall([]);
    for (const args of hookRules(iface)) await sh('iptables', args);
    this.log.info(
      { iface, mode: this.mode, address: this.opts.address, listenPort: this.opts.listenPort },
      'tunnel up',
    );
  }

  private async createInterface(): Promise<'kernel' | 'userspace'> {
    const { iface, mode } = this.opts;
    if (mode !== 'userspace') {
      try {
        await sh('ip', ['link', 'add', iface, 'type', 'wireguard']);
        return 'kernel';
      } catch (e) {
        if (mode === 'kernel') throw e;
        this.log.info({ reason: (e as Error).message }, 'no kernel WireGuard, using wireguard-go');
      }
    }
    await ensureTunDevice();
    const child = spawn('wireguard-go', ['-f', iface], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...this.opts.env },
    });
    this.child = child;
    let exited: string | undefined;
    child.on('exit', (code, signal) => {
      exited = `wireguard-go exited (${code ?? signal})`;
      this.log.error({ code, signal }, 'wireguard-go exited');
    });
    const sock = `/var/run/wireguard/${iface}.sock`;
    for (let i = 0; i < 100 && !existsSync(sock); i++) {
      if (exited) throw new Error(exited);
      await sleep(50);
    }
    if (!existsSync(sock)) throw new Error(`wireguard-go did not create ${sock}`);
    return 'userspace';
  }

  /** The peers the interface has now (public key → allowed IPs). */
  async currentPeers(): Promise<Map<string, string>> {
    return parseWgDump(await sh('wg', ['show', this.opts.iface, 'dump']));
  }

  /**
   * Makes the interface's peers equal `peers`, touching only what changed, and the firewall with them.
   * The firewall goes first, in one rewrite: a removed peer is cut before it is forgotten (a revoked investor
   * loses the session immediately), and an added peer's rule is there before its first packet can arrive (a
   * rule for an address no peer holds admits nothing: wg0 only delivers packets whose source matches the
   * sending peer's allowed IPs), so a new client's first TCP SYN is not dropped into a 1 s retransmit. An
   * address moving from one key to another opens only once the old key is gone (a second rewrite).
   */
  async sync(peers: readonly Peer[]): Promise<{ added: number; removed: number }> {
    const current = await this.currentPeers();
    const ops = diffPeers(current, peers);
    const want = peers.map((p) => p.allowedIp);
    const staying = new Set(peers.map((p) => p.publicKey));
    const held = new Set(
      [...current]
        .filter(([key]) => !staying.has(key))
        .flatMap(([, ips]) => ips.split(','))
        .filter(Boolean),
    );
    const first = want.filter((ip) => !held.has(ip));
    await this.applyFirewall(first);
    let added = 0;
    let removed = 0;
    for (const op of ops) {
      await sh('wg', wgSetArgs(this.opts.iface, op));
      if (op.op === 'remove') removed++;
      else added++;
      this.log.info(
        { op: op.op, peer: op.op === 'set' ? op.name : op.publicKey.slice(0, 8) },
        'peer changed',
      );
    }
    if (first.length !== want.length) await this.applyFirewall(want);
    return { added, removed };
  }

  private async applyFirewall(peerIps: string[]): Promise<void> {
    const script = renderFirewall({
      iface: this.opts.iface,
      serverIp: this.serverIp,
      peerIps,
      ports: this.opts.ports,
    });
    await sh('iptables-restore', ['--noflush'], script);
  }

  /** Stops wireguard-go (kernel interfaces vanish with the pod's namespace). */
  down(): void {
    this.child?.kill('SIGTERM');
  }
}

/**
 * Creates /dev/net/tun when the container runtime did not expose it. runc allows the device (c 10:200) in
 * its default device cgroup rules but does not create the node; creating it needs CAP_MKNOD.
 */
async function ensureTunDevice(): Promise<void> {
  if (existsSync('/dev/net/tun')) return;
  try {
    await sh('mkdir', ['-p', '/dev/net']);
    await sh('mknod', ['-m', '0600', '/dev/net/tun', 'c', '10', '200']);
  } catch (e) {
    throw new Error(
      `/dev/net/tun is missing and cannot be created (needs CAP_MKNOD): ${(e as Error).message}`,
    );
  }
}
