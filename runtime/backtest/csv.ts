/**
 * Tick and bar files for backtests. CSV with a header row; columns by name (any order, extra ignored):
 *
 * - ticks: `time` (RFC 3339 or epoch ms), `instrument`, `last` (or `lastPrice`, `price`), optional `bid`,
 *   `ask`, `bidSize`, `askSize`, `volume` (cumulative for the day), `upperLimit`, `lowerLimit`.
 * - bars: `time`, `instrument`, `open`, `high`, `low`, `close`, optional `volume`.
 *
 * Prices are decimals in CNY per gram ("612.34") and are parsed exactly into integer cents. Pure.
 */
import { parseDecimal2 } from '../../common/shfe/index.ts';
import type { Bar, Tick } from '../domain/types.ts';

/** A malformed line, with its number. */
export class CsvError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/**
 * Calls `each` for every data line (blank lines and `#` comments skipped), one line at a time: a file of
 * hundreds of thousands of ticks leaves no per-line garbage behind that outlives its line (which a
 * garbage collection during the replay would otherwise have to sweep).
 */
function forEachRow(text: string, each: (n: number, cells: string[]) => void): string[] {
  let start = 0;
  let n = 0;
  let header: string[] | undefined;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    n++;
    if (header === undefined) {
      header = raw.split(',').map((h) => h.trim());
      continue;
    }
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',');
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
    each(n, cells);
  }
  return header ?? [''];
}

/** The header cells only. */
function headerOf(text: string): string[] {
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).split(',').map((h) => h.trim());
}

function col(header: string[], ...names: string[]): number {
  for (const n of names) {
    const i = header.findIndex((h) => h.toLowerCase() === n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

function time(v: string | undefined, n: number): number {
  if (!v) throw new CsvError(n, 'missing time');
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new CsvError(n, `bad time "${v}"`);
  return t;
}

function price(v: string | undefined, n: number, what: string): number {
  const p = v === undefined ? undefined : parseDecimal2(v);
  if (p === undefined || p <= 0) throw new CsvError(n, `bad ${what} "${v ?? ''}"`);
  return p;
}

function optPrice(v: string | undefined, n: number, what: string): number | undefined {
  return v === undefined || v === '' ? undefined : price(v, n, what);
}

function optInt(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const x = Number(v);
  return Number.isSafeInteger(x) ? x : undefined;
}

/** True when the header looks like a bar file (has open/high/low/close). */
export function isBarFile(text: string): boolean {
  const header = headerOf(text.slice(0, 500));
  return col(header, 'open') >= 0 && col(header, 'close') >= 0;
}

/** Parses a tick CSV. @throws CsvError on the first bad line */
export function parseTicks(text: string, defaultInstrument?: string): Tick[] {
  const header = headerOf(text);
  const c = {
    time: col(header, 'time', 'timestamp'),
    instrument: col(header, 'instrument', 'symbol'),
    last: col(header, 'last', 'lastPrice', 'price'),
    bid: col(header, 'bid', 'bidPrice'),
    ask: col(header, 'ask', 'askPrice'),
    bidSize: col(header, 'bidSize'),
    askSize: col(header, 'askSize'),
    volume: col(header, 'volume'),
    up: col(header, 'upperLimit'),
    down: col(header, 'lowerLimit'),
  };
  if (c.time < 0 || c.last < 0) throw new CsvError(1, 'a tick file needs columns time and last');
  const out: Tick[] = [];
  forEachRow(text, (n, cells) => {
    const instrument = (c.instrument >= 0 ? cells[c.instrument] : undefined) || defaultInstrument;
    if (!instrument) throw new CsvError(n, 'missing instrument');
    const t: Tick = {
      instrument,
      time: time(cells[c.time], n),
      lastPrice: price(cells[c.last], n, 'last price'),
      volume: optInt(cells[c.volume]) ?? 0,
    };
    const bid = optPrice(cells[c.bid], n, 'bid');
    const ask = optPrice(cells[c.ask], n, 'ask');
    if (bid !== undefined) t.bidPrice = bid;
    if (ask !== undefined) t.askPrice = ask;
    const bs = optInt(cells[c.bidSize]);
    const as = optInt(cells[c.askSize]);
    if (bs !== undefined) t.bidSize = bs;
    if (as !== undefined) t.askSize = as;
    const up = optPrice(cells[c.up], n, 'upper limit');
    const down = optPrice(cells[c.down], n, 'lower limit');
    if (up !== undefined) t.upperLimit = up;
    if (down !== undefined) t.lowerLimit = down;
    out.push(t);
  });
  return out;
}

/** Parses a bar CSV. @throws CsvError on the first bad line */
export function parseBars(text: string, defaultInstrument?: string): Bar[] {
  const header = headerOf(text);
  const c = {
    time: col(header, 'time', 'timestamp'),
    instrument: col(header, 'instrument', 'symbol'),
    open: col(header, 'open'),
    high: col(header, 'high'),
    low: col(header, 'low'),
    close: col(header, 'close'),
    volume: col(header, 'volume'),
  };
  if (c.time < 0 || c.open < 0 || c.high < 0 || c.low < 0 || c.close < 0)
    throw new CsvError(1, 'a bar file needs columns time, open, high, low, close');
  const out: Bar[] = [];
  forEachRow(text, (n, cells) => {
    const instrument = (c.instrument >= 0 ? cells[c.instrument] : undefined) || defaultInstrument;
    if (!instrument) throw new CsvError(n, 'missing instrument');
    const b: Bar = {
      instrument,
      time: time(cells[c.time], n),
      open: price(cells[c.open], n, 'open'),
      high: price(cells[c.high], n, 'high'),
      low: price(cells[c.low], n, 'low'),
      close: price(cells[c.close], n, 'close'),
      volume: optInt(cells[c.volume]) ?? 0,
    };
    if (b.high < Math.max(b.open, b.close, b.low) || b.low > Math.min(b.open, b.close))
      throw new CsvError(n, 'high/low do not contain open/close');
    out.push(b);
  });
  return out;
}

/** Writes ticks as CSV (the format {@link parseTicks} reads). */
export function formatTicks(ticks: readonly Tick[]): string {
  const d = (p: number | undefined) =>
    p === undefined ? '' : `${Math.trunc(p / 100)}.${String(p % 100).padStart(2, '0')}`;
  const out = ['time,instrument,last,bid,ask,bidSize,askSize,volume'];
  for (const t of ticks)
    out.push(
      `${new Date(t.time).toISOString()},${t.instrument},${d(t.lastPrice)},${d(t.bidPrice)},${d(t.askPrice)},${t.bidSize ?? ''},${t.askSize ?? ''},${t.volume}`,
    );
  return `${out.join('\n')}\n`;
}
