/**
 * Test helpers: network namespaces as stand-ins for investor hosts and pods, and a WireGuard client in a
 * namespace configured from the wg-quick file an InvestorAccess produces (wireguard-go + wg, since these
 * machines have no WireGuard kernel module). Needs root. Used by sidecar tests and e2e/access.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when this process can create namespaces and run wireguard-go (root on a prepared machine). */
export function canRunNetns(): boolean {
  return (
    process.getuid?.() === 0 &&
    existsSync('/usr/bin/wireguard-go') &&
    existsSync('/usr/bin/wg') &&
    existsSync('/dev/net/tun')
  );
}

/** Runs a command inside a namespace; returns stdout or throws with stderr. */
export function nsExec(ns: string, cmd: string, args: string[], timeoutMs = 10_000): string {
  return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], {
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

/** Async variant that never throws: resolves with exit code and output. */
export function nsRun(
  ns: string,
  cmd: string,
  args: string[],
  timeoutMs = 10_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: timeoutMs }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Creates a namespace with loopback up. */
export function createNetns(ns: string): void {
  execFileSync('ip', ['netns', 'add', ns]);
  nsExec(ns, 'ip', ['link', 'set', 'lo', 'up']);
}

/** Deletes a namespace, ignoring errors (cleanup). */
export function deleteNetns(ns: string): void {
  try {
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
}

/**
 * Connects namespace `b` to namespace `a` (or the host when `a` is null) with a veth pair.
 * Addresses are `x.y.z.w/prefix`. When `defaultVia` is set, `b` routes everything through it.
 */
export function linkNetns(
  a: string | null,
  aIf: string,
  aAddr: string,
  b: string,
  bIf: string,
  bAddr: string,
  defaultVia?: string,
): void {
  execFileSync('ip', ['link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf]);
  execFileSync('ip', ['link', 'set', bIf, 'netns', b]);
  if (a) execFileSync('ip', ['link', 'set', aIf, 'netns', a]);
  const inA = (args: string[]) => (a ? nsExec(a, 'ip', args) : execFileSync('ip', args));
  inA(['address', 'add', aAddr, 'dev', aIf]);
  inA(['link', 'set', aIf, 'up']);
  nsExec(b, 'ip', ['address', 'add', bAddr, 'dev', bIf]);
  nsExec(b, 'ip', ['link', 'set', bIf, 'up']);
  if (defaultVia) nsExec(b, 'ip', ['route', 'add', 'default', 'via', defaultVia]);
}

/** A parsed wg-quick file: what `wg setconf` takes, plus the wg-quick-only `Address`. */
export interface WgQuick {
  setconf: string;
  addresses: string[];
  allowedIps: string[];
}

/** Splits a wg-quick file into `wg setconf` input and the addresses/routes wg-quick would add. */
export function parseWgQuick(text: string): WgQuick {
  const addresses: string[] = [];
  const allowedIps: string[] = [];
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\w+)\s*=\s*(.+?)\s*$/.exec(line);
    if (m?.[1] === 'Address') addresses.push(...(m[2] as string).split(',').map((s) => s.trim()));
    else {
      if (m?.[1] === 'AllowedIPs') allowedIps.push(...(m[2] as string).split(',').map((s) => s.trim()));
      if (
        ['DNS', 'MTU', 'Table', 'PreUp', 'PostUp', 'PreDown', 'PostDown', 'SaveConfig'].includes(m?.[1] ?? '')
      )
        continue;
      kept.push(line);
    }
  }
  return { setconf: `${kept.join('\n')}\n`, addresses, allowedIps };
}

/** A WireGuard client interface in a namespace (userspace wireguard-go). */
export class WgClient {
  readonly ns: string;
  readonly iface: string;
  private child: ChildProcess | undefined;
  private dir: string;

  constructor(ns: string, iface: string) {
    this.ns = ns;
    this.iface = iface;
    this.dir = mkdtempSync(join(tmpdir(), 'aurum-wg-'));
  }

  /** Starts wireguard-go and applies a wg-quick file (optionally overriding the routed AllowedIPs). */
  async up(wgQuick: string, routeOverride?: string[]): Promise<void> {
    const conf = parseWgQuick(wgQuick);
    rmSync(`/var/run/wireguard/${this.iface}.sock`, { force: true }); // a stale socket would look ready
    this.child = spawn('ip', ['netns', 'exec', this.ns, 'wireguard-go', '-f', this.iface], {
      stdio: 'ignore',
    });
    const sock = `/var/run/wireguard/${this.iface}.sock`;
    const linkUp = () => {
      try {
        nsExec(this.ns, 'ip', ['link', 'show', this.iface]);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && !(existsSync(sock) && linkUp()); i++) await sleep(50);
    if (!existsSync(sock)) throw new Error(`wireguard-go ${this.iface} did not start`);
    const file = join(this.dir, 'setconf.conf');
    let setconf = conf.setconf;
    if (routeOverride)
      setconf = setconf.replace(/^AllowedIPs = .*$/m, `AllowedIPs = ${routeOverride.join(', ')}`);
    writeFileSync(file, setconf, { mode: 0o600 });
    nsExec(this.ns, 'wg', ['setconf', this.iface, file]);
    for (const a of conf.addresses) nsExec(this.ns, 'ip', ['address', 'add', a, 'dev', this.iface]);
    nsExec(this.ns, 'ip', ['link', 'set', 'mtu', '1420', 'up', 'dev', this.iface]);
    for (const r of routeOverride ?? conf.allowedIps)
      nsExec(this.ns, 'ip', ['route', 'replace', r, 'dev', this.iface]);
  }

  /** Stops wireguard-go and removes its files. */
  down(): void {
    this.child?.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(`/var/run/wireguard/${this.iface}.sock`, { force: true });
  }
}

/** `curl` from a namespace: the HTTP status code, or 0 when nothing answered within `timeoutS`. */
export async function httpStatus(
  ns: string,
  url: string,
  timeoutS = 2,
  extra: string[] = [],
): Promise<number> {
  const r = await nsRun(
    ns,
    'curl',
    ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-m', String(timeoutS), ...extra, url],
    (timeoutS + 2) * 1000,
  );
  return Number(r.stdout.trim()) || 0;
}
