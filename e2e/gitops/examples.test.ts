/**
 * examples/ works as a GitOps source: kustomize builds it (as Argo CD and Flux do), the sample strategy comes
 * from its real file, and the API server accepts every object (server-side dry run against the CRDs the
 * chart installed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { installAurum } from '../chart/lib.ts';
import { kubectl } from '../lib/index.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

describe('examples/ as a kustomization', () => {
  let objects: any[] = [];
  beforeAll(() => {
    installAurum();
    const out = kubectl(['kustomize', EXAMPLES]).stdout;
    objects = parseAllDocuments(out).map((d) => d.toJS());
  });

  it('ships the real sample strategy in the ConfigMap the TradingPlatform references', () => {
    const tp = objects.find((o) => o.kind === 'TradingPlatform');
    expect(tp).toBeDefined();
    for (const s of tp.spec.strategies ?? []) {
      const ref = s.source.configMapRef;
      const cm = objects.find(
        (o) =>
          o.kind === 'ConfigMap' &&
          o.metadata.name === ref.name &&
          o.metadata.namespace === tp.metadata.namespace,
      );
      expect(cm, `ConfigMap ${ref.name}`).toBeDefined();
      expect(cm.data[ref.key]).toBe(readFileSync(join(EXAMPLES, 'strategies', `${ref.name}.js`), 'utf8'));
    }
  });

  it('is accepted by the API server as it stands (server-side dry run)', () => {
    const r = kubectl(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=gitops', '-k', EXAMPLES],
      {
        check: false,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    for (const o of objects)
      expect(r.stdout).toMatch(new RegExp(`${o.kind.toLowerCase()}(\\.[a-z.]+)?/${o.metadata.name} `));
  });
});
