/**
 * The investor's side of the demo: a "laptop" (a network namespace on this machine with a veth to the host),
 * the WireGuard client configured from the wg-quick file the operator generated, and HTTP calls to the runtime
 * API through the tunnel (curl inside the namespace: nothing else on the host can reach the tunnel address).
 */
import { execFileSync } from 'node:child_process';
import { createNetns, deleteNetns, linkNetns, nsRun, WgClient } from '../../sidecar/testing/netns.ts';

/** Names and addresses of the demo's investor host. */
export const LAPTOP = {
  ns: 'aurum-demo-laptop',
  hostIf: 'aurumdemo0',
  laptopIf: 'aurumdemo1',
  hostAddr: '10.231.250.1/24',
  laptopAddr: '10.231.250.2/24',
  gateway: '10.231.250.1',
  wgIf: 'wgdemo0',
} as const;

/** Removes the laptop (its wireguard-go exits with the namespace's processes). */
export function removeLaptop(): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', LAPTOP.ns], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean);
    for (const pid of pids) process.kill(Number(pid), 'SIGTERM');
  } catch {
    /* no namespace */
  }
  deleteNetns(LAPTOP.ns);
  try {
    execFileSync('ip', ['link', 'del', LAPTOP.hostIf], { stdio: 'ignore' });
  } catch {
    /* gone with the namespace */
  }
}

/** Creates the laptop and brings the tunnel up from the wg-quick text. Returns the client (keep it running). */
export async function connectLaptop(wgQuick: string): Promise<WgClient> {
  removeLaptop();
  createNetns(LAPTOP.ns);
  linkNetns(
    null,
    LAPTOP.hostIf,
    LAPTOP.hostAddr,
    LAPTOP.ns,
    LAPTOP.laptopIf,
    LAPTOP.laptopAddr,
    LAPTOP.gateway,
  );
  const wg = new WgClient(LAPTOP.ns, LAPTOP.wgIf);
  await wg.up(wgQuick);
  return wg;
}

/** An HTTP response as curl saw it from the laptop. */
export interface Response {
  status: number;
  body: string;
}

/**
 * Calls the runtime API from the laptop.
 * @param token bearer token from {@link login}; omitted for the login itself
 */
export async function call(
  url: string,
  opts: { method?: string; json?: unknown; token?: string } = {},
): Promise<Response> {
  const args = ['-s', '-m', '10', '-w', '\n%{http_code}', '-X', opts.method ?? 'GET'];
  if (opts.token) args.push('-H', `authorization: Bearer ${opts.token}`);
  if (opts.json !== undefined)
    args.push('-H', 'content-type: application/json', '-d', JSON.stringify(opts.json));
  const r = await nsRun(LAPTOP.ns, 'curl', [...args, url], 15_000);
  const cut = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(cut + 1)) || 0, body: r.stdout.slice(0, Math.max(cut, 0)) };
}

/** Logs in through the tunnel; returns the bearer token. */
export async function login(apiBase: string, username: string, password: string): Promise<string> {
  const r = await call(`${apiBase}/api/auth/login`, { method: 'POST', json: { username, password } });
  if (r.status !== 200) throw new Error(`login answered ${r.status || 'nothing'}: ${r.body.slice(0, 200)}`);
  return (JSON.parse(r.body) as { token: string }).token;
}
