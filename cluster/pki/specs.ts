/**
 * Pure description of every certificate the cluster uses, derived from the host identity. Certificates
 * are regenerated at every `up` that starts from scratch, because the VM's hostname and IP change.
 * Client certificates carry the identity RBAC sees: CN = user, O = groups.
 */
import { type HostIdentity, NET } from '../config.ts';

/** What a certificate is for. */
export type Usage = 'server' | 'client' | 'both';

/** One leaf certificate, signed by `ca`. */
export interface CertSpec {
  /** file stem: `<name>.crt` / `<name>.key` */
  name: string;
  ca: 'ca' | 'front-proxy-ca';
  cn: string;
  /** organisations = Kubernetes groups */
  o?: string[];
  usage: Usage;
  dns?: string[];
  ips?: string[];
}

/** Users the host-process components authenticate as (bound by RBAC in addons). */
export const USERS = {
  admin: 'aurum:admin',
  apiserverKubelet: 'kube-apiserver-kubelet-client',
  controllerManager: 'system:kube-controller-manager',
  scheduler: 'system:kube-scheduler',
  kubeProxy: 'system:kube-proxy',
  kubeRouter: 'aurum:kube-router',
} as const;

/** All leaf certificates for this host. */
export function certSpecs(id: HostIdentity): CertSpec[] {
  const local = { dns: ['localhost', id.nodeName], ips: ['127.0.0.1', id.nodeIp] };
  return [
    {
      name: 'apiserver',
      ca: 'ca',
      cn: 'kube-apiserver',
      usage: 'server',
      dns: [
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        `kubernetes.default.svc.${NET.clusterDomain}`,
        ...local.dns,
      ],
      ips: [NET.apiServiceIp, ...local.ips],
    },
    { name: 'apiserver-kubelet-client', ca: 'ca', cn: USERS.apiserverKubelet, usage: 'client' },
    { name: 'admin', ca: 'ca', cn: USERS.admin, o: ['system:masters'], usage: 'client' },
    { name: 'controller-manager', ca: 'ca', cn: USERS.controllerManager, usage: 'both', ...local },
    { name: 'scheduler', ca: 'ca', cn: USERS.scheduler, usage: 'both', ...local },
    {
      name: 'kubelet',
      ca: 'ca',
      cn: `system:node:${id.nodeName}`,
      o: ['system:nodes'],
      usage: 'both',
      ...local,
    },
    { name: 'kube-proxy', ca: 'ca', cn: USERS.kubeProxy, usage: 'client' },
    { name: 'kube-router', ca: 'ca', cn: USERS.kubeRouter, usage: 'client' },
    { name: 'front-proxy-client', ca: 'front-proxy-ca', cn: 'front-proxy-client', usage: 'client' },
  ];
}

/** Renders the OpenSSL v3 extension section for a leaf certificate. */
export function renderExtensions(spec: CertSpec): string {
  const eku = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[spec.usage];
  const lines = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${eku}`,
  ];
  const sans = [...(spec.dns ?? []).map((d) => `DNS:${d}`), ...(spec.ips ?? []).map((i) => `IP:${i}`)];
  if (sans.length) lines.push(`subjectAltName=${[...new Set(sans)].join(',')}`);
  return `${lines.join('\n')}\n`;
}

/** The `-subj` argument for openssl: `/O=g1/O=g2/CN=cn` (RFC 2253 escaping of `/` is not needed here). */
export function renderSubject(spec: Pick<CertSpec, 'cn' | 'o'>): string {
  return `${(spec.o ?? []).map((o) => `/O=${o}`).join('')}/CN=${spec.cn}`;
}
