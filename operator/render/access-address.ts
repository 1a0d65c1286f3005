/**
 * Tunnel address allocation for one platform's WireGuard interface (pure).
 *
 * The pool is an IPv4 CIDR (default {@link DEFAULT_TUNNEL_POOL}); its first host address is the sidecar's
 * own (the runtime API is reached there), the rest go to investors as /32s. Allocation is durable because
 * the controller persists the result (the platform's peers Secret) and feeds it back in: existing
 * assignments are kept verbatim, only newcomers get the lowest free address, and an access that no longer
 * exists releases its address. Collisions in the input (two names claiming one address, e.g. after a
 * hand edit) are resolved in favour of the name that sorts first; the other is re-allocated.
 */

/** Default pool: 10.77.0.0/24 → sidecar 10.77.0.1, 253 investor addresses. */
export const DEFAULT_TUNNEL_POOL = '10.77.0.0/24';

/** A parsed IPv4 pool. */
export interface Pool {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
  /** Number of addresses, network and broadcast included. */
  size: number;
}

/** Parses `a.b.c.d` into an unsigned 32-bit integer; throws on anything else. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Formats an unsigned 32-bit integer as `a.b.c.d`. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses an IPv4 CIDR between /16 and /30 (a tunnel pool needs room for a server and peers). */
export function parsePool(cidr: string): Pool {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const prefix = Number(m[2]);
  if (prefix < 16 || prefix > 30) throw new Error(`tunnel pool prefix must be /16../30: ${cidr}`);
  const size = 2 ** (32 - prefix);
  const network = ipToInt(m[1] as string);
  if (network % size !== 0) throw new Error(`not a network address: ${cidr}`);
  return { network, prefix, size };
}

/** The sidecar's address inside the tunnel (first host), with the pool's prefix, e.g. `10.77.0.1/24`. */
export function serverAddress(pool: Pool): string {
  return `${intToIp(pool.network + 1)}/${pool.prefix}`;
}

/** The sidecar's bare IP, e.g. `10.77.0.1`. */
export function serverIp(pool: Pool): string {
  return intToIp(pool.network + 1);
}

/** Addresses investors may get: second host up to the last before broadcast. */
export function peerCapacity(pool: Pool): number {
  return pool.size - 3;
}

/** Result of {@link allocate}. */
export interface Allocation {
  /** name → bare IPv4 address, for every name that got one. */
  assigned: Map<string, string>;
  /** Names that wanted an address but the pool is exhausted. */
  exhausted: string[];
}

function inPeerRange(pool: Pool, ip: string): boolean {
  try {
    const n = ipToInt(ip);
    return n >= pool.network + 2 && n <= pool.network + pool.size - 2;
  } catch {
    return false;
  }
}

/**
 * Allocates addresses for `wanted` (in the order given: callers pass a stable order such as creation time),
 * keeping every valid `existing` assignment of a still-wanted name.
 */
export function allocate(
  pool: Pool,
  existing: ReadonlyMap<string, string>,
  wanted: readonly string[],
): Allocation {
  const wantedSet = new Set(wanted);
  const assigned = new Map<string, string>();
  const used = new Set<string>();
  for (const name of [...existing.keys()].sort()) {
    const ip = existing.get(name) as string;
    if (!wantedSet.has(name) || !inPeerRange(pool, ip) || used.has(ip)) continue;
    assigned.set(name, ip);
    used.add(ip);
  }
  const exhausted: string[] = [];
  let next = pool.network + 2;
  const last = pool.network + pool.size - 2;
  for (const name of wanted) {
    if (assigned.has(name)) continue;
    while (next <= last && used.has(intToIp(next))) next++;
    if (next > last) {
      exhausted.push(name);
      continue;
    }
    const ip = intToIp(next);
    assigned.set(name, ip);
    used.add(ip);
  }
  return { assigned, exhausted };
}
