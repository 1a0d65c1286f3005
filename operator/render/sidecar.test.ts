import { describe, expect, it } from 'vitest';
import { parseOperatorConfig } from '../config.ts';
import { samplePlatform } from './fixtures.ts';
import { renderSidecars, SIDECAR_CONTAINER, TUN_INIT_CONTAINER } from './sidecar.ts';
import { renderWireGuardService, wireguardEndpoint } from './sidecar-service.ts';

const config = parseOperatorConfig({});
const tp = samplePlatform();

describe('WireGuard sidecar render', () => {
  it('adds a sidecar with only NET_ADMIN, never privileged, and a MKNOD-only init container for /dev/net/tun', () => {
    const ext = renderSidecars(tp, config);
    const [sidecar] = ext.containers;
    expect(sidecar?.name).toBe(SIDECAR_CONTAINER);
    expect(sidecar?.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
    });
    const [init] = ext.initContainers;
    expect(init?.name).toBe(TUN_INIT_CONTAINER);
    expect(init?.securityContext?.capabilities).toEqual({ drop: ['ALL'], add: ['MKNOD'] });
    const env = Object.fromEntries((sidecar?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      AURUM_PEERS_SECRET: 'alice-peers',
      WG_ADDRESS: '10.77.0.1/24',
      WG_LISTEN_PORT: '51820',
      WG_ALLOWED_PORTS: '8080',
    });
    expect(sidecar?.ports).toEqual([{ name: 'wireguard', containerPort: 51820, protocol: 'UDP' }]);
    expect(ext.volumes.find((v) => v.name === 'wireguard-key')?.secret?.secretName).toBe('alice-wireguard');
  });
  it('renders nothing when access is disabled, and follows configured ports', () => {
    expect(renderSidecars(tp, { ...config, access: { enabled: false } } as never).containers).toEqual([]);
    const ext = renderSidecars(tp, { ...config, access: { listenPort: 41000 } } as never);
    expect(ext.containers[0]?.ports?.[0]?.containerPort).toBe(41000);
  });
  it('exposes the sidecar through a NodePort (default) or LoadBalancer Service keeping source addresses', () => {
    const svc = renderWireGuardService(tp, config) as unknown as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    };
    expect(svc.metadata.name).toBe('alice-wireguard');
    expect(svc.spec).toMatchObject({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      ports: [{ port: 51820, protocol: 'UDP', targetPort: 'wireguard' }],
    });
    const lb = renderWireGuardService(tp, {
      ...config,
      access: { serviceType: 'LoadBalancer', servicePort: 443 },
    } as never) as unknown as { spec: Record<string, unknown> };
    expect(lb.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 443 }] });
  });
  it('computes the endpoint investors dial', () => {
    const np = { spec: { type: 'NodePort', ports: [{ port: 51820, nodePort: 31820 }] } };
    expect(wireguardEndpoint(np, '192.168.1.10')).toBe('192.168.1.10:31820');
    expect(wireguardEndpoint(np, '192.168.1.10', 'vpn.example.com')).toBe('vpn.example.com:31820');
    expect(wireguardEndpoint(np, undefined)).toBeUndefined();
    const lb = {
      spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
    };
    expect(wireguardEndpoint(lb, '192.168.1.10')).toBe('203.0.113.7:443');
    expect(
      wireguardEndpoint({ spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } }, 'x'),
    ).toBeUndefined();
  });
});
