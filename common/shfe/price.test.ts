import { describe, expect, it } from 'vitest';
import {
  ceilToTick,
  floorToTick,
  formatMoney,
  formatPrice,
  isOnTick,
  parseDecimal2,
  parsePrice,
} from './price.ts';

describe('price', () => {
  it('parses FIX decimals exactly', () => {
    expect(parsePrice('612.34')).toBe(61234);
    expect(parsePrice('612')).toBe(61200);
    expect(parsePrice('612.3')).toBe(61230);
    expect(parsePrice('612.3400')).toBe(61234);
    expect(parsePrice('0.07')).toBe(7);
    expect(parsePrice(612.34)).toBe(61234);
    expect(parsePrice(0.1 + 0.2)).toBeUndefined(); // 0.30000000000000004 is not a two-decimal price
    expect(parseDecimal2('-1.5')).toBe(-150);
  });
  it('rejects non-prices', () => {
    for (const bad of ['612.345', 'abc', '', '1e3', '1.2.3', ' ', '99999999999999999999']) {
      expect(parsePrice(bad)).toBeUndefined();
    }
    expect(parsePrice(Number.NaN)).toBeUndefined();
  });
  it('formats with two decimals and round-trips', () => {
    expect(formatPrice(61234)).toBe('612.34');
    expect(formatPrice(7)).toBe('0.07');
    expect(formatMoney(-150)).toBe('-1.50');
    for (const p of [2, 100, 61234, 99998, 123456789]) expect(parsePrice(formatPrice(p))).toBe(p);
    expect(() => formatPrice(1.5)).toThrow();
  });
  it('checks the tick grid', () => {
    expect(isOnTick(61234, 2)).toBe(true);
    expect(isOnTick(61235, 2)).toBe(false);
    expect(isOnTick(0, 2)).toBe(false);
    expect(floorToTick(61235, 2)).toBe(61234);
    expect(ceilToTick(61235, 2)).toBe(61236);
  });
});
