/**
 * Follows one key of one Secret through the Kubernetes API with the pod's service account (I/O). The
 * runtime identity's Role allows exactly get + watch on this Secret by name, so the watch is a
 * fieldSelector on metadata.name. A mounted Secret volume would be simpler but the kubelet refreshes it
 * only every minute or so; revocation must take seconds.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Logger } from '../common/log.ts';

/** Where the in-cluster credentials are mounted. */
export const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to reach the API server. */
export interface ApiTarget {
  host: string;
  port: number;
  ca: Buffer;
  /** Read on every request: projected tokens rotate. */
  token: () => string;
}

/** The in-cluster target from the environment the kubelet sets. */
export function inClusterTarget(env: NodeJS.ProcessEnv = process.env): ApiTarget {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) throw new Error('not in a cluster: KUBERNETES_SERVICE_HOST unset');
  return {
    host,
    port: Number(env.KUBERNETES_SERVICE_PORT ?? 443),
    ca: readFileSync(`${SA_DIR}/ca.crt`),
    token: () => readFileSync(`${SA_DIR}/token`, 'utf8').trim(),
  };
}

interface SecretObject {
  metadata?: { resourceVersion?: string };
  data?: Record<string, string>;
}

function get(target: ApiTarget, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        path,
        ca: target.ca,
        headers: { authorization: `Bearer ${target.token()}` },
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Calls `onValue` with the decoded key every time it changes (undefined when the Secret or key is absent)
 * until `signal` aborts. Errors are logged and retried with a capped backoff; it never throws.
 */
export async function followSecretKey(
  target: ApiTarget,
  namespace: string,
  name: string,
  key: string,
  onValue: (value: string | undefined) => void,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  let last: string | undefined | null = null;
  const emit = (s: SecretObject | undefined) => {
    const raw = s?.data?.[key];
    const value = raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
    if (value !== last) {
      last = value;
      onValue(value);
    }
  };
  let backoff = 250;
  while (!signal.aborted) {
    try {
      const res = await get(target, `${base}/${encodeURIComponent(name)}`);
      let rv = '';
      if (res.status === 404) emit(undefined);
      else if (res.status !== 200)
        throw new Error(`GET secret ${name}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      else {
        const s = JSON.parse(res.body) as SecretObject;
        rv = s.metadata?.resourceVersion ?? '';
        emit(s);
      }
      backoff = 250;
      await watch(
        target,
        `${base}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}&watch=true&allowWatchBookmarks=true&timeoutSeconds=300${rv ? `&resourceVersion=${rv}` : ''}`,
        emit,
        signal,
      );
    } catch (e) {
      if (signal.aborted) return;
      log.warn({ err: (e as Error).message, secret: name }, 'secret watch failed, retrying');
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 5000);
    }
  }
}

function watch(
  target: ApiTarget,
  path: string,
  emit: (s: SecretObject | undefined) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        path,
        ca: target.ca,
        headers: { authorization: `Bearer ${target.token()}` },
        signal,
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            nl = buf.indexOf('\n');
            if (!line) continue;
            const ev = JSON.parse(line) as { type: string; object: SecretObject & { code?: number } };
            if (ev.type === 'ADDED' || ev.type === 'MODIFIED') emit(ev.object);
            else if (ev.type === 'DELETED') emit(undefined);
            else if (ev.type === 'ERROR') {
              req.destroy();
              reject(new Error(`watch error event (code ${ev.object.code ?? '?'})`));
              return;
            }
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      },
    );
    req.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
    req.end();
  });
}
