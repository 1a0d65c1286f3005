/**
 * Pure renderers for the node's runtime configuration: containerd (CRI), the CNI network, the kubelet
 * and kube-proxy configuration files, and kubeconfigs. Every value that depends on the machine comes in
 * through the arguments, so the tests pin the exact output.
 */
import { stringify } from 'yaml';
import { type HostIdentity, type Layout, NET, PORTS } from '../config.ts';

/** runc's state directory for the cluster's containers. */
export const RUNC_ROOT = '/run/aurum/runc';

/** Inputs shared by the node renderers. */
export interface NodeParams {
  l: Layout;
  id: HostIdentity;
  /** sandbox (pause) image, already imported into containerd */
  pauseImage: string;
}

/**
 * containerd 1.6 config for a second, CRI-enabled instance (Docker's own containerd has CRI disabled).
 * restrict_oom_score_adj: root lacks CAP_SYS_RESOURCE here, so a negative oom_score_adj would fail every
 * sandbox. SystemdCgroup=false: the machine's init is not systemd (cgroupfs driver, like the kubelet).
 */
export function renderContainerdConfig({ l, pauseImage }: NodeParams): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = "${l.containerdRoot}"`,
    `state = "${l.containerdState}"`,
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]',
    '',
    '[grpc]',
    `  address = "${l.containerdSock}"`,
    '',
    '[ttrpc]',
    `  address = "${l.containerdSock}.ttrpc"`,
    '',
    `[${cri}]`,
    `  sandbox_image = "${pauseImage}"`,
    '  restrict_oom_score_adj = true',
    '  enable_unprivileged_ports = true',
    '  enable_unprivileged_icmp = true',
    `  [${cri}.containerd]`,
    '    snapshotter = "overlayfs"',
    '    default_runtime_name = "runc"',
    `    [${cri}.containerd.runtimes.runc]`,
    '      runtime_type = "io.containerd.runc.v2"',
    `      [${cri}.containerd.runtimes.runc.options]`,
    '        SystemdCgroup = false',
    // Our own runc state root, apart from Docker's containerd, so `down` can find and remove only ours.
    `        Root = "${RUNC_ROOT}"`,
    `  [${cri}.cni]`,
    '    bin_dir = "/usr/lib/cni"',
    `    conf_dir = "${l.cniConfDir}"`,
    '    max_conf_num = 1',
    '',
  ].join('\n');
}

/**
 * CNI network: Linux bridge + host-local IPAM over the node's podCIDR (allocated by the controller
 * manager), portmap for hostPort. Masquerade traffic that leaves the pod range.
 */
export function renderCniConflist(podCidr: string, ipamDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'aurum',
      plugins: [
        {
          type: 'bridge',
          bridge: NET.cniBridge,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: ipamDir,
            ranges: [[{ subnet: podCidr }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

/** KubeletConfiguration (v1beta1) for cgroup v1 with the cgroupfs driver. */
export function renderKubeletConfig({ l, id }: NodeParams): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: id.nodeIp,
    port: PORTS.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: PORTS.kubeletHealthz,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: `${l.pki}/ca.crt` },
    },
    authorization: { mode: 'Webhook' },
    tlsCertFile: `${l.pki}/kubelet.crt`,
    tlsPrivateKeyFile: `${l.pki}/kubelet.key`,
    containerRuntimeEndpoint: `unix://${l.containerdSock}`,
    cgroupDriver: 'cgroupfs',
    // The VM's cgroups are v1 (hybrid) and belong to its init; 1.34 still supports v1, say so explicitly.
    failCgroupV1: false,
    failSwapOn: false,
    // Negative adjustments need CAP_SYS_RESOURCE, which root lacks here.
    oomScoreAdj: 0,
    clusterDNS: [NET.dnsServiceIp],
    clusterDomain: NET.clusterDomain,
    resolvConf: '/etc/resolv.conf',
    // containerd 1.6 does not pin images: without this, GC could delete the locally built pause image.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    volumePluginDir: l.kubeletPlugins,
    serializeImagePulls: false,
    maxPods: 110,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    staticPodPath: '',
    shutdownGracePeriod: '0s',
  });
}

/** KubeProxyConfiguration (iptables mode). conntrack sizing left to the kernel (maxPerCore 0). */
export function renderKubeProxyConfig({ l, id }: NodeParams): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: `${l.config}/kube-proxy.kubeconfig` },
    mode: 'iptables',
    clusterCIDR: NET.podCidr,
    hostnameOverride: id.nodeName,
    bindAddress: id.nodeIp,
    metricsBindAddress: `127.0.0.1:${PORTS.kubeProxyMetrics}`,
    healthzBindAddress: `127.0.0.1:${PORTS.kubeProxyHealthz}`,
    conntrack: { maxPerCore: 0, min: 0 },
  });
}

/** A kubeconfig authenticating with a client certificate. */
export function renderKubeconfig(opts: {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  user: string;
}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'aurum', cluster: { server: opts.server, 'certificate-authority': opts.caFile } }],
    users: [{ name: opts.user, user: { 'client-certificate': opts.certFile, 'client-key': opts.keyFile } }],
    contexts: [{ name: 'aurum', context: { cluster: 'aurum', user: opts.user } }],
    'current-context': 'aurum',
  });
}
