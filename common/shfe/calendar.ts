/**
 * The trading calendar: which calendar dates are trading days. Weekends never trade; exchange holidays come
 * from configuration (a list of `YYYY-MM-DD` dates), because the exchange publishes them year by year.
 *
 * Dates are plain `YYYY-MM-DD` strings ({@link DateString}) in Beijing time; arithmetic goes through UTC
 * midnight so no local time zone can shift a day.
 */

/** A calendar date `YYYY-MM-DD` (Beijing). */
export type DateString = string;

/** Which dates trade. */
export interface TradingCalendar {
  /** Exchange holidays (weekdays without trading), `YYYY-MM-DD`. */
  readonly holidays: ReadonlySet<DateString>;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Creates a calendar.
 * @param holidays exchange holidays as `YYYY-MM-DD` (default: none — every weekday trades)
 * @throws RangeError on a malformed date
 */
export function makeCalendar(holidays: Iterable<DateString> = []): TradingCalendar {
  const set = new Set<DateString>();
  for (const d of holidays) {
    if (!isValidDate(d)) throw new RangeError(`bad holiday date "${d}", expected YYYY-MM-DD`);
    set.add(d);
  }
  return { holidays: set };
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isValidDate(d: string): boolean {
  const m = DATE_RE.exec(d);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === d;
}

/** Days since the epoch of a date string (UTC midnight based). */
export function dateToDays(d: DateString): number {
  const m = DATE_RE.exec(d);
  if (!m) throw new RangeError(`bad date "${d}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** The date string of a day number; inverse of {@link dateToDays}. */
export function daysToDate(days: number): DateString {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Adds `n` calendar days to a date. */
export function addDays(d: DateString, n: number): DateString {
  return daysToDate(dateToDays(d) + n);
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
export function weekday(d: DateString): number {
  return (((dateToDays(d) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** True when the exchange trades on this date (a weekday that is not a holiday). */
export function isTradingDate(cal: TradingCalendar, d: DateString): boolean {
  const w = weekday(d);
  return w !== 0 && w !== 6 && !cal.holidays.has(d);
}

/** The first trading date strictly after `d`. */
export function nextTradingDate(cal: TradingCalendar, d: DateString): DateString {
  let x = addDays(d, 1);
  for (let i = 0; i < 366 && !isTradingDate(cal, x); i++) x = addDays(x, 1);
  return x;
}

/** The last trading date strictly before `d`. */
export function prevTradingDate(cal: TradingCalendar, d: DateString): DateString {
  let x = addDays(d, -1);
  for (let i = 0; i < 366 && !isTradingDate(cal, x); i++) x = addDays(x, -1);
  return x;
}

/** `d` itself when it trades, else the next trading date. */
export function tradingDateOnOrAfter(cal: TradingCalendar, d: DateString): DateString {
  return isTradingDate(cal, d) ? d : nextTradingDate(cal, d);
}

/**
 * True when the evening of trading date `d` has a night session. SHFE runs no night session before a
 * holiday break (a weekday holiday between `d` and the next trading date); a plain weekend does not cancel it
 * (Friday night belongs to Monday).
 */
export function hasNightSession(cal: TradingCalendar, d: DateString): boolean {
  if (!isTradingDate(cal, d)) return false;
  const next = nextTradingDate(cal, d);
  for (let x = addDays(d, 1); x < next; x = addDays(x, 1)) if (cal.holidays.has(x)) return false;
  return true;
}
