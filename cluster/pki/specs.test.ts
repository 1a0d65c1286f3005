import { describe, expect, it } from 'vitest';
import { certSpecs, renderExtensions, renderSubject } from './specs.ts';

const id = { nodeName: 'vm', nodeIp: '192.0.2.2' };

describe('certSpecs', () => {
  it('gives the API server every name a client may use', () => {
    const api = certSpecs(id).find((c) => c.name === 'apiserver')!;
    expect(api.dns).toEqual(
      expect.arrayContaining(['kubernetes.default.svc.cluster.local', 'kubernetes', 'localhost', 'vm']),
    );
    expect(api.ips).toEqual(['10.96.0.1', '127.0.0.1', '192.0.2.2']);
  });

  it('puts the kubelet in system:nodes under its node name', () => {
    const k = certSpecs(id).find((c) => c.name === 'kubelet')!;
    expect(k.cn).toBe('system:node:vm');
    expect(k.o).toEqual(['system:nodes']);
    expect(k.usage).toBe('both');
  });
});

describe('renderExtensions', () => {
  it('renders usage and SANs without duplicates', () => {
    const ext = renderExtensions({
      name: 'x',
      ca: 'ca',
      cn: 'x',
      usage: 'both',
      dns: ['a', 'a'],
      ips: ['1.2.3.4'],
    });
    expect(ext).toContain('extendedKeyUsage=serverAuth,clientAuth');
    expect(ext).toContain('subjectAltName=DNS:a,IP:1.2.3.4\n');
    expect(ext).toContain('CA:FALSE');
  });

  it('omits SANs for pure client certificates', () => {
    expect(renderExtensions({ name: 'c', ca: 'ca', cn: 'c', usage: 'client' })).not.toContain(
      'subjectAltName',
    );
  });
});

describe('renderSubject', () => {
  it('lists groups before the common name', () => {
    expect(renderSubject({ cn: 'system:node:vm', o: ['system:nodes'] })).toBe(
      '/O=system:nodes/CN=system:node:vm',
    );
  });
});
