import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { layout } from '../config.ts';
import { apiserverArgs, controllerManagerArgs, kubeRouterArgs } from './flags.ts';
import {
  renderCniConflist,
  renderContainerdConfig,
  renderKubeconfig,
  renderKubeletConfig,
  renderKubeProxyConfig,
} from './node.ts';

const l = layout({ state: '/s', cache: '/c' });
const id = { nodeName: 'vm', nodeIp: '192.0.2.2' };
const params = { l, id, pauseImage: 'docker.io/aurum/pause:3.10' };

describe('renderContainerdConfig', () => {
  const toml = renderContainerdConfig(params);
  it('sets what this machine needs for CRI pods', () => {
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('SystemdCgroup = false');
    expect(toml).toContain('bin_dir = "/usr/lib/cni"');
    expect(toml).toContain('sandbox_image = "docker.io/aurum/pause:3.10"');
    expect(toml).toContain('address = "/run/aurum/containerd/containerd.sock"');
    expect(toml).toContain('conf_dir = "/s/cni/net.d"');
    expect(toml).toMatch(/^version = 2$/m);
  });
});

describe('renderCniConflist', () => {
  it('is a bridge + host-local + portmap chain on the node podCIDR', () => {
    const c = JSON.parse(renderCniConflist('10.244.0.0/24', '/s/cni/ipam'));
    expect(c.cniVersion).toBe('1.0.0');
    expect(c.plugins.map((p: { type: string }) => p.type)).toEqual(['bridge', 'portmap']);
    expect(c.plugins[0].bridge).toBe('cni0');
    expect(c.plugins[0].ipam).toEqual({
      type: 'host-local',
      dataDir: '/s/cni/ipam',
      ranges: [[{ subnet: '10.244.0.0/24' }]],
      routes: [{ dst: '0.0.0.0/0' }],
    });
  });
});

describe('renderKubeletConfig', () => {
  const k = parse(renderKubeletConfig(params));
  it('runs on cgroup v1 with cgroupfs and no negative oom adjustments', () => {
    expect(k.kind).toBe('KubeletConfiguration');
    expect(k.cgroupDriver).toBe('cgroupfs');
    expect(k.failCgroupV1).toBe(false);
    expect(k.failSwapOn).toBe(false);
    expect(k.oomScoreAdj).toBe(0);
    expect(k.imageGCHighThresholdPercent).toBe(100);
    expect(k.clusterDNS).toEqual(['10.96.0.10']);
    expect(k.authentication.anonymous.enabled).toBe(false);
    expect(k.authorization.mode).toBe('Webhook');
    expect(k.containerRuntimeEndpoint).toBe('unix:///run/aurum/containerd/containerd.sock');
  });
});

describe('renderKubeProxyConfig and kubeconfig', () => {
  it('uses iptables mode over the pod CIDR', () => {
    const p = parse(renderKubeProxyConfig(params));
    expect(p.mode).toBe('iptables');
    expect(p.clusterCIDR).toBe('10.244.0.0/16');
    expect(p.clientConnection.kubeconfig).toBe('/s/config/kube-proxy.kubeconfig');
  });
  it('renders a client-certificate kubeconfig', () => {
    const k = parse(
      renderKubeconfig({ server: 'https://x:6443', caFile: '/ca', certFile: '/c', keyFile: '/k', user: 'u' }),
    );
    expect(k['current-context']).toBe('aurum');
    expect(k.clusters[0].cluster).toEqual({ server: 'https://x:6443', 'certificate-authority': '/ca' });
    expect(k.users[0].user).toEqual({ 'client-certificate': '/c', 'client-key': '/k' });
  });
});

describe('component flags', () => {
  it('turns on RBAC, ValidatingAdmissionPolicy and in-place resize on the API server', () => {
    const a = apiserverArgs(l, id);
    expect(a).toContain('--authorization-mode=Node,RBAC');
    expect(a.find((f) => f.startsWith('--enable-admission-plugins='))).toContain('ValidatingAdmissionPolicy');
    expect(a).toContain('--feature-gates=InPlacePodVerticalScaling=true');
    expect(a).toContain('--advertise-address=192.0.2.2');
  });
  it('allocates node CIDRs and runs kube-router as firewall only', () => {
    expect(controllerManagerArgs(l)).toEqual(
      expect.arrayContaining(['--allocate-node-cidrs=true', '--cluster-cidr=10.244.0.0/16']),
    );
    expect(kubeRouterArgs(l, id)).toEqual(
      expect.arrayContaining([
        '--run-firewall=true',
        '--run-router=false',
        '--run-service-proxy=false',
        '--enable-cni=false',
      ]),
    );
  });
});
