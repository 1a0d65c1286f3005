import { describe, expect, it } from 'vitest';
import { makeCalendar } from './calendar.ts';
import { tradingDayOf } from './session.ts';
import { tradingDayMemo } from './trading-day-memo.ts';

describe('tradingDayMemo', () => {
  it('gives the trading day tradingDayOf gives, across day, night, weekend and holiday edges', () => {
    const cal = makeCalendar(['2026-03-04']);
    const memo = tradingDayMemo(cal);
    for (let t = Date.UTC(2026, 1, 27, 0, 0, 0); t < Date.UTC(2026, 2, 9, 0, 0, 0); t += 17_000)
      expect(memo(t)).toBe(tradingDayOf(cal, t));
    // Every minute's first and last millisecond, in time order and backwards (the memo keeps one answer).
    const minutes: number[] = [];
    for (let t = Date.UTC(2026, 1, 26, 0, 0, 0); t < Date.UTC(2026, 2, 12, 0, 0, 0); t += 60_000)
      minutes.push(t, t + 59_999);
    for (const t of [...minutes, ...minutes.reverse()]) expect(memo(t)).toBe(tradingDayOf(cal, t));
  });
});
