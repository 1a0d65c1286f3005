/**
 * The Manager wires the controller runtime: shared informers, controllers, leader election, the HTTP
 * endpoint (/metrics, /healthz, /readyz) and graceful shutdown.
 *
 * Registering a controller (see operator/kube/README.md):
 *
 *   const platforms = mgr.informer<TradingPlatform>(RESOURCES.TradingPlatform);
 *   mgr.addController({
 *     name: 'tradingplatform',
 *     for: RESOURCES.TradingPlatform,                       // its own events enqueue `namespace/name`
 *     watches: [{ resource: RESOURCES.StatefulSet, labelSelector: MANAGED, map: ownerByLabel(PLATFORM_LABEL) }],
 *     reconciler: new TradingPlatformReconciler({ client: mgr.client, platforms, ... }),
 *   });
 *
 * Informers and controllers run only while this replica leads; a replica that loses the lease stops its
 * controllers and exits so it restarts clean as a follower.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from '../../common/log.ts';
import { KubeClient } from './client.ts';
import { type Clock, systemClock } from './clock.ts';
import type { ClientNodeKubeConfig, KubeConnection } from './connection.ts';
import { Controller, type Reconciler } from './controller.ts';
import { Informer, type InformerEvent } from './informer.ts';
import { LeaderElector } from './leader.ts';
import { OperatorMetrics } from './metrics.ts';
import type { RateLimiterOptions } from './ratelimit.ts';
import { type KubeObject, objectKey, type ResourceType } from './resources.ts';

/** Maps a related object to the keys (`namespace/name`) of the primary objects to reconcile. */
export type MapFn = (obj: KubeObject) => string[];

/** Decides whether an update of the primary object is worth a reconcile. */
export type Predicate = (obj: KubeObject, old: KubeObject | undefined) => boolean;

/** How a controller is registered. */
export interface ControllerRegistration {
  name: string;
  reconciler: Reconciler;
  /** The primary kind. */
  for: ResourceType;
  /** Label selector of the primary objects this controller is responsible for. Default: all. */
  forSelector?: string;
  /** Filters primary `update` events. Default {@link generationOrMetadataChanged}. */
  predicate?: Predicate;
  /** Related kinds whose changes wake primary objects. */
  watches?: Array<{ resource: ResourceType; labelSelector?: string; map: MapFn }>;
  /** Default 4. */
  workers?: number;
  rateLimiter?: RateLimiterOptions;
}

/** Options of {@link Manager}. */
export interface ManagerOptions {
  /** How to reach the API server (a client-node KubeConfig is adapted). */
  connection: KubeConnection | ClientNodeKubeConfig;
  log: Logger;
  /** This replica's identity (pod name). */
  identity: string;
  /** Namespace of the leader Lease. Omit to run without leader election (tests, single replica). */
  leaderElectionNamespace?: string;
  /** Port of /metrics, /healthz, /readyz; 0 picks a free one; undefined disables. */
  httpPort?: number;
  /** Watch only this namespace (all informers). Default: all namespaces. */
  namespace?: string;
  /** Informer relist period. Default 5 minutes. */
  resyncMs?: number;
  /** Informer stale threshold for /healthz. Default 180 s. */
  staleAfterMs?: number;
  /** Connections to the API server. Default 16. */
  connections?: number;
  metrics?: OperatorMetrics;
  clock?: Clock;
  /** Called when leadership is lost (default: exit the process with code 1). */
  onLostLeadership?: () => void;
}

/** Primary updates that matter: spec (generation), labels, annotations, finalizers, deletion. */
export const generationOrMetadataChanged: Predicate = (obj, old) =>
  !old ||
  obj.metadata.generation !== old.metadata.generation ||
  obj.metadata.deletionTimestamp !== old.metadata.deletionTimestamp ||
  JSON.stringify(obj.metadata.labels) !== JSON.stringify(old.metadata.labels) ||
  JSON.stringify(obj.metadata.annotations) !== JSON.stringify(old.metadata.annotations) ||
  JSON.stringify(obj.metadata.finalizers) !== JSON.stringify(old.metadata.finalizers);

/** A {@link MapFn} for children labelled with their owner's name in the same namespace. */
export function ownerByLabel(label: string): MapFn {
  return (obj) => {
    const owner = obj.metadata.labels?.[label];
    return owner && obj.metadata.namespace ? [`${obj.metadata.namespace}/${owner}`] : [];
  };
}

export class Manager {
  readonly client: KubeClient;
  readonly metrics: OperatorMetrics;
  readonly log: Logger;
  private readonly o: ManagerOptions;
  private readonly informers = new Map<string, Informer>();
  private readonly controllers: Controller[] = [];
  private elector: LeaderElector | undefined;
  private server: Server | undefined;
  private started = false;
  private leading = false;
  private stopping: Promise<void> | undefined;

  constructor(options: ManagerOptions) {
    this.o = options;
    this.log = options.log;
    this.metrics = options.metrics ?? new OperatorMetrics();
    this.client = new KubeClient(options.connection, {
      connections: options.connections,
      observe: (method, _path, status) =>
        this.metrics.apiRequests.inc({ verb: method, code: String(status) }),
    });
  }

  /** The shared informer for a resource (+ selector); created on first use, started when leading. */
  informer<T extends KubeObject = KubeObject>(resource: ResourceType, labelSelector?: string): Informer<T> {
    const id = `${resource.apiVersion}/${resource.plural}?${labelSelector ?? ''}`;
    let inf = this.informers.get(id);
    if (!inf) {
      inf = new Informer({
        client: this.client,
        resource,
        labelSelector,
        namespace: resource.namespaced ? this.o.namespace : undefined,
        log: this.log.child({ informer: resource.plural }),
        resyncMs: this.o.resyncMs,
        staleAfterMs: this.o.staleAfterMs,
        clock: this.o.clock ?? systemClock,
        onWatchRestart: (reason) => this.metrics.watchRestarts.inc({ resource: resource.plural, reason }),
      });
      this.informers.set(id, inf);
    }
    return inf as unknown as Informer<T>;
  }

  /** Registers a controller; call before {@link Manager.start}. */
  addController(reg: ControllerRegistration): Controller {
    const c = new Controller({
      name: reg.name,
      reconciler: reg.reconciler,
      log: this.log,
      metrics: this.metrics,
      workers: reg.workers,
      rateLimiter: reg.rateLimiter,
    });
    const predicate = reg.predicate ?? generationOrMetadataChanged;
    this.informer(reg.for, reg.forSelector).on((event: InformerEvent, obj, old) => {
      if (event === 'update' && !predicate(obj, old)) return;
      if (event === 'resync') c.enqueueRecheck(objectKey(obj));
      else c.enqueue(objectKey(obj));
    });
    for (const w of reg.watches ?? []) {
      this.informer(w.resource, w.labelSelector).on((event, obj) => {
        if (event === 'resync') return; // the primary's own resync covers periodic checks
        for (const key of w.map(obj)) c.enqueue(key);
      });
    }
    this.controllers.push(c);
    return c;
  }

  /** true while this replica runs controllers. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Starts the HTTP endpoint and campaigns for leadership (or starts at once without election). */
  async start(): Promise<void> {
    this.started = true;
    if (this.o.httpPort !== undefined) await this.listen(this.o.httpPort);
    if (!this.o.leaderElectionNamespace) {
      await this.startLeading();
      return;
    }
    this.elector = new LeaderElector({
      client: this.client,
      log: this.log.child({ component: 'leader' }),
      namespace: this.o.leaderElectionNamespace,
      identity: this.o.identity,
      clock: this.o.clock,
    });
    void this.elector.run(
      () => {
        this.startLeading().catch((err) => {
          this.log.error({ err: String(err) }, 'starting controllers failed');
          this.lostLeadership();
        });
      },
      () => {
        if (!this.stopping) this.lostLeadership();
      },
    );
  }

  private lostLeadership(): void {
    this.metrics.leader.set(0);
    if (this.o.onLostLeadership) this.o.onLostLeadership();
    else {
      this.log.error('leadership lost: exiting so this replica restarts as a follower');
      void this.stop().finally(() => process.exit(1));
    }
  }

  private async startLeading(): Promise<void> {
    this.leading = true;
    this.metrics.leader.set(1);
    await Promise.all([...this.informers.values()].map((i) => i.start()));
    this.log.info({ informers: this.informers.size }, 'caches synced; starting controllers');
    for (const c of this.controllers) c.start();
  }

  /** Graceful shutdown: release the lease, finish passes in flight, stop watches, close the endpoint. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.elector?.stop();
      await Promise.all(this.controllers.map((c) => c.stop()));
      for (const i of this.informers.values()) i.stop();
      await this.waitForRelease();
      await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
      await this.client.close();
      this.leading = false;
    })();
    return this.stopping;
  }

  private async waitForRelease(): Promise<void> {
    // The elector loop notices stop() within one retry period and releases the lease.
    for (let i = 0; i < 30 && this.elector?.isLeader(); i++) await new Promise((r) => setTimeout(r, 100));
  }

  /** Health: ok unless leading with an informer whose watch is stale. */
  health(): {
    ok: boolean;
    leader: boolean;
    informers: Record<string, { fresh: boolean; silentSeconds: number; objects: number }>;
  } {
    const informers: Record<string, { fresh: boolean; silentSeconds: number; objects: number }> = {};
    let ok = true;
    for (const [id, inf] of this.informers) {
      const fresh = !this.leading || !inf.hasSynced() || inf.fresh();
      informers[id] = { fresh, silentSeconds: Math.round(inf.silenceSeconds()), objects: inf.size() };
      if (!fresh) ok = false;
    }
    return { ok, leader: this.leading, informers };
  }

  /** Ready: started, and when leading, every cache synced. */
  ready(): boolean {
    if (!this.started || this.stopping) return false;
    return !this.leading || [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** The bound port of the HTTP endpoint. */
  port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  private listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      const send = (code: number, body: string, type = 'application/json') => {
        res.writeHead(code, { 'content-type': type });
        res.end(body);
      };
      if (req.url === '/metrics') {
        this.metrics.registry
          .metrics()
          .then((m) => send(200, m, this.metrics.registry.contentType))
          .catch((e) => send(500, String(e), 'text/plain'));
      } else if (req.url === '/healthz') {
        const h = this.health();
        send(h.ok ? 200 : 503, JSON.stringify(h));
      } else if (req.url === '/readyz') {
        const r = this.ready();
        send(r ? 200 : 503, JSON.stringify({ ready: r, leader: this.leading }));
      } else send(404, '{"error":"not found"}');
    });
    return new Promise((resolve) => this.server!.listen(port, '0.0.0.0', () => resolve()));
  }
}
