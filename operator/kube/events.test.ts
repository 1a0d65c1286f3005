import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import type { KubeClient } from './client.ts';
import { KubeEventRecorder } from './events.ts';
import { FakeClock } from './testing.ts';

function setup(dedupeMs = 1000) {
  const posted: Array<{ reason: string; note: string; regarding: { name: string } }> = [];
  const client = {
    create: async (_path: string, body: (typeof posted)[number]) => {
      posted.push(body);
      return body;
    },
  } as unknown as KubeClient;
  const clock = new FakeClock();
  const recorder = new KubeEventRecorder({
    client,
    clock,
    log: createLogger('test', { level: 'silent' }),
    instance: 'op-0',
    dedupeMs,
  });
  const tp = (name: string) => ({
    apiVersion: 'aurum.dev/v1alpha1',
    kind: 'TradingPlatform',
    metadata: { name, namespace: 'ns', uid: `uid-${name}` },
  });
  return { posted, clock, recorder, tp };
}

describe('KubeEventRecorder', () => {
  it('drops an identical event within the window and records it again after', () => {
    const t = setup();
    t.recorder.event(t.tp('a'), 'Normal', 'Created', 'Created ConfigMap a-runtime-config');
    t.clock.advance(999);
    t.recorder.event(t.tp('a'), 'Normal', 'Created', 'Created ConfigMap a-runtime-config');
    expect(t.posted).toHaveLength(1);
    t.clock.advance(1);
    t.recorder.event(t.tp('a'), 'Normal', 'Created', 'Created ConfigMap a-runtime-config');
    expect(t.posted).toHaveLength(2);
  });

  it('tells apart objects, reasons and notes', () => {
    const t = setup();
    t.recorder.event(t.tp('a'), 'Normal', 'Created', 'x');
    t.recorder.event(t.tp('b'), 'Normal', 'Created', 'x');
    t.recorder.event(t.tp('a'), 'Warning', 'Created', 'x');
    t.recorder.event(t.tp('a'), 'Normal', 'Updated', 'x');
    t.recorder.event(t.tp('a'), 'Normal', 'Created', 'y');
    expect(t.posted.map((e) => `${e.regarding.name}:${e.reason}:${e.note}`)).toEqual([
      'a:Created:x',
      'b:Created:x',
      'a:Created:x',
      'a:Updated:x',
      'a:Created:y',
    ]);
  });

  it('forgets expired entries, so memory holds one window of events, not every event ever', () => {
    const t = setup(1000);
    for (let i = 0; i < 500; i++) t.recorder.event(t.tp(`p${i}`), 'Normal', 'Created', 'note');
    const recent = (t.recorder as unknown as { recent: Map<string, number> }).recent;
    expect(recent.size).toBe(500);
    t.clock.advance(1000);
    t.recorder.event(t.tp('late'), 'Normal', 'Created', 'note');
    expect(recent.size).toBe(1);
    // An entry recorded again moves to the back, so it is not trimmed with older ones.
    t.recorder.event(t.tp('q'), 'Normal', 'Created', 'note');
    t.clock.advance(600);
    t.recorder.event(t.tp('late'), 'Normal', 'Created', 'changed');
    t.clock.advance(500);
    t.recorder.event(t.tp('r'), 'Normal', 'Created', 'note');
    expect([...recent.values()].every((at) => t.clock.now() - at < 1000)).toBe(true);
    expect(recent.size).toBe(2);
  });
});
