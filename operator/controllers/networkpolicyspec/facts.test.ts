import { describe, expect, it } from 'vitest';
import { clusterFacts } from './facts.ts';

describe('cluster facts for the firewall', () => {
  it('reads CoreDNS and API server endpoints (post-DNAT ports) and ignores other Services', () => {
    const facts = clusterFacts(
      [
        {
          metadata: { namespace: 'kube-system', labels: { 'kubernetes.io/service-name': 'kube-dns' } },
          addressType: 'IPv4',
          endpoints: [{ addresses: ['10.88.0.5'] }],
          ports: [
            { port: 1053, protocol: 'UDP' },
            { port: 1053, protocol: 'TCP' },
          ],
        },
        {
          metadata: { namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
          addressType: 'IPv4',
          endpoints: [{ addresses: ['192.168.1.10'] }],
          ports: [{ port: 6443, protocol: 'TCP' }],
        },
        {
          metadata: { namespace: 'other', labels: { 'kubernetes.io/service-name': 'kube-dns' } },
          endpoints: [{ addresses: ['1.1.1.1'] }],
          ports: [{ port: 53 }],
        },
      ],
      51820,
    );
    expect(facts).toEqual({
      dnsEndpoints: [
        { ip: '10.88.0.5', port: 1053, protocol: 'TCP' },
        { ip: '10.88.0.5', port: 1053, protocol: 'UDP' },
      ],
      apiServerEndpoints: [{ ip: '192.168.1.10', port: 6443, protocol: 'TCP' }],
      wireguardPort: 51820,
    });
  });
});
