import { describe, expect, it } from 'vitest';
import { formatDecimal2 } from '../../common/shfe/index.ts';
import { decimalText } from './money-text.ts';

describe('decimalText', () => {
  it('gives formatDecimal2 for every value, repeated or not, past its bound', () => {
    const text = decimalText();
    for (let i = -6000; i < 6000; i += 3) expect(text(i)).toBe(formatDecimal2(i));
    for (let i = 0; i < 100; i++) expect(text(61234)).toBe('612.34');
    expect(() => text(1.5)).toThrow(RangeError);
  });
});
