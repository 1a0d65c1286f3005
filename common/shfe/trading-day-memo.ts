/**
 * `tradingDayOf` for callers that ask it for every tick: the answer changes a few times a day, so it is
 * computed once per stretch of a Beijing date over which it cannot change and the other calls cost two
 * comparisons. A trading day depends on the Beijing date and on which side of 02:30 (end of the night),
 * 15:00 (the close) and 20:55 (the night call auction) the moment falls, so a date has four stretches. The
 * test compares every minute of a fortnight, holidays included, in both time orders, with `tradingDayOf`:
 * a new edge there would show up as a difference. Pure (each memo keeps only its last answer).
 */
import type { DateString, TradingCalendar } from './calendar.ts';
import { BEIJING_OFFSET_MS, tradingDayOf } from './session.ts';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Beijing minutes of the day where a stretch starts (02:30, 15:00, 20:55), and the next midnight. */
const STRETCH_STARTS = [0, 150, 900, 1255, DAY_MINUTES];

/** A function giving `tradingDayOf(calendar, ms)`, remembering the stretch of its last answer. */
export function tradingDayMemo(calendar: TradingCalendar): (ms: number) => DateString {
  // The current stretch as epoch ms [from, to): most calls fall inside it.
  let from = Number.NaN;
  let to = Number.NaN;
  let day = '';
  return (ms) => {
    if (ms >= from && ms < to) return day;
    const minutes = Math.floor((ms + BEIJING_OFFSET_MS) / MINUTE_MS);
    const date = Math.floor(minutes / DAY_MINUTES);
    const m = minutes - date * DAY_MINUTES;
    const i = m < 150 ? 0 : m < 900 ? 1 : m < 1255 ? 2 : 3;
    from = (date * DAY_MINUTES + STRETCH_STARTS[i]!) * MINUTE_MS - BEIJING_OFFSET_MS;
    to = (date * DAY_MINUTES + STRETCH_STARTS[i + 1]!) * MINUTE_MS - BEIJING_OFFSET_MS;
    day = tradingDayOf(calendar, ms);
    return day;
  };
}
