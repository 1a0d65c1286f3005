import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fixedNotation, format } from './fixed-notation.ts';

// The real mathjs, as jspurefix resolves it (it stays installed; only the runtime's processes skip it).
const requireFromJspurefix = createRequire(createRequire(import.meta.url).resolve('jspurefix'));
const mathjs = requireFromJspurefix('mathjs') as { format: (v: number, o: object) => string };

describe('fixedNotation (mathjs format with notation "fixed", without mathjs)', () => {
  const samples = [
    600.12,
    0.02,
    -600.5,
    0.1 + 0.2,
    1e-7,
    1.25e-12,
    -3.5e-9,
    123456789.125,
    1.5e21,
    2.5e300,
    9.99e-300,
    Number.MIN_VALUE,
    -Number.MAX_VALUE,
    0.5,
    -0.5,
    1 / 3,
    5e-324,
    1e21 + 0.5,
    100.001,
    0,
    -0,
    42,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];

  it('formats exactly as mathjs does, for edge cases', () => {
    for (const v of samples)
      expect(fixedNotation(v), String(v)).toBe(mathjs.format(v, { notation: 'fixed' }));
  });

  it('formats exactly as mathjs does, for 20,000 random prices and magnitudes', () => {
    let seed = 20261203;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 60 - 30);
      const price = Math.round(rnd() * 100_000) / 100;
      for (const x of [v, price, price + 0.005])
        expect(fixedNotation(x), String(x)).toBe(mathjs.format(x, { notation: 'fixed' }));
    }
  });

  it('refuses what jspurefix never asks for instead of formatting it differently', () => {
    expect(format(1.5, { notation: 'fixed' })).toBe('1.5');
    expect(() => format(1.5, { notation: 'exponential' })).toThrow(/fixed/);
    expect(() => format('1.5', { notation: 'fixed' })).toThrow(/fixed/);
  });
});
