import { describe, expect, it } from 'vitest';
import { makeCalendar } from './calendar.ts';
import {
  formatInstrument,
  instrumentProblem,
  lastTradingDay,
  listedContracts,
  parseInstrument,
} from './instrument.ts';

const cal = makeCalendar(['2026-06-15']);

describe('instrument codes', () => {
  it('parses and formats', () => {
    expect(parseInstrument('au2606')).toEqual({ product: 'au', year: 2026, month: 6 });
    expect(formatInstrument({ product: 'au', year: 2026, month: 6 })).toBe('au2606');
    for (const bad of ['AU2606', 'au2613', 'au260', 'au26060', 'au2600', ''])
      expect(parseInstrument(bad)).toBeUndefined();
  });
  it('moves the last trading day off holidays and weekends', () => {
    expect(lastTradingDay(cal, { product: 'au', year: 2026, month: 6 })).toBe('2026-06-16');
    expect(lastTradingDay(cal, { product: 'au', year: 2026, month: 8 })).toBe('2026-08-17'); // 15th is a Saturday
    expect(lastTradingDay(cal, { product: 'au', year: 2026, month: 12 })).toBe('2026-12-15');
  });
  it('lists the nearest 3 months plus even months within 13 months', () => {
    expect(listedContracts(cal, '2026-11-25')).toEqual([
      'au2612',
      'au2701',
      'au2702',
      'au2704',
      'au2706',
      'au2708',
      'au2710',
      'au2712',
    ]);
    expect(listedContracts(cal, '2026-11-13')).toEqual([
      'au2611',
      'au2612',
      'au2701',
      'au2702',
      'au2704',
      'au2706',
      'au2708',
      'au2710',
    ]);
    expect(listedContracts(cal, '2026-06-16')[0]).toBe('au2606');
    expect(listedContracts(cal, '2026-06-17')[0]).toBe('au2607');
  });
  it('explains why a symbol cannot trade', () => {
    expect(instrumentProblem(cal, 'au2612', '2026-11-25')).toBeUndefined();
    expect(instrumentProblem(cal, 'au2611', '2026-11-25')).toMatch(/not listed/);
    expect(instrumentProblem(cal, 'ag2612', '2026-11-25')).toMatch(/unknown product/);
    expect(instrumentProblem(cal, 'XAU', '2026-11-25')).toMatch(/malformed/);
  });
});
