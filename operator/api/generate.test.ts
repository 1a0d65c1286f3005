import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildCrd, toStructural } from './crd.ts';
import { renderCrdFiles, staleCrdFiles } from './generate.ts';
import { KINDS } from './kinds.ts';
import { TradingPlatformSpec } from './tradingplatform.ts';

type Json = Record<string, unknown>;

/** Visits every schema node with its path. */
function walk(node: Json, path: string, visit: (n: Json, p: string) => void): void {
  visit(node, path);
  for (const [k, v] of Object.entries((node.properties as Json) ?? {}))
    walk(v as Json, `${path}.${k}`, visit);
  if (node.items) walk(node.items as Json, `${path}[]`, visit);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    walk(node.additionalProperties as Json, `${path}[*]`, visit);
  }
}

describe('generated CRDs', () => {
  it('are up to date in crds/ (run `npm run crds` when this fails)', () => {
    expect(staleCrdFiles()).toEqual([]);
  });

  it('are deterministic', () => {
    expect([...renderCrdFiles()]).toEqual([...renderCrdFiles()]);
  });

  for (const def of KINDS) {
    describe(def.kind, () => {
      const crd = buildCrd(def) as any;
      const version = crd.spec.versions[0];
      const root = version.schema.openAPIV3Schema as Json;

      it('describes every field (kubectl explain)', () => {
        const missing: string[] = [];
        walk(root, def.kind, (n, p) => {
          if (!n.description && !p.endsWith('[]') && !p.endsWith('[*]') && !p.endsWith('.metadata'))
            missing.push(p);
        });
        expect(missing).toEqual([]);
      });

      it('is structural: typed nodes, no $ref, anyOf only for int-or-string', () => {
        walk(root, def.kind, (n, p) => {
          expect(typeof n.type === 'string' || n['x-kubernetes-int-or-string'], p).toBeTruthy();
          expect(n.$ref, p).toBeUndefined();
          if (n.anyOf) expect(n['x-kubernetes-int-or-string'], p).toBe(true);
          if (n.properties) expect(n.additionalProperties, p).toBeUndefined();
        });
      });

      it('has the status subresource, short names, category aurum and printer columns', () => {
        expect(version.subresources).toEqual({ status: {} });
        expect(crd.spec.names.shortNames).toEqual(def.shortNames);
        expect(crd.spec.names.categories).toEqual(['aurum']);
        expect(version.additionalPrinterColumns.map((c: Json) => c.name)).toContain('Ready');
        expect(crd.spec.scope).toBe('Namespaced');
      });
    });
  }

  it('rejects schemas that cannot be structural', () => {
    expect(() => toStructural({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).toThrow(/anyOf/);
    expect(() => toStructural({ $ref: '#/x' })).toThrow(/\$ref/);
    expect(() => toStructural({ description: 'x' })).toThrow(/type/);
  });

  it('carries the TradingPlatform CEL rules and int-or-string quantities', () => {
    const text = renderCrdFiles().get('tradingplatforms.aurum.dev.yaml')!;
    const crd = parse(text.split('\n').slice(1).join('\n'));
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.properties.investor['x-kubernetes-validations'][0].rule).toBe('self == oldSelf');
    expect(spec.properties.runtime['x-kubernetes-validations'][0].rule).toContain(
      'self.profile in self.allowedProfiles',
    );
    const cpu = spec.properties.runtime.properties.resources.properties.limits.properties.cpu;
    expect(cpu['x-kubernetes-int-or-string']).toBe(true);
    expect(cpu.anyOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    expect(spec.properties.counter.properties.protocol.enum).toEqual(['fix44']);
  });
});

describe('examples', () => {
  it('the TradingPlatform example parses with the zod schema', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../examples/tradingplatform.yaml'), 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d))
      .filter((d) => d?.kind === 'TradingPlatform');
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      const spec = TradingPlatformSpec.parse(d.spec);
      expect(spec.risk.maxOrderLots).toBeGreaterThan(0);
    }
  });
});
