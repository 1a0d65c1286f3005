/**
 * iptables housekeeping for the cluster. `filterIptablesSave` is pure: it drops every chain whose name
 * starts with one of the cluster's prefixes (kube-proxy KUBE-*, kube-router KUBE-ROUTER-*, CNI's CNI-*,
 * ours AURUM-*), every rule in those chains, and every rule elsewhere that jumps to them or matches
 * their ipsets. Restoring the result removes exactly what the cluster added.
 */
import { NET } from '../config.ts';
import { run } from '../lib/sh.ts';

/** Chain (and ipset) name prefixes owned by the cluster. */
export const OWNED_PREFIXES = ['KUBE-', 'CNI-', 'AURUM-', 'kube-router-'] as const;

const owned = (name: string) => OWNED_PREFIXES.some((p) => name.startsWith(p));

/** Removes the cluster's chains and the rules that reference them from `iptables-save` output. */
export function filterIptablesSave(text: string): { text: string; removed: number } {
  let removed = 0;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) {
      const chain = line.slice(1).split(' ')[0]!;
      if (owned(chain)) {
        removed++;
        continue;
      }
    } else if (line.startsWith('-A ')) {
      const chain = line.split(' ')[1]!;
      const target = / -[jg] (\S+)/.exec(line)?.[1];
      const sets = [...line.matchAll(/--match-set (\S+)/g)].map((m) => m[1]!);
      if (owned(chain) || (target && owned(target)) || sets.some(owned)) {
        removed++;
        continue;
      }
    }
    out.push(line);
  }
  return { text: out.join('\n'), removed };
}

/** Applies {@link filterIptablesSave} to the live IPv4 and IPv6 tables. Returns rules+chains removed. */
export function removeClusterIptables(): number {
  let total = 0;
  for (const [save, restore] of [
    ['iptables-save', 'iptables-restore'],
    ['ip6tables-save', 'ip6tables-restore'],
  ] as const) {
    const r = run(save, [], { check: false });
    if (r.code !== 0) continue;
    const f = filterIptablesSave(r.stdout);
    if (f.removed === 0) continue;
    run(restore, [], { input: f.text });
    total += f.removed;
  }
  return total;
}

/** Destroys the ipsets kube-router created (after the rules that use them are gone). */
export function removeClusterIpsets(): number {
  const r = run('ipset', ['list', '-n'], { check: false });
  if (r.code !== 0) return 0;
  const names = r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((n) => n && (owned(n) || owned(n.replace(/^inet6:/, ''))));
  for (const n of names) run('ipset', ['destroy', n], { check: false });
  return names.length;
}

const FORWARD_CHAIN = 'AURUM-FORWARD';

/**
 * Accepts forwarded pod traffic even if something (a Docker engine started with its default iptables
 * handling) set the FORWARD policy to DROP. Appended, so kube-router's policy chain still sees packets first.
 */
export function ensureForwardAccept(): void {
  const has = run('iptables', ['-S', FORWARD_CHAIN], { check: false }).code === 0;
  if (!has) run('iptables', ['-N', FORWARD_CHAIN]);
  run('iptables', ['-F', FORWARD_CHAIN]);
  run('iptables', ['-A', FORWARD_CHAIN, '-s', NET.podCidr, '-j', 'ACCEPT']);
  run('iptables', ['-A', FORWARD_CHAIN, '-d', NET.podCidr, '-j', 'ACCEPT']);
  if (run('iptables', ['-C', 'FORWARD', '-j', FORWARD_CHAIN], { check: false }).code !== 0) {
    run('iptables', ['-A', 'FORWARD', '-j', FORWARD_CHAIN]);
  }
}
