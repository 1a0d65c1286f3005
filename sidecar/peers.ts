/**
 * The sidecar's peer bookkeeping (pure): parse `peers.json` (rendered by the InvestorAccess controller),
 * drop peers past their expiry, and diff the desired set against what `wg show <if> dump` reports, so a
 * change touches only the peers that changed — the others keep their session and never notice.
 */
import { z } from 'zod';

/** One peer of `peers.json`. */
export const PeerSchema = z.object({
  name: z.string().min(1),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/),
  allowedIp: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/32$/),
  expiresAt: z.string().optional(),
});
export type Peer = z.infer<typeof PeerSchema>;

export const PeersFileSchema = z.object({ peers: z.array(PeerSchema) });

/** Parses `peers.json`; throws a readable error on anything malformed (the caller keeps the last good set). */
export function parsePeersFile(text: string): Peer[] {
  return PeersFileSchema.parse(JSON.parse(text)).peers;
}

/** Peers whose expiry (if any) is still in the future. */
export function livePeers(peers: readonly Peer[], now: Date): Peer[] {
  return peers.filter((p) => !p.expiresAt || Date.parse(p.expiresAt) > now.getTime());
}

/** The next instant at which a live peer expires, or undefined. */
export function nextExpiry(peers: readonly Peer[], now: Date): number | undefined {
  let next: number | undefined;
  for (const p of peers) {
    if (!p.expiresAt) continue;
    const t = Date.parse(p.expiresAt);
    if (t > now.getTime() && (next === undefined || t < next)) next = t;
  }
  return next;
}

/** A peer as the interface has it: public key → allowed IPs (comma-separated, as `wg` prints them). */
export type InterfacePeers = Map<string, string>;

/** Parses `wg show <if> dump`: first line is the interface, then one tab-separated line per peer. */
export function parseWgDump(dump: string): InterfacePeers {
  const peers: InterfacePeers = new Map();
  const lines = dump.split('\n').filter((l) => l.trim());
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    if (f.length >= 4) peers.set(f[0] as string, f[3] === '(none)' ? '' : (f[3] as string));
  }
  return peers;
}

/** One `wg set` change. */
export type PeerOp =
  | { op: 'set'; publicKey: string; allowedIp: string; name: string }
  | { op: 'remove'; publicKey: string };

/** Minimal changes turning `current` into `desired`: removals first, so a moved address never overlaps. */
export function diffPeers(current: InterfacePeers, desired: readonly Peer[]): PeerOp[] {
  const want = new Map(desired.map((p) => [p.publicKey, p]));
  const ops: PeerOp[] = [];
  for (const key of [...current.keys()].sort())
    if (!want.has(key)) ops.push({ op: 'remove', publicKey: key });
  for (const p of [...desired].sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1))) {
    if (current.get(p.publicKey) !== p.allowedIp)
      ops.push({ op: 'set', publicKey: p.publicKey, allowedIp: p.allowedIp, name: p.name });
  }
  return ops;
}

/** `wg set` argument vector for one change. */
export function wgSetArgs(iface: string, op: PeerOp): string[] {
  return op.op === 'remove'
    ? ['set', iface, 'peer', op.publicKey, 'remove']
    : ['set', iface, 'peer', op.publicKey, 'allowed-ips', op.allowedIp];
}
