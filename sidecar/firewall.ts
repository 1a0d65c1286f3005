/**
 * The per-peer firewall inside the pod's network namespace (pure): an `iptables-restore --noflush` script
 * that rewrites only Aurum's own chains, atomically. Traffic arriving on the tunnel interface may reach the
 * sidecar's tunnel address on the platform's API/dashboard ports, and only from a live peer's own /32
 * (WireGuard's cryptokey routing already guarantees a peer cannot forge another peer's source address).
 * Nothing arriving on the tunnel is ever forwarded: one investor cannot reach another investor or the pod
 * network through it.
 */

/** Chain holding the per-peer rules for input from the tunnel. */
export const INPUT_CHAIN = 'AURUM-WG-IN';
/** Chain dropping anything the tunnel would forward. */
export const FORWARD_CHAIN = 'AURUM-WG-FWD';

/** What the firewall is built from. */
export interface FirewallInput {
  /** Tunnel interface, e.g. `wg0`. */
  iface: string;
  /** The sidecar's bare tunnel IP (destination of allowed traffic). */
  serverIp: string;
  /** Live peers' `<ip>/32`. */
  peerIps: readonly string[];
  /** TCP ports a peer may open (API and dashboard). */
  ports: readonly number[];
}

/** The iptables-restore script (filter table). Jumps from INPUT/FORWARD are installed once by {@link hookRules}. */
export function renderFirewall(f: FirewallInput): string {
  const ports = [...new Set(f.ports)].sort((a, b) => a - b).join(',');
  const lines = [
    '*filter',
    `:${INPUT_CHAIN} - [0:0]`,
    `:${FORWARD_CHAIN} - [0:0]`,
    `-A ${INPUT_CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
  ];
  for (const ip of [...new Set(f.peerIps)].sort()) {
    lines.push(
      `-A ${INPUT_CHAIN} -s ${ip} -d ${f.serverIp}/32 -p tcp -m multiport --dports ${ports} -j ACCEPT`,
    );
  }
  lines.push(`-A ${INPUT_CHAIN} -j DROP`, `-A ${FORWARD_CHAIN} -j DROP`, 'COMMIT', '');
  return lines.join('\n');
}

/** `iptables` argument vectors that hook Aurum's chains into INPUT and FORWARD for the tunnel interface. */
export function hookRules(iface: string): string[][] {
  return [
    ['-I', 'INPUT', '1', '-i', iface, '-j', INPUT_CHAIN],
    ['-I', 'FORWARD', '1', '-i', iface, '-j', FORWARD_CHAIN],
    ['-I', 'FORWARD', '1', '-o', iface, '-j', FORWARD_CHAIN],
  ];
}
