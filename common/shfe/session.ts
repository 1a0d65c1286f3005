/**
 * Trading sessions in Beijing time (UTC+8, no daylight saving) and the trading day a moment belongs to.
 *
 * Day session 09:00–10:15, 10:30–11:30, 13:30–15:00; night session 21:00–02:30 (next calendar morning),
 * which belongs to the NEXT trading day; a call auction 20:55–21:00 before the night open. Time is always
 * an argument (epoch milliseconds), never read from a clock.
 */
import {
  addDays,
  type DateString,
  hasNightSession,
  isTradingDate,
  nextTradingDate,
  type TradingCalendar,
  tradingDateOnOrAfter,
} from './calendar.ts';

/** Beijing is UTC+8 all year. */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Where the market is at a moment. */
export type SessionPhase = 'continuous' | 'call-auction' | 'break' | 'closed';

/** A session window in minutes after Beijing midnight; `end` is exclusive. */
export interface SessionWindow {
  /** Start, minutes after midnight. */
  start: number;
  /** End (exclusive), minutes after midnight; may exceed 1440 for the night session. */
  end: number;
  /** `day` or `night`. */
  kind: 'day' | 'night';
}

const hm = (h: number, m: number) => h * 60 + m;

/** SHFE gold continuous-trading windows (night end 02:30 written as 26:30). */
export const AU_SESSIONS: readonly SessionWindow[] = Object.freeze([
  { start: hm(9, 0), end: hm(10, 15), kind: 'day' },
  { start: hm(10, 30), end: hm(11, 30), kind: 'day' },
  { start: hm(13, 30), end: hm(15, 0), kind: 'day' },
  { start: hm(21, 0), end: hm(26, 30), kind: 'night' },
]);

/** Night call auction 20:55–21:00 (orders accepted, matched at 21:00). */
export const AU_CALL_AUCTION: Readonly<SessionWindow> = Object.freeze({
  start: hm(20, 55),
  end: hm(21, 0),
  kind: 'night',
});

/** Beijing calendar date and minute of day of a timestamp. */
export function beijingTime(ts: number): { date: DateString; minute: number; second: number } {
  const d = new Date(ts + BEIJING_OFFSET_MS);
  return {
    date: d.toISOString().slice(0, 10),
    minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Epoch ms of a Beijing wall-clock time on a date (`minute` may be >= 1440 to mean the next morning). */
export function beijingToEpoch(date: DateString, minute: number, second = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) + minute * 60_000 + second * 1000 - BEIJING_OFFSET_MS;
}

/**
 * The phase of the market at `ts`.
 * - `continuous`: orders match.
 * - `call-auction`: 20:55–21:00 before a night session: orders may be entered, nothing matches yet.
 * - `break`: between two windows of the same trading day (10:15–10:30, 11:30–13:30, and night → day).
 * - `closed`: after 15:00 until the next auction/open, weekends, holidays.
 */
export function sessionPhase(cal: TradingCalendar, ts: number): SessionPhase {
  const { date, minute } = beijingTime(ts);
  // After midnight: the tail of the night that started yesterday evening.
  if (minute < hm(2, 30)) {
    return hasNightSession(cal, addDays(date, -1)) ? 'continuous' : 'closed';
  }
  if (minute >= AU_CALL_AUCTION.start && minute < AU_CALL_AUCTION.end) {
    return hasNightSession(cal, date) ? 'call-auction' : 'closed';
  }
  if (minute >= hm(21, 0)) return hasNightSession(cal, date) ? 'continuous' : 'closed';
  if (!isTradingDate(cal, date)) return 'closed';
  for (const w of AU_SESSIONS)
    if (w.kind === 'day' && minute >= w.start && minute < w.end) return 'continuous';
  if (minute >= hm(9, 0) && minute < hm(15, 0)) return 'break';
  // 02:30–09:00 on a trading date whose night ran: a break between night and day of the same trading day.
  if (minute < hm(9, 0)) return 'break';
  return 'closed';
}

/** True when orders may be entered at `ts` (continuous trading or the call auction). */
export function acceptsOrders(cal: TradingCalendar, ts: number): boolean {
  const p = sessionPhase(cal, ts);
  return p === 'continuous' || p === 'call-auction';
}

/**
 * The trading day a moment belongs to. From 20:55 (the night call auction) on, and through the small hours,
 * it is the next trading day; after the 15:00 close it is still today's (settlement is today's); on a
 * non-trading date it is the next trading date.
 */
export function tradingDayOf(cal: TradingCalendar, ts: number): DateString {
  const { date, minute } = beijingTime(ts);
  if (minute < hm(2, 30)) {
    const eve = addDays(date, -1);
    if (hasNightSession(cal, eve)) return nextTradingDate(cal, eve);
    return tradingDateOnOrAfter(cal, date);
  }
  if (minute >= AU_CALL_AUCTION.start && hasNightSession(cal, date)) return nextTradingDate(cal, date);
  if (minute >= hm(15, 0) && isTradingDate(cal, date)) return date;
  return tradingDateOnOrAfter(cal, date);
}

/**
 * The epoch ms of the daily close (15:00 Beijing) of a trading day — when settlement happens and today's
 * positions roll into yesterday's.
 */
export function closeOf(tradingDay: DateString): number {
  return beijingToEpoch(tradingDay, hm(15, 0));
}
