/**
 * A thin REST client for the Kubernetes API on top of @kubernetes/client-node's KubeConfig (auth, TLS, in-cluster
 * service-account tokens) and one pooled undici Agent.
 *
 * Why not the generated client-node APIs for everything: they build a new connection pool per request
 * (applySecurityAuthentication creates a new dispatcher each call), which costs a TLS handshake per write and
 * caps the operator far below the API server's own speed; and the operator needs subresources (`status`,
 * `resize`) and server-side apply for arbitrary kinds. Watches use client-node's Watch (see informer.ts).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { Agent, request } from 'undici';
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
  readonly kc: KubeConfig;
  private readonly server: string;
  private agent: Agent | undefined;
  private headers: Record<string, string> = {};
  private headersAt = -Infinity;
  private readonly opts: Required<Omit<KubeClientOptions, 'observe'>> & { observe?: RequestObserver };

  constructor(kc: KubeConfig, options: KubeClientOptions = {}) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.kc = kc;
    this.server = cluster.server.replace(/\/$/, '');
    this.opts = withDefaults({ connections: 16, authRefreshMs: 60_000, timeoutMs: 30_000 }, options);
  }

  private async auth(): Promise<{ agent: Agent; headers: Record<string, string> }> {
    const now = Date.now();
    if (!this.agent || now - this.headersAt > this.opts.authRefreshMs) {
      const o: Record<string, unknown> = {};
      await this.kc.applyToHTTPSOptions(o);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((o.headers as Record<string, unknown>) ?? {}))
        headers[k] = String(v);
      if (o.auth) headers.Authorization = `Basic ${Buffer.from(String(o.auth)).toString('base64')}`;
      this.headers = headers;
      this.headersAt = now;
      if (!this.agent) {
        this.agent = new Agent({
          connections: this.opts.connections,
          pipelining: 1,
          connect: {
            ca: o.ca as string | undefined,
            cert: o.cert as string | undefined,
            key: o.key as string | undefined,
            rejectUnauthorized: (o.rejectUnauthorized as boolean | undefined) ?? true,
            servername: o.servername as string | undefined,
          },
        });
      }
    }
    return { agent: this.agent!, headers: this.headers };
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
      const res = await request(this.server + path, {
        method: method as 'GET',
        dispatcher: agent,
        headers: { ...headers, accept, ...(body ? { 'content-type': contentType } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      status = res.statusCode;
      const text = await res.body.text();
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

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}
