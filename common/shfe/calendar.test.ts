import { describe, expect, it } from 'vitest';
import {
  hasNightSession,
  isTradingDate,
  isValidDate,
  makeCalendar,
  nextTradingDate,
  prevTradingDate,
  weekday,
} from './calendar.ts';

const cal = makeCalendar(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']);

describe('calendar', () => {
  it('knows weekdays', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2026-11-25')).toBe(3);
    expect(weekday('2026-11-28')).toBe(6);
  });
  it('validates dates', () => {
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(() => makeCalendar(['2026-13-01'])).toThrow(RangeError);
  });
  it('skips weekends and holidays', () => {
    expect(isTradingDate(cal, '2026-11-28')).toBe(false);
    expect(isTradingDate(cal, '2026-10-01')).toBe(false);
    expect(nextTradingDate(cal, '2026-11-27')).toBe('2026-11-30');
    expect(nextTradingDate(cal, '2026-09-30')).toBe('2026-10-08');
    expect(prevTradingDate(cal, '2026-10-08')).toBe('2026-09-30');
  });
  it('has no night session before a holiday break, but one on Fridays', () => {
    expect(hasNightSession(cal, '2026-11-27')).toBe(true);
    expect(hasNightSession(cal, '2026-09-30')).toBe(false);
    expect(hasNightSession(cal, '2026-11-28')).toBe(false);
  });
});
