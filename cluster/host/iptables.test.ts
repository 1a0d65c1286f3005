import { describe, expect, it } from 'vitest';
import { filterIptablesSave } from './iptables.ts';

const SAVE = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-ROUTER-FORWARD - [0:0]
:DOCKER-USER - [0:0]
:AURUM-FORWARD - [0:0]
-A INPUT -m comment --comment "kube" -j KUBE-FIREWALL
-A FORWARD -j KUBE-ROUTER-FORWARD
-A FORWARD -j DOCKER-USER
-A FORWARD -j AURUM-FORWARD
-A FORWARD -m set --match-set KUBE-DST-ABC dst -j ACCEPT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A DOCKER-USER -j RETURN
-A INPUT -s 10.0.0.0/8 -j ACCEPT
COMMIT
*nat
:POSTROUTING ACCEPT [0:0]
:CNI-abc123 - [0:0]
-A POSTROUTING -s 10.244.0.5/32 -m comment --comment "name" -j CNI-abc123
-A CNI-abc123 -d 10.244.0.0/24 -j ACCEPT
COMMIT
`;

describe('filterIptablesSave', () => {
  it('removes the cluster chains, their rules and jumps, keeping everything else', () => {
    const { text, removed } = filterIptablesSave(SAVE);
    expect(text).not.toMatch(/KUBE-|CNI-|AURUM-/);
    expect(text).toContain(':DOCKER-USER - [0:0]');
    expect(text).toContain('-A FORWARD -j DOCKER-USER');
    expect(text).toContain('-A INPUT -s 10.0.0.0/8 -j ACCEPT');
    expect(text).toContain(':FORWARD DROP [0:0]');
    expect(text.match(/COMMIT/g)).toHaveLength(2);
    expect(removed).toBe(11);
  });

  it('leaves a table without cluster rules untouched', () => {
    const plain = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n';
    expect(filterIptablesSave(plain)).toEqual({ text: plain, removed: 0 });
  });
});
