/**
 * Kubernetes Events (events.k8s.io/v1) about objects the operator manages. Identical events for the same
 * object within `dedupeMs` are dropped, so a steady state produces no Event writes; failures to record an
 * Event are logged, never thrown (an Event is never worth failing a reconcile).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../../common/log.ts';
import type { KubeClient } from './client.ts';
import type { Clock } from './clock.ts';
import { isoSeconds } from './conditions.ts';
import { withDefaults } from './options.ts';
import { RESOURCES, resourcePath } from './resources.ts';

export type EventType = 'Normal' | 'Warning';

/** The object an Event is about. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string };
}

/** Records Events; inject into reconcilers. */
export interface EventRecorder {
  event(regarding: EventSubject, type: EventType, reason: string, note: string): void;
}

/** Options of {@link KubeEventRecorder}. */
export interface EventRecorderOptions {
  client: KubeClient;
  clock: Clock;
  log: Logger;
  /** `reportingController`. Default `aurum.dev/operator`. */
  controller?: string;
  /** `reportingInstance` (pod name). */
  instance: string;
  /** Window in which an identical event is not recorded again. Default 10 minutes. */
  dedupeMs?: number;
}

export class KubeEventRecorder implements EventRecorder {
  /**
   * Digest of (object, type, reason, note) → when it was last recorded, oldest first (an entry is moved to the
   * end when recorded again), so expiry trims from the front and the map holds one window's worth: at 10,000
   * platforms that is one short digest per platform instead of every note's text.
   */
  private readonly recent = new Map<string, number>();
  private readonly o: Required<EventRecorderOptions>;
  constructor(options: EventRecorderOptions) {
    this.o = withDefaults({ controller: 'aurum.dev/operator', dedupeMs: 600_000 }, options);
  }

  event(regarding: EventSubject, type: EventType, reason: string, note: string): void {
    const now = this.o.clock.now();
    const key = createHash('sha1')
      .update(`${regarding.metadata.uid}|${type}|${reason}|${note}`)
      .digest('base64');
    const last = this.recent.get(key);
    if (last !== undefined && now - last < this.o.dedupeMs) return;
    this.recent.delete(key);
    this.recent.set(key, now);
    for (const [k, t] of this.recent) {
      if (now - t < this.o.dedupeMs) break;
      this.recent.delete(k);
    }
    const ns = regarding.metadata.namespace ?? 'default';
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${regarding.metadata.name}.${randomBytes(6).toString('hex')}`, namespace: ns },
      eventTime: new Date(now).toISOString().replace('Z', '000Z'),
      reportingController: this.o.controller,
      reportingInstance: this.o.instance,
      action: reason,
      reason,
      type,
      note: note.slice(0, 1024),
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.metadata.name,
        namespace: ns,
        uid: regarding.metadata.uid,
      },
    };
    this.o.client.create(resourcePath(RESOURCES.Event, { namespace: ns }), body).catch((err) => {
      this.o.log.warn({ err: String(err), reason, at: isoSeconds(new Date(now)) }, 'recording event failed');
    });
  }
}

/** Collects events in memory (tests). */
export class MemoryEventRecorder implements EventRecorder {
  readonly events: Array<{ name: string; type: EventType; reason: string; note: string }> = [];
  event(regarding: EventSubject, type: EventType, reason: string, note: string): void {
    this.events.push({ name: regarding.metadata.name, type, reason, note });
  }
}
