/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go's algorithm): only the holder runs
 * controllers, so two replicas never write concurrently. Expiry is judged by *local* time since the record
 * last changed (not by the holder's renewTime), so clock skew between nodes cannot cause a false takeover.
 * Writes use the Lease's resourceVersion: two candidates racing for an expired lease cannot both win.
 */
import type { Logger } from '../../common/log.ts';
import type { KubeClient } from './client.ts';
import { type Clock, systemClock } from './clock.ts';
import { isConflict, isNotFound } from './errors.ts';
import { withDefaults } from './options.ts';
import { RESOURCES, resourcePath } from './resources.ts';

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

/** What a candidate should do with the lease it just read. */
export type LeaseDecision = 'renew' | 'acquire' | 'wait';

/**
 * Pure decision. `observedAt` is when this candidate first saw the current record (holder + renewTime).
 */
export function decideLease(
  spec: LeaseSpec,
  identity: string,
  observedAt: number,
  now: number,
): LeaseDecision {
  if (spec.holderIdentity === identity) return 'renew';
  if (!spec.holderIdentity) return 'acquire';
  const durationMs = (spec.leaseDurationSeconds ?? 15) * 1000;
  return now - observedAt > durationMs ? 'acquire' : 'wait';
}

/** Options of {@link LeaderElector}. */
export interface LeaderElectorOptions {
  client: KubeClient;
  log: Logger;
  namespace: string;
  /** Lease name. Default `aurum-operator`. */
  name?: string;
  /** This replica (pod name). */
  identity: string;
  /** Default 15 s. */
  leaseDurationMs?: number;
  /** A leader that cannot renew for this long steps down. Default 10 s. */
  renewDeadlineMs?: number;
  /** Default 2 s. */
  retryPeriodMs?: number;
  clock?: Clock;
}

export class LeaderElector {
  private readonly o: Required<LeaderElectorOptions>;
  private observed = '';
  private observedAt = 0;
  private lastRenew = 0;
  private leading = false;
  private stopped = false;
  private lease: Lease | undefined;

  constructor(options: LeaderElectorOptions) {
    this.o = withDefaults(
      {
        name: 'aurum-operator',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
        clock: systemClock,
      },
      options,
    );
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until leading, calls `onStarted`, keeps renewing; calls `onStopped` and returns when the lease
   * is lost or {@link LeaderElector.stop} is called.
   */
  async run(onStarted: () => void, onStopped: () => void): Promise<void> {
    while (!this.stopped) {
      const ok = await this.tryAcquireOrRenew().catch((err) => {
        this.o.log.warn({ err: String(err) }, 'lease update failed');
        return false;
      });
      const now = this.o.clock.now();
      if (ok) {
        this.lastRenew = now;
        if (!this.leading) {
          this.leading = true;
          this.o.log.info({ identity: this.o.identity }, 'became leader');
          onStarted();
        }
      } else if (this.leading && now - this.lastRenew > this.o.renewDeadlineMs) {
        this.leading = false;
        this.o.log.error({ identity: this.o.identity }, 'lost leadership');
        onStopped();
        return;
      }
      await sleep(this.o.clock, this.o.retryPeriodMs);
    }
    if (this.leading) {
      await this.release();
      this.leading = false;
      onStopped();
    }
  }

  /** Stops campaigning; a leader releases the lease so the other replica takes over at once. */
  stop(): void {
    this.stopped = true;
  }

  private path(name?: string): string {
    return resourcePath(RESOURCES.Lease, { namespace: this.o.namespace, name });
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.o.clock.now();
    const nowIso = new Date(now).toISOString().replace('Z', '000Z');
    let lease: Lease;
    try {
      lease = await this.o.client.get<Lease>(this.path(this.o.name));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const fresh: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.name, namespace: this.o.namespace },
        spec: {
          holderIdentity: this.o.identity,
          leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
          acquireTime: nowIso,
          renewTime: nowIso,
          leaseTransitions: 0,
        },
      };
      try {
        this.lease = await this.o.client.create<Lease>(this.path(), fresh);
        return true;
      } catch (e) {
        if (isConflict(e)) return false;
        throw e;
      }
    }
    const record = `${lease.spec.holderIdentity ?? ''}|${lease.spec.renewTime ?? ''}`;
    if (record !== this.observed) {
      this.observed = record;
      this.observedAt = now;
    }
    const decision = decideLease(lease.spec, this.o.identity, this.observedAt, now);
    if (decision === 'wait') return false;
    const spec: LeaseSpec = {
      ...lease.spec,
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      renewTime: nowIso,
    };
    if (decision === 'acquire') {
      spec.acquireTime = nowIso;
      spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1;
    }
    try {
      this.lease = await this.o.client.replace<Lease>(this.path(this.o.name), { ...lease, spec });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  private async release(): Promise<void> {
    if (!this.lease) return;
    try {
      const lease = await this.o.client.get<Lease>(this.path(this.o.name));
      if (lease.spec.holderIdentity !== this.o.identity) return;
      await this.o.client.replace(this.path(this.o.name), {
        ...lease,
        spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1 },
      });
      this.o.log.info('released leader lease');
    } catch (err) {
      this.o.log.warn({ err: String(err) }, 'releasing lease failed');
    }
  }
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((r) => clock.setTimeout(r, ms));
}
