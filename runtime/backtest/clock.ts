/**
 * Time formatting and trading-day lookup for the backtester's hot path. A replay asks for the same few
 * answers hundreds of thousands of times (one trading day per tick, one timestamp per trade and log line),
 * and both answers change only once a minute, so each is computed once per minute and the rest is cheap
 * arithmetic. Pure.
 */
import { type TradingCalendar, tradingDayOf } from '../../common/shfe/index.ts';

const MINUTE_MS = 60_000;
/** Years 1970–9999: where `toISOString` has the plain `YYYY-MM-DDTHH:MM:SS.mmmZ` shape. */
const MAX_PLAIN_MS = 253_402_300_799_999;

/** `new Date(ms).toISOString()`, with the `YYYY-MM-DDTHH:MM:` part built once per minute. */
export function isoTimeFormatter(): (ms: number) => string {
  let minute = Number.NaN;
  let prefix = '';
  let lastMs = Number.NaN;
  let last = '';
  return (ms) => {
    if (ms === lastMs) return last; // a trade and its log lines share their instant
    if (!(ms >= 0 && ms <= MAX_PLAIN_MS && Number.isSafeInteger(ms))) return new Date(ms).toISOString();
    const m = Math.floor(ms / MINUTE_MS);
    if (m !== minute) {
      minute = m;
      prefix = new Date(m * MINUTE_MS).toISOString().slice(0, 17);
    }
    const inMinute = ms - m * MINUTE_MS;
    const s = Math.floor(inMinute / 1000);
    const milli = inMinute - s * 1000;
    lastMs = ms;
    last = `${prefix}${s < 10 ? '0' : ''}${s}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
    return last;
  };
}

/**
 * `tradingDayOf(calendar, ms)`, computed once per minute: the trading day depends on the Beijing date and
 * minute only (UTC+8, so Beijing minutes start with UTC minutes).
 */
export function tradingDayMemo(calendar: TradingCalendar): (ms: number) => string {
  let minute = Number.NaN;
  let day = '';
  return (ms) => {
    const m = Math.floor(ms / MINUTE_MS);
    if (m !== minute) {
      minute = m;
      day = tradingDayOf(calendar, ms);
    }
    return day;
  };
}
