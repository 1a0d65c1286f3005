import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_CODES, ERRORS, refuse } from './errors.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/runtime.md'), 'utf8');

describe('error catalog', () => {
  it('every code is documented in docs/runtime.md with its sentence', () => {
    for (const [code, sentence] of Object.entries(ERRORS))
      expect(doc).toContain(`| \`${code}\` | ${sentence} |`);
  });
  it('every alert code is documented', () => {
    for (const code of ALERT_CODES) expect(doc).toContain(`\`${code}\``);
  });
  it('refusals carry the code, the sentence and the specifics', () => {
    expect(refuse('PRICE_OFF_TICK', '612.01 is not a multiple of 0.02.')).toEqual({
      ok: false,
      code: 'PRICE_OFF_TICK',
      message: `${ERRORS.PRICE_OFF_TICK} 612.01 is not a multiple of 0.02.`,
    });
  });
});
