/**
 * Kubernetes manifests of the counter simulator as pure builders (the e2e tests and the Helm chart reuse
 * them): a Secret with the seeded accounts' passwords, a ConfigMap with the simulator config, the
 * Service `counter` (FIX 9878, admin 8081) and a one-replica StatefulSet whose /data is a volume.
 *   node simulator/deploy/manifests.ts [namespace]    prints them as YAML
 */
import { stringify } from 'yaml';

/** A seeded investor account. */
export interface DeployAccount {
  /** Account id = Logon Username (553). */
  id: string;
  /** SenderCompID it must use ('' = any). */
  compId?: string;
  /** Password (goes into the Secret only). */
  password: string;
  /** Initial deposit, CNY decimal string. Default "1000000". */
  fundCny?: string;
}

/** Options of {@link simulatorManifests}. */
export interface SimulatorDeployOptions {
  /** Default `aurum-system`. */
  namespace?: string;
  /** Default `docker.io/aurum/simulator:0.1.0`. */
  image?: string;
  /** Service name. Default `counter` (→ counter.aurum-system.svc:9878). */
  name?: string;
  /** Accounts to seed. Default none (create them through the admin API). */
  accounts?: DeployAccount[];
  /** Keep the market open at any hour (demos, e2e). Default true. */
  alwaysOpen?: boolean;
  /** Liquidity model seed. Default 1. */
  seed?: number;
  /** `pvc` (default, survives pod deletion) or `emptyDir`. */
  storage?: 'pvc' | 'emptyDir';
  /** PVC size. Default `1Gi`. */
  storageSize?: string;
  /** storageClassName of the PVC; default: the cluster default. */
  storageClassName?: string;
  /** Default `info`. */
  logLevel?: string;
}

/** FIX port of the counter. */
export const FIX_PORT = 9878;
/** Admin HTTP port. */
export const ADMIN_PORT = 8081;

/** Environment variable carrying an account's password (see simulator/config.ts). */
export function passwordEnvName(id: string): string {
  return `SIM_PASSWORD_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Builds the objects (Secret, ConfigMap, Service, StatefulSet), in apply order. */
export function simulatorManifests(o: SimulatorDeployOptions = {}): Record<string, unknown>[] {
  const ns = o.namespace ?? 'aurum-system';
  const name = o.name ?? 'counter';
  const labels = {
    'app.kubernetes.io/name': 'aurum-simulator',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/part-of': 'aurum',
  };
  const accounts = o.accounts ?? [];
  const config = {
    compId: 'COUNTER',
    dataDir: '/data',
    seed: o.seed ?? 1,
    fix: { host: '0.0.0.0', port: FIX_PORT, heartBtInt: 30 },
    admin: { host: '0.0.0.0', port: ADMIN_PORT },
    clock: { mode: 'real' },
    market: { alwaysOpen: o.alwaysOpen ?? true },
    liquidity: { enabled: true, intervalMs: 500 },
    accounts: accounts.map((a) => ({ id: a.id, compId: a.compId ?? '', fundCny: a.fundCny ?? '1000000' })),
  };
  const secretName = `${name}-accounts`;
  const volume =
    (o.storage ?? 'pvc') === 'pvc'
      ? {
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: o.storageSize ?? '1Gi' } },
                ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}),
              },
            },
          ],
        }
      : {};
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace: ns, labels },
      type: 'Opaque',
      stringData: Object.fromEntries(accounts.map((a) => [passwordEnvName(a.id), a.password])),
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace: ns, labels },
      data: { 'simulator.yaml': stringify(config) },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'fix', port: FIX_PORT, targetPort: 'fix', protocol: 'TCP' },
          { name: 'admin', port: ADMIN_PORT, targetPort: 'admin', protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: ns, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'simulator',
                image: o.image ?? 'docker.io/aurum/simulator:0.1.0',
                imagePullPolicy: 'IfNotPresent',
                env: [
                  { name: 'SIM_CONFIG', value: '/etc/aurum/simulator.yaml' },
                  { name: 'LOG_LEVEL', value: o.logLevel ?? 'info' },
                ],
                envFrom: [{ secretRef: { name: secretName } }],
                ports: [
                  { name: 'fix', containerPort: FIX_PORT, protocol: 'TCP' },
                  { name: 'admin', containerPort: ADMIN_PORT, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/healthz', port: 'admin' }, periodSeconds: 5 },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 'admin' },
                  periodSeconds: 20,
                  failureThreshold: 6,
                },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'config', mountPath: '/etc/aurum', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${name}-config` } },
              { name: 'tmp', emptyDir: {} },
              ...((o.storage ?? 'pvc') === 'emptyDir' ? [{ name: 'data', emptyDir: {} }] : []),
            ],
          },
        },
        ...volume,
      },
    },
  ];
}

/** The manifests as one multi-document YAML string. */
export function simulatorYaml(o: SimulatorDeployOptions = {}): string {
  return simulatorManifests(o)
    .map((m) => stringify(m))
    .join('---\n');
}

if (import.meta.main) process.stdout.write(simulatorYaml({ namespace: process.argv[2] ?? 'aurum-system' }));
