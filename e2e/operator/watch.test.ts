/**
 * The informer's watch survives idle periods much longer than client-node's 30 s request timeout (which made
 * 2.0.0 abort healthy watches every 30 s): one watch, idle for 100 s (> 3 × 30 s), no restart, still
 * delivering events, and healthy by the watchdog's measure.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { KubeClient } from '../../operator/kube/client.ts';
import { Informer } from '../../operator/kube/informer.ts';
import { RESOURCES } from '../../operator/kube/resources.ts';
import { kubeConfig, kubectl, useNamespace, waitFor } from '../lib/index.ts';

const ns = useNamespace('op-watch');
const IDLE_MS = 100_000;

describe('informer watch', () => {
  it(`stays open and fresh through ${IDLE_MS / 1000} s of silence, then still delivers events`, async () => {
    const kc = kubeConfig();
    const client = new KubeClient(kc);
    const inf = new Informer({
      client,
      resource: RESOURCES.ConfigMap,
      namespace: ns.name,
      log: createLogger('watch-test', { level: 'warn' }),
    });
    const seen: string[] = [];
    inf.on((event, obj) => seen.push(`${event}:${obj.metadata.name}`));
    await inf.start();
    try {
      kubectl(['-n', ns.name, 'create', 'configmap', 'before']);
      await waitFor(() => inf.get(`${ns.name}/before`), {
        describe: 'first event',
        timeout: 10_000,
        interval: 100,
      });
      await new Promise((r) => setTimeout(r, IDLE_MS));
      expect(inf.watchRestarts).toBe(0);
      expect(inf.fresh()).toBe(true);
      kubectl(['-n', ns.name, 'create', 'configmap', 'after']);
      await waitFor(() => inf.get(`${ns.name}/after`), {
        describe: 'event after idling',
        timeout: 5_000,
        interval: 100,
      });
      expect(seen).toContain('add:after');
      expect(inf.watchRestarts).toBe(0);
    } finally {
      inf.stop();
      await client.close();
    }
  });
});
