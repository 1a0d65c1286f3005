/**
 * Pure command lines of the host-process components. Each returns the argv after the binary.
 * Reference: hack/local-up-cluster.sh in the kubernetes module.
 */
import { type HostIdentity, type Layout, NET, PORTS } from '../config.ts';

/** Admission plugins: the usual recommended set plus ValidatingAdmissionPolicy and PodSecurity. */
export const ADMISSION_PLUGINS = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'DefaultStorageClass',
  'DefaultTolerationSeconds',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ResourceQuota',
  'PodSecurity',
  'NodeRestriction',
  'PersistentVolumeClaimResize',
  'StorageObjectInUseProtection',
  'Priority',
  'RuntimeClass',
] as const;

/** Feature gates set explicitly (InPlacePodVerticalScaling is beta and on by default since 1.33). */
export const FEATURE_GATES = 'InPlacePodVerticalScaling=true';

/** etcd: single member on loopback, plain HTTP (never leaves the machine). */
export function etcdArgs(l: Layout): string[] {
  return [
    '--name=aurum',
    `--data-dir=${l.etcdData}`,
    `--listen-client-urls=http://127.0.0.1:${PORTS.etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${PORTS.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${PORTS.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${PORTS.etcdPeer}`,
    `--initial-cluster=aurum=http://127.0.0.1:${PORTS.etcdPeer}`,
    `--listen-metrics-urls=http://127.0.0.1:${PORTS.etcdMetrics}`,
    '--quota-backend-bytes=4294967296',
    '--log-level=warn',
  ];
}

export function apiserverArgs(l: Layout, id: HostIdentity): string[] {
  const p = l.pki;
  return [
    `--advertise-address=${id.nodeIp}`,
    '--bind-address=0.0.0.0',
    `--secure-port=${PORTS.apiserver}`,
    `--etcd-servers=http://127.0.0.1:${PORTS.etcdClient}`,
    `--service-cluster-ip-range=${NET.serviceCidr}`,
    '--service-node-port-range=30000-32767',
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    `--enable-admission-plugins=${ADMISSION_PLUGINS.join(',')}`,
    `--feature-gates=${FEATURE_GATES}`,
    `--client-ca-file=${p}/ca.crt`,
    `--tls-cert-file=${p}/apiserver.crt`,
    `--tls-private-key-file=${p}/apiserver.key`,
    `--kubelet-client-certificate=${p}/apiserver-kubelet-client.crt`,
    `--kubelet-client-key=${p}/apiserver-kubelet-client.key`,
    '--kubelet-preferred-address-types=InternalIP,Hostname',
    `--service-account-key-file=${p}/sa.pub`,
    `--service-account-signing-key-file=${p}/sa.key`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--requestheader-client-ca-file=${p}/front-proxy-ca.crt`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${p}/front-proxy-client.crt`,
    `--proxy-client-key-file=${p}/front-proxy-client.key`,
    '--enable-aggregator-routing=true',
    '--profiling=false',
    '--v=1',
  ];
}

export function controllerManagerArgs(l: Layout): string[] {
  const p = l.pki;
  const kc = `${l.config}/controller-manager.kubeconfig`;
  return [
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${PORTS.controllerManager}`,
    '--leader-elect=false',
    '--use-service-account-credentials=true',
    '--controllers=*,bootstrapsigner,tokencleaner',
    `--service-account-private-key-file=${p}/sa.key`,
    `--root-ca-file=${p}/ca.crt`,
    `--cluster-signing-cert-file=${p}/ca.crt`,
    `--cluster-signing-key-file=${p}/ca.key`,
    `--requestheader-client-ca-file=${p}/front-proxy-ca.crt`,
    '--allocate-node-cidrs=true',
    `--cluster-cidr=${NET.podCidr}`,
    `--node-cidr-mask-size=${NET.nodeCidrMaskSize}`,
    `--service-cluster-ip-range=${NET.serviceCidr}`,
    `--feature-gates=${FEATURE_GATES}`,
    '--profiling=false',
    '--v=1',
  ];
}

export function schedulerArgs(l: Layout): string[] {
  const kc = `${l.config}/scheduler.kubeconfig`;
  return [
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${PORTS.scheduler}`,
    '--leader-elect=false',
    `--feature-gates=${FEATURE_GATES}`,
    '--profiling=false',
    '--v=1',
  ];
}

export function kubeletArgs(l: Layout, id: HostIdentity): string[] {
  return [
    `--config=${l.config}/kubelet.yaml`,
    `--kubeconfig=${l.config}/kubelet.kubeconfig`,
    `--root-dir=${l.kubeletRoot}`,
    `--cert-dir=${l.pki}`,
    `--hostname-override=${id.nodeName}`,
    `--node-ip=${id.nodeIp}`,
    `--feature-gates=${FEATURE_GATES}`,
    '--v=1',
  ];
}

export function kubeProxyArgs(l: Layout): string[] {
  return [`--config=${l.config}/kube-proxy.yaml`, '--v=1'];
}

/** kube-router as the NetworkPolicy enforcer only (iptables + ipset); routing/proxy/CNI are others' jobs. */
export function kubeRouterArgs(l: Layout, id: HostIdentity): string[] {
  return [
    `--kubeconfig=${l.config}/kube-router.kubeconfig`,
    '--run-firewall=true',
    '--run-router=false',
    '--run-service-proxy=false',
    '--enable-cni=false',
    '--enable-ipv4=true',
    '--enable-ipv6=false',
    `--hostname-override=${id.nodeName}`,
    `--health-port=${PORTS.kubeRouterHealth}`,
    `--metrics-port=${PORTS.kubeRouterMetrics}`,
    '--metrics-addr=127.0.0.1',
    '--iptables-sync-period=1m',
    // v0: at v1 it logs every sync (tens of MB per hour on a busy test cluster)
    '--v=0',
  ];
}
