/**
 * A very small Kubernetes API client for the runtime's two needs (read/patch its own TradingPlatform, watch its
 * users Secret), using the pod's service-account token and the in-cluster CA. The token file is re-read on every
 * request because projected tokens rotate. Plain node:https keeps the runtime image small and the client
 * testable against a loopback server.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeClientOptions {
  /** `https://host:port` (in cluster) or `http://127.0.0.1:port` (tests). */
  baseUrl: string;
  /** Bearer token, read on every request. */
  token: () => string;
  /** PEM of the cluster CA. */
  ca?: string | Buffer;
  /** Per-request timeout (not for watches). Default 10 000 ms. */
  timeoutMs?: number;
}

/**
 * Options for the pod's own identity, or undefined when not running in a pod (no service-account token or no
 * KUBERNETES_SERVICE_HOST).
 */
export function inClusterOptions(
  env: NodeJS.ProcessEnv = process.env,
  dir: string = SERVICE_ACCOUNT_DIR,
): KubeClientOptions | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) return undefined;
  try {
    readFileSync(`${dir}/token`);
  } catch {
    return undefined;
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `https://${h}:${port}`,
    token: () => readFileSync(`${dir}/token`, 'utf8').trim(),
    ca: readFileSync(`${dir}/ca.crt`),
  };
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

export class KubeClient {
  readonly #opts: KubeClientOptions;
  constructor(opts: KubeClientOptions) {
    this.#opts = opts;
  }

  #open(method: string, path: string, headers: Record<string, string>): ReturnType<typeof httpRequest> {
    const url = new URL(path, this.#opts.baseUrl);
    const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return fn(url, {
      method,
      ca: this.#opts.ca,
      headers: { accept: 'application/json', authorization: `Bearer ${this.#opts.token()}`, ...headers },
    });
  }

  /** One JSON request. Resolves with any status; rejects only on network errors and timeouts. */
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<KubeResponse<T>> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = this.#open(method, path, payload ? { 'content-type': contentType } : {});
      req.setTimeout(this.#opts.timeoutMs ?? 10_000, () =>
        req.destroy(new Error(`kube ${method} ${path}: timeout`)),
      );
      req.on('error', reject);
      req.on('response', (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // keep text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      });
      req.end(payload);
    });
  }

  /**
   * A watch stream: calls `onEvent` for every `{ type, object }` line until the server ends the stream, the
   * signal aborts, or an error; resolves (or rejects) then. The caller restarts it.
   */
  watch(
    path: string,
    onEvent: (e: { type: string; object: any }) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = this.#open('GET', path, {});
      const abort = () => req.destroy();
      signal.addEventListener('abort', abort, { once: true });
      const done = (err?: Error) => {
        signal.removeEventListener('abort', abort);
        if (err && !signal.aborted) reject(err);
        else resolve();
      };
      req.on('error', (err) => done(err));
      req.on('response', (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          done(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) onEvent(JSON.parse(line));
            nl = buf.indexOf('\n');
          }
        });
        res.on('end', () => done());
        res.on('error', (err) => done(err));
      });
      req.end();
    });
  }
}
