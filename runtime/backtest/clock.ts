/**
 * Time formatting for the backtester's hot path. A replay asks for tens of thousands of timestamps (one per
 * trade and log line) whose minute changes rarely, so the minute's text is computed once per change and the
 * rest is cheap arithmetic. Pure. (The trading day per tick is `tradingDayMemo` in common/shfe.)
 */
const MINUTE_MS = 60_000;
/** Years 1970–9999: where `toISOString` has the plain `YYYY-MM-DDTHH:MM:SS.mmmZ` shape. */
const MAX_PLAIN_MS = 253_402_300_799_999;

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
