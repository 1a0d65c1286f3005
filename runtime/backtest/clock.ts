/**
 * Time formatting and trading-day lookup for the backtester's hot path. A replay asks for the same few
 * answers hundreds of thousands of times (one trading day per tick, one timestamp per trade and log line),
 * and the answers change rarely (the timestamp's minute once a minute, the trading day a few times a
 * day), so each is computed once per change and the rest is cheap arithmetic. Pure.
 */
import { BEIJING_OFFSET_MS, type TradingCalendar, tradingDayOf } from '../../common/shfe/index.ts';

const MINUTE_MS = 60_000;
/** Years 1970–9999: where `toISOString` has the plain `YYYY-MM-DDTHH:MM:SS.mmmZ` shape. */
const MAX_PLAIN_MS = 253_402_300_799_999;
const DAY_MINUTES = 1440;

/** `.000Z` … `.999Z`. */
const MILLIS_TEXT = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);

/**
 * `new Date(ms).toISOString()`, with the `YYYY-MM-DDTHH:MM:SS` part built once per second and the `.mmmZ`
 * tail taken from a table: one string concatenation per call, which matters because the report keeps
 * every one (a trade's time and its log lines) and the garbage collector copies what is kept.
 */
export function isoTimeFormatter(): (ms: number) => string {
  let minute = Number.NaN;
  let minutePrefix = '';
  let second = Number.NaN;
  let prefix = '';
  let lastMs = Number.NaN;
  let last = '';
  return (ms) => {
    if (ms === lastMs) return last; // a trade and its log lines share their instant
    if (!(ms >= 0 && ms <= MAX_PLAIN_MS && Number.isSafeInteger(ms))) return new Date(ms).toISOString();
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      const m = Math.floor(ms / MINUTE_MS);
      if (m !== minute) {
        minute = m;
        minutePrefix = new Date(m * MINUTE_MS).toISOString().slice(0, 17);
      }
      const inMinute = s - m * 60;
      second = s;
      prefix = `${minutePrefix}${inMinute < 10 ? '0' : ''}${inMinute}`;
    }
    lastMs = ms;
    last = prefix + MILLIS_TEXT[ms - s * 1000]!;
    return last;
  };
}

/**
 * `tradingDayOf(calendar, ms)`, computed once per stretch of a Beijing date over which it cannot change: it
 * depends on the Beijing date and on which side of 02:30 (end of the night), 15:00 (the close) and 20:55
 * (the night call auction) the minute falls, so a date has four stretches. The test compares every minute
 * of a fortnight, holidays included, with `tradingDayOf`: a new edge there would show up as a difference.
 */
export function tradingDayMemo(calendar: TradingCalendar): (ms: number) => string {
  // The current stretch as epoch ms [from, to): most calls fall inside it and cost two comparisons.
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

/** Beijing minutes of the day where a stretch starts (02:30, 15:00, 20:55), and the next midnight. */
const STRETCH_STARTS = [0, 150, 900, 1255, DAY_MINUTES];
