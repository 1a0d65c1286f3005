import { describe, expect, it } from 'vitest';
import { makeCalendar } from './calendar.ts';
import {
  acceptsOrders,
  beijingTime,
  beijingToEpoch,
  closeOf,
  sessionPhase,
  tradingDayOf,
} from './session.ts';

const cal = makeCalendar(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']);
const at = (date: string, h: number, m: number) => beijingToEpoch(date, h * 60 + m);

describe('sessions', () => {
  it('converts Beijing time', () => {
    expect(beijingTime(Date.UTC(2026, 10, 25, 1, 30))).toMatchObject({
      date: '2026-11-25',
      minute: 9 * 60 + 30,
    });
    expect(beijingToEpoch('2026-11-25', 570)).toBe(Date.UTC(2026, 10, 25, 1, 30));
  });
  it.each([
    ['2026-11-25', 8, 59, 'break'],
    ['2026-11-25', 9, 0, 'continuous'],
    ['2026-11-25', 10, 14, 'continuous'],
    ['2026-11-25', 10, 15, 'break'],
    ['2026-11-25', 10, 30, 'continuous'],
    ['2026-11-25', 11, 30, 'break'],
    ['2026-11-25', 13, 30, 'continuous'],
    ['2026-11-25', 14, 59, 'continuous'],
    ['2026-11-25', 15, 0, 'closed'],
    ['2026-11-25', 20, 54, 'closed'],
    ['2026-11-25', 20, 55, 'call-auction'],
    ['2026-11-25', 21, 0, 'continuous'],
    ['2026-11-26', 2, 29, 'continuous'],
    ['2026-11-26', 2, 30, 'break'],
    ['2026-11-28', 1, 0, 'continuous'], // Friday night runs into Saturday
    ['2026-11-28', 10, 0, 'closed'],
    ['2026-11-29', 21, 30, 'closed'], // Sunday night: nothing
    ['2026-09-30', 21, 30, 'closed'], // before the National Day holiday
    ['2026-10-01', 10, 0, 'closed'],
  ] as const)('%s %d:%d is %s', (date, h, m, phase) => {
    expect(sessionPhase(cal, at(date, h, m))).toBe(phase);
  });
  it('accepts orders in the auction and continuous phases only', () => {
    expect(acceptsOrders(cal, at('2026-11-25', 20, 56))).toBe(true);
    expect(acceptsOrders(cal, at('2026-11-25', 12, 0))).toBe(false);
  });
  it('puts the night session on the next trading day', () => {
    expect(tradingDayOf(cal, at('2026-11-25', 10, 0))).toBe('2026-11-25');
    expect(tradingDayOf(cal, at('2026-11-25', 16, 0))).toBe('2026-11-25');
    expect(tradingDayOf(cal, at('2026-11-25', 20, 55))).toBe('2026-11-26');
    expect(tradingDayOf(cal, at('2026-11-26', 1, 0))).toBe('2026-11-26');
    expect(tradingDayOf(cal, at('2026-11-27', 22, 0))).toBe('2026-11-30');
    expect(tradingDayOf(cal, at('2026-11-28', 2, 0))).toBe('2026-11-30');
    expect(tradingDayOf(cal, at('2026-11-29', 12, 0))).toBe('2026-11-30');
    expect(tradingDayOf(cal, at('2026-09-30', 22, 0))).toBe('2026-09-30'); // no night before the holiday
    expect(tradingDayOf(cal, at('2026-10-01', 1, 0))).toBe('2026-10-08');
    expect(closeOf('2026-11-25')).toBe(Date.UTC(2026, 10, 25, 7, 0));
  });
});
