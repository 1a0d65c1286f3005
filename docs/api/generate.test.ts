import { describe, expect, it } from 'vitest';
import { KINDS } from '../../operator/api/kinds.ts';
import { kindMarkdown, staleApiDocs } from './generate.ts';

describe('docs/api', () => {
  it('is current with the CRD schemas (run node docs/api/generate.ts after an API change)', () => {
    expect(staleApiDocs()).toEqual([]);
  });

  it('documents every spec field with its description', () => {
    const tp = kindMarkdown(KINDS.find((k) => k.kind === 'TradingPlatform')!);
    expect(tp).toMatch(/\| `spec\.investor` \| string \| yes \|/);
    expect(tp).toContain('`spec.strategies[].source.configMapRef.key`');
    expect(tp).toMatch(/\| `spec\.risk\.maxCancelsPerDay` \| integer \| {2}\| `400` \|/);
    expect(tp).toContain('rule: investor is immutable');
    expect(tp).not.toMatch(/\| `spec\.[^`]+` \| [^|]+ \| [^|]* \| [^|]* \| {2}\|/); // no empty description
  });
});
