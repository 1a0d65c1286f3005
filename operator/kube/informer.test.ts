import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import type { KubeClient } from './client.ts';
import { Informer, type InformerEvent } from './informer.ts';
import { type KubeObject, RESOURCES } from './resources.ts';

function configMap(name: string, rv: string, data: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', resourceVersion: rv, labels: { owner: name, tier: 'x' } },
    data,
  } as KubeObject;
}

/** An informer over a list the test controls; only relists run (no watch), which is all these cases need. */
function setup() {
  let items: KubeObject[] = [];
  const client = {
    get: async () => ({ metadata: { resourceVersion: '100' }, items }),
  } as unknown as KubeClient;
  const informer = new Informer({
    client,
    resource: RESOURCES.ConfigMap,
    log: createLogger('t', { level: 'silent' }),
  });
  const events: [InformerEvent, KubeObject][] = [];
  informer.on((event, obj) => events.push([event, obj]));
  return {
    informer,
    events,
    setItems: (next: KubeObject[]) => {
      items = next;
    },
  };
}

describe('Informer: releasing verified bodies', () => {
  it('keeps bodies when not asked to release them', async () => {
    const t = setup();
    t.setItems([configMap('a', '1', { k: 'v' })]);
    await t.informer.relist();
    t.informer.verify('ns/a', '1', 'h1');
    expect(t.informer.lookup('ns/a')).toMatchObject({ resourceVersion: '1', verified: 'h1' });
    expect(t.informer.get('ns/a')).toMatchObject({ data: { k: 'v' } });
  });

  it('drops a verified body, keeps it dropped while the version stands, and takes a new version in full', async () => {
    const t = setup();
    t.informer.releaseVerifiedBodies = true;
    t.setItems([configMap('a', '1', { k: 'v' })]);
    await t.informer.relist();

    t.informer.verify('ns/a', '0', 'stale'); // an older version's mark is ignored
    expect(t.informer.lookup('ns/a')?.verified).toBeUndefined();
    expect(t.informer.lookup('ns/a')?.object).toMatchObject({ data: { k: 'v' } });

    t.informer.verify('ns/a', '1', 'h1');
    expect(t.informer.lookup('ns/a')).toEqual({ resourceVersion: '1', verified: 'h1', object: undefined });
    expect(() => t.informer.get('ns/a')).toThrow(/released/);

    await t.informer.relist(); // same version listed again: still released, a resync is emitted
    expect(t.informer.lookup('ns/a')?.object).toBeUndefined();
    expect(t.events.at(-1)?.[0]).toBe('resync');

    t.setItems([configMap('a', '2', { k: 'edited' })]);
    await t.informer.relist();
    expect(t.informer.lookup('ns/a')).toMatchObject({ resourceVersion: '2', verified: undefined });
    expect(t.informer.get('ns/a')).toMatchObject({ data: { k: 'edited' } });
    expect(t.events.at(-1)?.[0]).toBe('update');
  });

  it('reports a delete found by a relist with the labels of a released object, so it maps to its owner', async () => {
    const t = setup();
    t.informer.releaseVerifiedBodies = true;
    t.setItems([configMap('a', '1'), configMap('b', '1')]);
    await t.informer.relist();
    t.informer.verify('ns/a', '1', 'h1');
    t.setItems([configMap('b', '1')]);
    await t.informer.relist();
    const deleted = t.events.find(([e]) => e === 'delete')?.[1];
    expect(deleted?.metadata).toMatchObject({
      name: 'a',
      namespace: 'ns',
      labels: { owner: 'a', tier: 'x' },
    });
    expect(t.informer.lookup('ns/a')).toBeUndefined();
  });

  it('keeps only the named labels of a released object', async () => {
    const t = setup();
    t.informer.releaseVerifiedBodies = true;
    t.informer.releasedLabels = ['owner'];
    t.setItems([configMap('a', '1')]);
    await t.informer.relist();
    t.informer.verify('ns/a', '1', 'h1');
    t.setItems([]);
    await t.informer.relist();
    const deleted = t.events.find(([e]) => e === 'delete')?.[1];
    expect(deleted?.metadata.labels).toEqual({ owner: 'a' });
  });
});

describe('Informer: what the cache keeps', () => {
  it('drops managedFields and kubectl last-applied-configuration, keeps other annotations', async () => {
    const t = setup();
    const cm = configMap('a', '1', { k: 'v' });
    cm.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply' }] as never;
    cm.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(cm),
      'aurum.dev/applied-hash': 'h',
    };
    t.setItems([cm]);
    await t.informer.relist();
    const cached = t.informer.get('ns/a');
    expect(cached?.metadata.managedFields).toBeUndefined();
    expect(cached?.metadata.annotations).toEqual({ 'aurum.dev/applied-hash': 'h' });
    expect(cached).toMatchObject({ data: { k: 'v' } });
  });
});
