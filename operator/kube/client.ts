/**
 * A thin REST client for the Kubernetes API on a {@link KubeConnection} (server, TLS, credentials; see
 * connection.ts) and one keep-alive connection pool (node:https), plus streaming watches on a pool of their own.
 * node:https rather than undici: the same pooling at no extra memory (loading undici costs about 28 MiB resident).
 *
 * Why not the generated client-node APIs: they build a new connection pool per request
 * (applySecurityAuthentication creates a new dispatcher each call), which costs a TLS handshake per write and
 * caps the operator far below the API server's own speed; the operator needs subresources (`status`,
 * `resize`) and server-side apply for arbitrary kinds; and loading them costs a third of the operator's
 * memory budget (see connection.ts).
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type ClientNodeKubeConfig, type KubeConnection, toKubeConnection } from './connection.ts';
import { ApiError, ERROR_CODES, TransientError } from './errors.ts';
import { withDefaults } from './options.ts';
import { type KubeObject, objectPath } from './resources.ts';

/** The single field manager for every object the operator writes. */
export const FIELD_MANAGER = 'aurum-operator';

/** Called after every request (metrics, write counting in benchmarks). */
export type RequestObserver = (method: string, path: string, status: number, seconds: number) => void;

/** Options of {@link KubeClient}. */
export interface KubeClientOptions {
  /** Connections kept to the API server. Default 16. */
  connections?: number;
  /** How long auth headers are reused before re-reading the kubeconfig/token file. Default 60 s. */
  authRefreshMs?: number;
  /** Request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Observer of every request. */
  observe?: RequestObserver;
}

export interface ApplyOptions {
  subresource?: string;
  /** Take ownership of fields another manager holds. Default true (the operator is the authority). */
  force?: boolean;
}

/** REST access to the API server. */
export class KubeClient {
  readonly connection: KubeConnection;
  private readonly server: string;
  private readonly secure: boolean;
  private agent: HttpAgent | undefined;
  /** Watches hold their connection for minutes; a pool of their own keeps them off the request pool. */
  private watchAgent: HttpAgent | undefined;
  private headers: Record<string, string> = {};
  private headersAt = -Infinity;
  private readonly opts: Required<Omit<KubeClientOptions, 'observe'>> & { observe?: RequestObserver };

  constructor(source: KubeConnection | ClientNodeKubeConfig, options: KubeClientOptions = {}) {
    this.connection = toKubeConnection(source);
    this.server = this.connection.server;
    this.secure = this.server.startsWith('https:');
    this.opts = withDefaults({ connections: 16, authRefreshMs: 60_000, timeoutMs: 30_000 }, options);
  }

  private async auth(): Promise<{
    agent: HttpAgent;
    watchAgent: HttpAgent;
    headers: Record<string, string>;
  }> {
    const now = Date.now();
    if (!this.agent || !this.watchAgent || now - this.headersAt > this.opts.authRefreshMs) {
      const { tls, headers } = await this.connection.credentials();
      this.headers = headers;
      this.headersAt = now;
      const Agent = this.secure ? HttpsAgent : HttpAgent;
      const tlsOptions = {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: tls.rejectUnauthorized ?? true,
        servername: tls.servername,
      };
      this.agent ??= new Agent({ keepAlive: true, maxSockets: this.opts.connections, ...tlsOptions });
      this.watchAgent ??= new Agent({ keepAlive: false, ...tlsOptions });
    }
    return { agent: this.agent, watchAgent: this.watchAgent, headers: this.headers };
  }

  /**
   * Sends one request; resolves with the response once its headers arrived. `idleMs` bounds the silence on
   * the socket (connect, headers and every gap in the body), after which the request fails with a TimeoutError.
   */
  private send(
    method: string,
    url: string,
    agent: HttpAgent,
    headers: Record<string, string>,
    body: string | undefined,
    idleMs: number,
  ): { response: Promise<IncomingMessage>; request: ClientRequest } {
    const send = this.secure ? httpsRequest : httpRequest;
    const req = send(url, { method, agent, headers, timeout: idleMs });
    req.on('timeout', () =>
      req.destroy(new DOMException(`no data from the API server for ${idleMs} ms`, 'TimeoutError')),
    );
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    req.end(body);
    return { response, request: req };
  }

  /**
   * Streams a watch: `onEvent` for every event line, `onDone` exactly once when the stream ends (`err`
   * undefined for a normal end, the server closing the watch at its timeout). A stream that receives no bytes
   * for `inactivityMs` (bookmarks count) ends with a TimeoutError. Returns a function that aborts it.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (err?: unknown) => void,
    inactivityMs: number,
  ): Promise<() => void> {
    const { watchAgent, headers } = await this.auth();
    const q = new URLSearchParams({ watch: 'true' });
    for (const [k, v] of Object.entries(query)) q.set(k, String(v));
    let finished = false;
    const { response, request } = this.send(
      'GET',
      `${this.server}${path}?${q}`,
      watchAgent,
      { ...headers, accept: 'application/json' },
      undefined,
      inactivityMs,
    );
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      request.destroy();
      onDone(err);
    };
    request.on('error', (err) => finish(err));
    try {
      const res = await response;
      if (res.statusCode !== 200) {
        const text = await readBody(res).catch(() => '');
        throw new ApiError(res.statusCode ?? 0, 'GET', path, text ? safeJson(text) : undefined);
      }
      res.setEncoding('utf8');
      let partial = '';
      res.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line || finished) continue;
          let event: { type?: string; object?: unknown };
          try {
            event = JSON.parse(line);
          } catch {
            continue; // a torn line cannot be acted on; the next relist repairs whatever it carried
          }
          onEvent(String(event.type), event.object);
        }
      });
      res.on('end', () => finish());
      res.on('error', (err) => finish(err));
      res.on('close', () => finish());
    } catch (err) {
      finish(err);
    }
    return () => finish(new DOMException('watch aborted', 'AbortError'));
  }

  /** One HTTP request; JSON in and out. Throws {@link ApiError} for non-2xx. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    accept = 'application/json',
  ): Promise<T> {
    const { agent, headers } = await this.auth();
    const started = performance.now();
    let status = 0;
    try {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const { response } = this.send(
        method,
        this.server + path,
        agent,
        {
          ...headers,
          accept,
          ...(payload === undefined
            ? {}
            : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) }),
        },
        payload,
        this.opts.timeoutMs,
      );
      const res = await response;
      status = res.statusCode ?? 0;
      const text = await readBody(res);
      const parsed = text ? safeJson(text) : undefined;
      if (status >= 300) throw new ApiError(status, method, path, parsed);
      return parsed as T;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new TransientError(
        ERROR_CODES.API_UNAVAILABLE,
        'ApiUnavailable',
        `${method} ${path}: ${String(err)}`,
        {
          cause: err,
        },
      );
    } finally {
      this.opts.observe?.(method, path, status, (performance.now() - started) / 1000);
    }
  }

  get<T = KubeObject>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** GET returning metadata only (no Secret data ever reaches the operator's memory). */
  getMetadata<T = KubeObject>(path: string): Promise<T> {
    return this.request<T>(
      'GET',
      path,
      undefined,
      undefined,
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    );
  }

  create<T = KubeObject>(path: string, obj: unknown): Promise<T> {
    return this.request<T>('POST', `${path}?fieldManager=${FIELD_MANAGER}`, obj);
  }

  /** Server-side apply of `obj` with the operator's field manager. */
  apply<T extends KubeObject = KubeObject>(obj: KubeObject, o: ApplyOptions = {}): Promise<T> {
    const force = o.force ?? true;
    const path = `${objectPath(obj, o.subresource)}?fieldManager=${FIELD_MANAGER}&force=${force}`;
    return this.request<T>('PATCH', path, obj, 'application/apply-patch+yaml');
  }

  /** JSON merge patch (used for finalizers and the pod resize subresource). */
  mergePatch<T = KubeObject>(path: string, patch: unknown): Promise<T> {
    return this.request<T>(
      'PATCH',
      `${path}?fieldManager=${FIELD_MANAGER}`,
      patch,
      'application/merge-patch+json',
    );
  }

  /** Strategic merge patch (pod resize takes container lists by name). */
  strategicPatch<T = KubeObject>(path: string, patch: unknown): Promise<T> {
    return this.request<T>(
      'PATCH',
      `${path}?fieldManager=${FIELD_MANAGER}`,
      patch,
      'application/strategic-merge-patch+json',
    );
  }

  replace<T = KubeObject>(path: string, obj: unknown): Promise<T> {
    return this.request<T>('PUT', `${path}?fieldManager=${FIELD_MANAGER}`, obj);
  }

  /** Deletes; a missing object is not an error. `propagation` defaults to Background. */
  async delete(
    path: string,
    propagation: 'Background' | 'Foreground' | 'Orphan' = 'Background',
  ): Promise<void> {
    try {
      await this.request('DELETE', path, {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: propagation,
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return;
      throw err;
    }
  }

  /** Closes pooled connections (watches in flight are destroyed). */
  async close(): Promise<void> {
    this.agent?.destroy();
    this.watchAgent?.destroy();
    this.agent = undefined;
    this.watchAgent = undefined;
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.on('end', () => resolve(text));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}
