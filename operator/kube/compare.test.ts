import { describe, expect, it } from 'vitest';
import { desiredHash, isSubset, needsApply, stableStringify, withAppliedHash } from './compare.ts';
import { kstatusConditions, mergeConditions } from './conditions.ts';
import type { KubeObject } from './resources.ts';

const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', namespace: 'ns', labels: { a: '1' } },
  data,
});

describe('compare-before-apply', () => {
  it('hashes independently of key order', () => {
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(desiredHash({ a: 1, b: 2 })).toBe(desiredHash({ b: 2, a: 1 }));
  });

  it('treats server defaults as equal and edits as drift', () => {
    const desired = withAppliedHash(cm({ k: 'v' }));
    const live = { ...desired, metadata: { ...desired.metadata, uid: 'u', resourceVersion: '5' }, extra: 1 };
    expect(needsApply(desired, live)).toBeUndefined();
    expect(needsApply(desired, { ...live, data: { k: 'edited' } })).toBe('drifted');
    expect(needsApply(desired, undefined)).toBe('missing');
  });

  it('notices a field we stopped setting through the hash', () => {
    const before = withAppliedHash(cm({ k: 'v', old: 'x' }));
    const after = withAppliedHash(cm({ k: 'v' }));
    expect(isSubset(after, before)).toBe(false); // hash differs
    expect(needsApply(after, before)).toBe('desired-changed');
  });

  it('compares numbers and numeric strings as equal (quantities, ports)', () => {
    expect(isSubset({ cpu: '1' }, { cpu: 1 })).toBe(true);
    expect(isSubset([1, 2], [1, 2, 3])).toBe(false);
  });
});

describe('conditions', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-01-01T00:05:00Z');

  it('keeps lastTransitionTime while the status is unchanged', () => {
    const a = mergeConditions(undefined, [{ type: 'Ready', status: 'False', reason: 'X' }], 1, t0);
    const b = mergeConditions(a, [{ type: 'Ready', status: 'False', reason: 'Y' }], 2, t1);
    expect(b[0]!.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(b[0]!.observedGeneration).toBe(2);
    const c = mergeConditions(b, [{ type: 'Ready', status: 'True', reason: 'Z' }], 2, t1);
    expect(c[0]!.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });

  it('always has Ready; Reconciling while progressing; Stalled when stuck', () => {
    const types = (r: Parameters<typeof kstatusConditions>[0]) =>
      kstatusConditions(r).map((c) => `${c.type}=${c.status}`);
    expect(types({ ready: true, progressing: false, stalled: false, reason: 'Ok', message: '' })).toEqual([
      'Ready=True',
    ]);
    expect(types({ ready: false, progressing: true, stalled: false, reason: 'P', message: '' })).toEqual([
      'Ready=False',
      'Reconciling=True',
    ]);
    expect(types({ ready: false, progressing: false, stalled: true, reason: 'S', message: '' })).toEqual([
      'Ready=False',
      'Stalled=True',
    ]);
  });
});
