/**
 * List + watch cache for one resource (optionally one namespace / label selector) that does not trust its
 * watch alone:
 * - watches resume from the last resourceVersion (bookmarks on), a 410 Gone relists;
 * - a periodic relist diffs the full list against the cache (repairing anything a silently stalled watch
 *   missed) and emits `resync` for every object so controllers re-check the world;
 * - a watchdog restarts a watch that has been silent longer than `staleAfterMs`, and {@link Informer.fresh}
 *   feeds /healthz.
 * Cached objects drop `managedFields` (most of an object's size) and kubectl's last-applied-configuration
 * annotation (a second copy of the object) to keep memory flat at 10,000 objects.
 * An informer whose reader only needs to know "is this version still what I checked?" can also release
 * the body of a version once it is verified ({@link Informer.verify}); see `releaseVerifiedBodies`.
 */
import type { Logger } from '../../common/log.ts';
import type { KubeClient } from './client.ts';
import { type Clock, systemClock } from './clock.ts';
import { withDefaults } from './options.ts';
import { type KubeObject, objectKey, type ResourceType, resourcePath } from './resources.ts';

export type InformerEvent = 'add' | 'update' | 'delete' | 'resync';
export type InformerHandler<T> = (event: InformerEvent, obj: T, old?: T) => void;

/** Options of {@link Informer}. */
export interface InformerOptions {
  client: KubeClient;
  resource: ResourceType;
  log: Logger;
  /** Limit to one namespace. Default: all namespaces. */
  namespace?: string;
  /** Label selector, e.g. `app.kubernetes.io/managed-by=aurum-operator`. */
  labelSelector?: string;
  /** Full relist period. Default 5 minutes. */
  resyncMs?: number;
  /** Server-side watch duration; jittered by up to +25 %. Default 240 s. */
  watchTimeoutSeconds?: number;
  /**
   * Client-side inactivity budget of a watch: a watch that received no bytes (events or bookmarks) for this
   * long is ended and restarted. It must stay well above the API server's bookmark period (about 60 s) or
   * idle, healthy watches are torn down (client-node's Watch defaulted to 30 s). Default 150 s.
   */
  inactivityMs?: number;
  /** A watch silent for this long is considered stalled and restarted. Default 180 s. */
  staleAfterMs?: number;
  /** List page size. Default 500. */
  pageSize?: number;
  clock?: Clock;
  /** Called when a watch (re)starts after the first one. */
  onWatchRestart?: (reason: string) => void;
}

interface ListResponse<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

/** What {@link Informer.lookup} knows about a cached object. */
export interface CachedVersion<T> {
  resourceVersion: string | undefined;
  /** The token this version was verified against, if any (see {@link Informer.verify}). */
  verified?: string;
  /** The object, unless its body was released after verification. */
  object?: T;
}

interface Entry {
  rv: string | undefined;
  /** undefined once released after verification. */
  json: string | undefined;
  verified?: string;
  /** Kept when the body is released, so a delete found by a relist can still be mapped to its owner. */
  labels?: Record<string, string>;
}

export class Informer<T extends KubeObject = KubeObject> {
  /**
   * Objects are kept as JSON text (one compact string instead of a graph of small objects: about a fifth of
   * the memory at 10,000 objects) and parsed on read; `rv` lets a relist diff without parsing.
   */
  private readonly store = new Map<string, Entry>();
  /**
   * When true, {@link Informer.verify} releases the body of the verified version: only its resourceVersion
   * and token stay, until the object changes. The operator's own children are 6 of every 7 cached objects
   * and their bodies are only read to decide whether a write is due, so at 10,000 platforms this keeps the
   * cache at a few bytes per child instead of kilobytes. Readers must then use {@link Informer.lookup};
   * {@link Informer.get} and {@link Informer.list} throw on a released body rather than return a wrong answer.
   */
  releaseVerifiedBodies = false;
  /**
   * With `releaseVerifiedBodies`: the labels kept of a released body (what maps a delete found by a relist to
   * its owner). Default: all of them; naming the one owner label saves about 100 bytes per cached child.
   */
  releasedLabels: readonly string[] | undefined;
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly o: Required<Omit<InformerOptions, 'namespace' | 'labelSelector' | 'onWatchRestart'>> &
    Pick<InformerOptions, 'namespace' | 'labelSelector' | 'onWatchRestart'>;
  private rv = '';
  private abort: (() => void) | undefined;
  private stopped = false;
  private synced = false;
  private lastActivity = 0;
  private watchGeneration = 0;
  private timers: unknown[] = [];
  /** Watches started after the first (for metrics and the watch-timeout test). */
  watchRestarts = 0;

  constructor(options: InformerOptions) {
    this.o = withDefaults(
      {
        resyncMs: 300_000,
        watchTimeoutSeconds: 240,
        inactivityMs: 150_000,
        staleAfterMs: 180_000,
        pageSize: 500,
        clock: systemClock,
      },
      options,
    );
  }

  /** Subscribes to changes. Handlers must not throw (errors are logged and dropped). */
  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(key: string): T | undefined {
    const e = this.store.get(key);
    return e ? this.body(key, e) : undefined;
  }

  list(): T[] {
    return [...this.store].map(([key, e]) => this.body(key, e));
  }

  /** The cached version of `key`: its resourceVersion, verification token and (unless released) body. */
  lookup(key: string): CachedVersion<T> | undefined {
    const e = this.store.get(key);
    if (!e) return undefined;
    return {
      resourceVersion: e.rv,
      verified: e.verified,
      object: e.json === undefined ? undefined : (JSON.parse(e.json) as T),
    };
  }

  /**
   * Records that version `resourceVersion` of `key` was checked against `token` (e.g. the hash of the desired
   * object it matched). A later version clears the mark. With `releaseVerifiedBodies` the body is dropped.
   */
  verify(key: string, resourceVersion: string | undefined, token: string): void {
    const e = this.store.get(key);
    if (!e || e.rv !== resourceVersion) return;
    e.verified = token;
    if (this.releaseVerifiedBodies && e.json !== undefined) {
      const labels = (JSON.parse(e.json) as T).metadata.labels;
      e.labels = this.releasedLabels && labels ? pick(labels, this.releasedLabels) : labels;
      e.json = undefined;
    }
  }

  private body(key: string, e: Entry): T {
    if (e.json === undefined)
      throw new Error(`informer ${this.o.resource.plural}: body of ${key} was released`);
    return JSON.parse(e.json) as T;
  }

  /** The previous body for an update event, when the cache still holds it. */
  private previous(e: Entry): T | undefined {
    return e.json === undefined ? undefined : (JSON.parse(e.json) as T);
  }

  size(): number {
    return this.store.size;
  }

  /**
   * Records an object this process just wrote (the API's response), so a reconcile that runs before the
   * watch event arrives compares against the new version instead of writing again. Older versions are ignored.
   */
  observe(raw: T): void {
    const obj = strip({ ...raw, kind: this.o.resource.kind, apiVersion: this.o.resource.apiVersion });
    const key = objectKey(obj);
    const cur = this.store.get(key);
    if (cur && newer(cur.rv, obj.metadata.resourceVersion)) return;
    this.put(key, obj);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** true while the watch has shown a sign of life (event, bookmark, (re)start) within `staleAfterMs`. */
  fresh(now = this.o.clock.now()): boolean {
    return this.synced && now - this.lastActivity <= this.o.staleAfterMs;
  }

  /** Seconds since the watch last showed a sign of life. */
  silenceSeconds(now = this.o.clock.now()): number {
    return (now - this.lastActivity) / 1000;
  }

  /** Lists, starts the watch, schedules relist and watchdog; resolves once the cache is filled. */
  async start(): Promise<void> {
    await this.relist();
    this.startWatch();
    this.scheduleResync();
    this.scheduleWatchdog();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.();
    for (const t of this.timers) this.o.clock.clearTimeout(t);
    this.timers = [];
  }

  private path(): string {
    return resourcePath(this.o.resource, { namespace: this.o.namespace });
  }

  /** Full list; diffs against the cache; emits add/update/delete and a `resync` for every object. */
  async relist(): Promise<void> {
    const seen = new Set<string>();
    let cont: string | undefined;
    let rv = '';
    const kind = this.o.resource.kind;
    const apiVersion = this.o.resource.apiVersion;
    // Page by page, so a 10,000-object relist never holds more than one page of full objects.
    do {
      const q = new URLSearchParams({ limit: String(this.o.pageSize) });
      if (this.o.labelSelector) q.set('labelSelector', this.o.labelSelector);
      if (cont) q.set('continue', cont);
      const page = await this.o.client.get<ListResponse<T>>(`${this.path()}?${q}`);
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion;
      for (const raw of page.items) {
        const obj = strip({ ...raw, kind, apiVersion });
        const key = objectKey(obj);
        seen.add(key);
        const old = this.store.get(key);
        if (!old) {
          this.put(key, obj);
          this.emit('add', obj);
        } else if (old.rv !== obj.metadata.resourceVersion) {
          this.put(key, obj);
          this.emit('update', obj, this.previous(old));
        } else {
          // Same version: keep the entry as it is (a released body stays released).
          this.emit('resync', obj);
        }
      }
    } while (cont);
    for (const [key, old] of this.store) {
      if (!seen.has(key)) {
        this.store.delete(key);
        this.emit('delete', this.previous(old) ?? tombstone<T>(key, old, this.o.resource));
      }
    }
    this.rv = rv;
    this.synced = true;
    this.lastActivity = this.o.clock.now();
  }

  private startWatch(): void {
    if (this.stopped) return;
    const generation = ++this.watchGeneration;
    const timeoutSeconds = Math.round(this.o.watchTimeoutSeconds * (1 + Math.random() * 0.25));
    const query: Record<string, string | number | boolean> = {
      allowWatchBookmarks: true,
      resourceVersion: this.rv,
      timeoutSeconds,
    };
    if (this.o.labelSelector) query.labelSelector = this.o.labelSelector;
    this.lastActivity = this.o.clock.now();
    let gone = false;
    this.o.client
      .watch(
        this.path(),
        query,
        (type, obj) => {
          if (generation !== this.watchGeneration) return;
          this.lastActivity = this.o.clock.now();
          if (type === 'ERROR') {
            if ((obj as { code?: number })?.code === 410) gone = true;
            return;
          }
          this.onWatchEvent(type, obj as T);
        },
        (err) => {
          if (generation !== this.watchGeneration || this.stopped) return;
          if (err && !isAbort(err))
            this.o.log.warn({ err: String(err), resource: this.o.resource.plural }, 'watch ended');
          // 'closed' (the server ended the watch at its timeout) resumes at once; anything else waits a
          // second and relists, so an API server that refuses watches is not hammered in a tight loop.
          const reason =
            gone || (err as { status?: number })?.status === 410
              ? 'gone'
              : err && !isAbort(err)
                ? 'error'
                : 'closed';
          this.restart(reason);
        },
        this.o.inactivityMs,
      )
      .then((abort) => {
        if (generation === this.watchGeneration) this.abort = abort;
        else abort();
      })
      .catch((err) => {
        this.o.log.warn({ err: String(err) }, 'watch failed to start');
        this.restart('start-failed');
      });
  }

  /** Restarts the watch (relisting first when the resourceVersion is gone). */
  private restart(reason: string): void {
    if (this.stopped) return;
    this.watchGeneration++;
    this.abort?.();
    this.watchRestarts++;
    this.o.onWatchRestart?.(reason);
    const delay = reason === 'closed' ? 0 : 1000;
    const t = this.o.clock.setTimeout(async () => {
      try {
        if (reason !== 'closed') await this.relist();
        this.startWatch();
      } catch (err) {
        this.o.log.warn({ err: String(err) }, 'relist failed; retrying');
        this.restart('relist-failed');
      }
    }, delay);
    this.timers.push(t);
  }

  private onWatchEvent(type: string, raw: T): void {
    if (raw?.metadata?.resourceVersion) this.rv = raw.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const obj = strip({ ...raw, kind: this.o.resource.kind, apiVersion: this.o.resource.apiVersion });
    const key = objectKey(obj);
    const old = this.store.get(key);
    if (type === 'DELETED') {
      this.store.delete(key);
      this.emit('delete', obj);
    } else {
      // The event for a write this process already recorded (observe) carries the same version: keep it.
      if (old?.rv !== obj.metadata.resourceVersion) this.put(key, obj);
      this.emit(old ? 'update' : 'add', obj, old ? this.previous(old) : undefined);
    }
  }

  private put(key: string, obj: T): void {
    this.store.set(key, { rv: obj.metadata.resourceVersion, json: JSON.stringify(obj) });
  }

  private scheduleResync(): void {
    const t = this.o.clock.setTimeout(async () => {
      if (this.stopped) return;
      try {
        await this.relist();
      } catch (err) {
        this.o.log.warn({ err: String(err), resource: this.o.resource.plural }, 'periodic relist failed');
      }
      this.scheduleResync();
    }, this.o.resyncMs);
    this.timers.push(t);
  }

  private scheduleWatchdog(): void {
    const period = Math.max(1000, Math.floor(this.o.staleAfterMs / 3));
    const t = this.o.clock.setTimeout(() => {
      if (this.stopped) return;
      if (!this.fresh()) {
        this.o.log.warn(
          { resource: this.o.resource.plural, silentSeconds: this.silenceSeconds() },
          'watch stalled',
        );
        this.restart('stalled');
      }
      this.scheduleWatchdog();
    }, period);
    this.timers.push(t);
  }

  private emit(event: InformerEvent, obj: T, old?: T): void {
    for (const h of this.handlers) {
      try {
        h(event, obj, old);
      } catch (err) {
        this.o.log.error({ err: String(err) }, 'informer handler threw');
      }
    }
  }
}

/** What a delete event carries when the body of the last version was released: identity only. */
function tombstone<T extends KubeObject>(key: string, e: Entry, resource: ResourceType): T {
  const slash = key.indexOf('/');
  const identity = { resourceVersion: e.rv, labels: e.labels };
  const metadata =
    slash >= 0
      ? { namespace: key.slice(0, slash), name: key.slice(slash + 1), ...identity }
      : { name: key, ...identity };
  return { apiVersion: resource.apiVersion, kind: resource.kind, metadata } as T;
}

function pick(labels: Record<string, string>, keep: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const k of keep) {
    const v = labels[k];
    if (v === undefined) continue;
    out[k] = v;
    any = true;
  }
  return any ? out : undefined;
}

/** kubectl's client-side apply record: a second copy of the whole object, which no controller here reads. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function strip<T extends KubeObject>(obj: T): T {
  const annotations = obj.metadata?.annotations;
  if (!obj.metadata?.managedFields && annotations?.[LAST_APPLIED] === undefined) return obj;
  const { managedFields: _drop, ...metadata } = obj.metadata;
  if (annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: _record, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...obj, metadata } as T;
}

/** true when resourceVersion `a` is newer than `b` (etcd revisions are numbers; otherwise assume not). */
function newer(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length > b.length : a > b;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}
