import { describe, expect, it } from 'vitest';
import { essence } from '../controllers/networkpolicyspec/reconciler.ts';
import {
  allowPolicyName,
  type ClusterFacts,
  denyPolicyName,
  type FirewallSpec,
  governingSpecs,
  PLATFORM_LABEL,
  renderPlatformPolicies,
} from './networkpolicy.ts';
import { selectorMatches } from './networkpolicy-selector.ts';

const facts: ClusterFacts = {
  dnsEndpoints: [{ ip: '10.88.0.1', port: 1053, protocol: 'UDP' }],
  apiServerEndpoints: [{ ip: '192.168.1.10', port: 6443, protocol: 'TCP' }],
};
const alice = { name: 'alice', namespace: 'investors', uid: 'u-1', labels: { tier: 'gold' } };

describe('selectorMatches', () => {
  it('implements matchLabels and every operator; empty matches all', () => {
    expect(selectorMatches({}, {})).toBe(true);
    expect(selectorMatches({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(selectorMatches({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    const l = { a: '1' };
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, l)).toBe(
      true,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, l)).toBe(
      false,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['1'] }] }, l)).toBe(
      true,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, l)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, l)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, l)).toBe(false);
  });
});

describe('renderPlatformPolicies', () => {
  it('fails closed: an ungoverned platform gets only the default deny of ingress and egress', () => {
    const { policies, governedBy } = renderPlatformPolicies(
      alice,
      [{ name: 'x', platformSelector: { matchLabels: { tier: 'silver' } } }],
      facts,
    );
    expect(governedBy).toEqual([]);
    expect(policies).toHaveLength(1);
    const [deny] = policies;
    expect(deny?.metadata?.name).toBe(denyPolicyName('alice'));
    expect(deny?.spec).toEqual({
      podSelector: { matchLabels: { [PLATFORM_LABEL]: 'alice' } },
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(deny?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'TradingPlatform',
      name: 'alice',
      uid: 'u-1',
    });
  });

  it('renders DNS to the observed CoreDNS endpoints (post-DNAT port, TCP fallback), API server, counter, VPN', () => {
    const spec: FirewallSpec = {
      name: 'default',
      counterEgress: [
        { cidr: '198.51.100.0/24', ports: [{ port: 9878 }] },
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aurum-system' } },
          podSelector: { matchLabels: { app: 'sim' } },
          ports: [{ port: 9878, protocol: 'TCP' }],
        },
      ],
      vpnIngress: { sourceCidrs: ['203.0.113.0/24'] },
    };
    const { policies } = renderPlatformPolicies(alice, [spec], { ...facts, wireguardPort: 51999 });
    const allow = policies[1]!;
    expect(allow.metadata?.name).toBe(allowPolicyName('alice'));
    const egress = allow.spec!.egress!;
    expect(egress[0]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        },
        { ipBlock: { cidr: '10.88.0.1/32' } },
      ],
      ports: [
        { port: 1053, protocol: 'UDP' },
        { port: 1053, protocol: 'TCP' },
      ],
    });
    expect(egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '192.168.1.10/32' } }],
      ports: [{ port: 6443, protocol: 'TCP' }],
    });
    expect(egress[2]).toEqual({
      to: [{ ipBlock: { cidr: '198.51.100.0/24' } }],
      ports: [{ port: 9878, protocol: 'TCP' }],
    });
    expect(egress[3]?.to?.[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aurum-system' } },
      podSelector: { matchLabels: { app: 'sim' } },
    });
    expect(allow.spec!.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 51999, protocol: 'UDP' }] },
    ]);
  });

  it('falls back to port 53 when no DNS endpoint was observed; omits DNS and API server when no spec allows them', () => {
    const open = renderPlatformPolicies(alice, [{ name: 'a' }], { dnsEndpoints: [], apiServerEndpoints: [] })
      .policies[1]!;
    expect(open.spec!.egress![0]!.ports).toEqual([
      { port: 53, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ]);
    const closed = renderPlatformPolicies(
      alice,
      [{ name: 'a', allowDNS: false, allowApiServer: false }],
      facts,
    ).policies[1]!;
    expect(closed.spec!.egress).toEqual([]);
    expect(closed.spec!.ingress![0]!.from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
  });

  it('combines several specs as a deterministic, de-duplicated union in name order', () => {
    const b: FirewallSpec = {
      name: 'b',
      allowDNS: false,
      allowApiServer: false,
      extraEgress: [{ cidr: '192.0.2.0/24', ports: [{ port: 443 }] }],
      vpnIngress: { sourceCidrs: ['10.0.0.0/8'] },
    };
    const a: FirewallSpec = {
      name: 'a',
      allowDNS: false,
      allowApiServer: true,
      extraEgress: [{ cidr: '192.0.2.0/24', ports: [{ port: 443 }] }],
      vpnIngress: { sourceCidrs: ['172.16.0.0/12', '10.0.0.0/8'] },
    };
    expect(governingSpecs(alice, [b, a]).map((s) => s.name)).toEqual(['a', 'b']);
    const one = renderPlatformPolicies(alice, [b, a], facts);
    const two = renderPlatformPolicies(alice, [a, b], facts);
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(one.governedBy).toEqual(['a', 'b']);
    const allow = one.policies[1]!;
    // API server allowed because `a` allows it; DNS denied because nobody allows it; the /24 once.
    expect(allow.spec!.egress).toHaveLength(2);
    expect(allow.spec!.ingress![0]!.from).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8' } },
      { ipBlock: { cidr: '172.16.0.0/12' } },
    ]);
  });
});

describe('firewall policy comparison', () => {
  it('treats a stored policy without empty lists as equal to a desired one with them (no endless rewrites)', () => {
    const desired = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'alice-deny', labels: { a: 'b' } },
      spec: {
        podSelector: { matchLabels: { x: 'y' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [],
      },
    };
    const stored = {
      ...desired,
      spec: { podSelector: { matchLabels: { x: 'y' } }, policyTypes: ['Ingress', 'Egress'] },
    };
    expect(essence(stored)).toBe(essence(desired));
    expect(essence({ ...stored, spec: { ...stored.spec, policyTypes: ['Ingress'] } })).not.toBe(
      essence(desired),
    );
  });
});
