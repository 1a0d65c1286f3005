/**
 * How the operator reaches the API server: the server URL, TLS material and credential headers.
 *
 * Why not @kubernetes/client-node's KubeConfig in the operator process: importing it loads the whole
 * generated API client (about 36 MiB of JS heap and 85 MiB resident before the operator does anything,
 * measured 2026-11-25), a third of the operator's memory budget at 10,000 platforms. The operator only
 * needs the two cases it is deployed with — the in-cluster service account and a kubeconfig with client
 * certificates or a token — so {@link loadKubeConnection} reads those itself and hands anything else
 * (exec plugins, auth providers) to client-node, loaded only then. Tests and tools may keep passing a
 * client-node KubeConfig: {@link toKubeConnection} adapts it.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/** TLS settings of the connection pool. */
export interface KubeTls {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** What a request needs to reach and authenticate to the API server. */
export interface KubeCredentials {
  tls: KubeTls;
  headers: Record<string, string>;
}

/** A way to reach the API server. `credentials()` is called again periodically (rotated tokens). */
export interface KubeConnection {
  readonly server: string;
  credentials(): Promise<KubeCredentials>;
}

/** The part of client-node's KubeConfig this module uses (structural, so no import is needed). */
export interface ClientNodeKubeConfig {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: object): Promise<void>;
}

function isKubeConnection(x: KubeConnection | ClientNodeKubeConfig): x is KubeConnection {
  return typeof (x as KubeConnection).credentials === 'function';
}

/** Adapts a client-node KubeConfig (any auth it supports). */
export function toKubeConnection(source: KubeConnection | ClientNodeKubeConfig): KubeConnection {
  if (isKubeConnection(source)) return source;
  const cluster = source.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  return {
    server: cluster.server.replace(/\/$/, ''),
    async credentials() {
      const o: Record<string, unknown> = {};
      await source.applyToHTTPSOptions(o);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((o.headers as Record<string, unknown>) ?? {}))
        headers[k] = String(v);
      if (o.auth) headers.Authorization = `Basic ${Buffer.from(String(o.auth)).toString('base64')}`;
      return {
        headers,
        tls: {
          ca: o.ca as string | undefined,
          cert: o.cert as string | undefined,
          key: o.key as string | undefined,
          rejectUnauthorized: o.rejectUnauthorized as boolean | undefined,
          servername: o.servername as string | undefined,
        },
      };
    },
  };
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's service account; the token file is re-read on every call (the kubelet rotates it). */
export function inClusterConnection(
  env: NodeJS.ProcessEnv = process.env,
  dir = SERVICE_ACCOUNT_DIR,
): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('not in a cluster: KUBERNETES_SERVICE_HOST is not set');
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async credentials() {
      const token = readFileSync(join(dir, 'token'), 'utf8').trim();
      return { tls: { ca }, headers: { Authorization: `Bearer ${token}` } };
    },
  };
}

type Named<T> = { name: string } & T;
interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
}

/** Thrown for a kubeconfig this module does not read itself (exec plugins, auth providers). */
export class UnsupportedKubeconfig extends Error {}

/**
 * Reads a kubeconfig file's current context: server, CA, client certificate/key or token (inline, file or
 * data), basic auth. Relative paths are relative to the file, as kubectl resolves them.
 */
export function kubeconfigConnection(path: string, text = readFileSync(path, 'utf8')): KubeConnection {
  const doc = (parse(text) ?? {}) as KubeconfigFile;
  const where = `kubeconfig ${path}`;
  const ctxName = doc['current-context'];
  if (!ctxName) throw new Error(`${where}: no current-context`);
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`${where}: context "${ctxName}" not found`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`${where}: cluster "${ctx.cluster}" of context "${ctxName}" not found`);
  const user = (ctx.user ? doc.users?.find((u) => u.name === ctx.user)?.user : undefined) ?? {};
  if (user.exec || user['auth-provider'])
    throw new UnsupportedKubeconfig(`${where}: user "${ctx.user}" uses an exec plugin or auth provider`);
  const server = String(cluster.server ?? '').replace(/\/$/, '');
  if (!/^https?:\/\//.test(server)) throw new Error(`${where}: cluster "${ctx.cluster}" has no valid server`);
  const base = dirname(path);
  const material = (obj: Record<string, unknown>, file: string, data: string): string | undefined => {
    if (typeof obj[data] === 'string') return Buffer.from(obj[data] as string, 'base64').toString('utf8');
    if (typeof obj[file] === 'string') {
      const p = obj[file] as string;
      return readFileSync(isAbsolute(p) ? p : join(base, p), 'utf8');
    }
    return undefined;
  };
  const tls: KubeTls = {
    ca: material(cluster, 'certificate-authority', 'certificate-authority-data'),
    cert: material(user, 'client-certificate', 'client-certificate-data'),
    key: material(user, 'client-key', 'client-key-data'),
    servername: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] === true ? false : undefined,
  };
  return {
    server,
    async credentials() {
      const headers: Record<string, string> = {};
      const token =
        typeof user.token === 'string'
          ? user.token
          : typeof user.tokenFile === 'string'
            ? readFileSync(
                isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile),
                'utf8',
              ).trim()
            : undefined;
      if (token) headers.Authorization = `Bearer ${token}`;
      else if (typeof user.username === 'string')
        headers.Authorization = `Basic ${Buffer.from(`${user.username}:${String(user.password ?? '')}`).toString('base64')}`;
      return { tls, headers };
    },
  };
}

/**
 * The connection the operator process uses: `$KUBECONFIG` (its first file) when set, else the in-cluster
 * service account, else `~/.kube/config`. A kubeconfig needing exec plugins or auth providers is handed to
 * client-node (imported only in that case).
 */
export async function loadKubeConnection(env: NodeJS.ProcessEnv = process.env): Promise<KubeConnection> {
  const file = env.KUBECONFIG?.split(':').find(Boolean);
  if (!file && env.KUBERNETES_SERVICE_HOST) return inClusterConnection(env);
  const path = file ?? join(env.HOME ?? '/', '.kube', 'config');
  try {
    return kubeconfigConnection(path);
  } catch (err) {
    if (!(err instanceof UnsupportedKubeconfig)) throw err;
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return toKubeConnection(kc);
  }
}
