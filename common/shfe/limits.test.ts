import { describe, expect, it } from 'vitest';
import { fee, margin, notional, pnl, priceLimits } from './limits.ts';
import { closingSide, positionSideOf, splitClose } from './offsets.ts';
import { DEFAULT_AU_SPEC, makeSpec } from './spec.ts';

describe('limits, margin, fees', () => {
  it('computes limits on the tick grid', () => {
    const l = priceLimits(61234, DEFAULT_AU_SPEC);
    expect(l.upper % 2).toBe(0);
    expect(l.lower % 2).toBe(0);
    expect(l.upper).toBe(69806); // 61234 + floor(8572.76) = 69806
    expect(l.lower).toBe(52662);
    expect(priceLimits(50000, { limitBps: 300, tick: 2 })).toEqual({ upper: 51500, lower: 48500 });
  });
  it('computes money in fen', () => {
    expect(notional(61234, 2, DEFAULT_AU_SPEC)).toBe(122_468_000); // 1,224,680.00 CNY
    expect(margin(61234, 1, DEFAULT_AU_SPEC)).toBe(9_797_440);
    expect(fee('open', 3, DEFAULT_AU_SPEC)).toBe(3000);
    expect(fee('close-today', 3, DEFAULT_AU_SPEC)).toBe(0);
    expect(fee('close', 1, DEFAULT_AU_SPEC)).toBe(1000);
    expect(pnl(61234, 61236, -2, DEFAULT_AU_SPEC)).toBe(-4000);
  });
  it('validates spec overrides', () => {
    expect(makeSpec({ marginBps: 2000 }).marginBps).toBe(2000);
    expect(makeSpec({ fees: { closeTodayFen: 500 } }).fees).toEqual({
      openFen: 1000,
      closeTodayFen: 500,
      closeYesterdayFen: 1000,
    });
    expect(() => makeSpec({ tick: 0 })).toThrow(RangeError);
    expect(() => makeSpec({ limitBps: 1.5 })).toThrow(RangeError);
  });
});

describe('offsets', () => {
  it('splits closes today first', () => {
    expect(splitClose(5, 3, 4)).toEqual([
      { offset: 'close-today', lots: 3 },
      { offset: 'close-yesterday', lots: 2 },
    ]);
    expect(splitClose(2, 0, 4)).toEqual([{ offset: 'close-yesterday', lots: 2 }]);
    expect(splitClose(2, 5, 0)).toEqual([{ offset: 'close-today', lots: 2 }]);
    expect(splitClose(8, 3, 4)).toBeUndefined();
    expect(splitClose(0, 3, 4)).toBeUndefined();
  });
  it('maps sides', () => {
    expect(closingSide('long')).toBe('sell');
    expect(positionSideOf('buy', 'open')).toBe('long');
    expect(positionSideOf('buy', 'close-today')).toBe('short');
    expect(positionSideOf('sell', 'close')).toBe('long');
  });
});
