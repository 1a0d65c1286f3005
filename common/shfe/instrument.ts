/**
 * Instrument codes (`au2606` = gold, June 2026) and which contracts are listed on a date.
 *
 * Listing rule for SHFE gold: the nearest three consecutive months plus the even months within 13 months.
 * A contract stops trading after its last trading day, the 15th of the contract month (moved to the next
 * trading day when the 15th does not trade).
 */
import { type DateString, type TradingCalendar, tradingDateOnOrAfter } from './calendar.ts';
import { DEFAULT_AU_SPEC } from './spec.ts';

/** A parsed instrument id. */
export interface InstrumentCode {
  /** Product, e.g. `au`. */
  product: string;
  /** Four-digit year, e.g. 2026. */
  year: number;
  /** Contract month 1–12. */
  month: number;
}

const CODE_RE = /^([a-z]{1,2})(\d{2})(\d{2})$/;

/**
 * Parses `au2606`. Returns `undefined` when malformed (upper case, wrong digits, month out of range).
 * Years are 20YY.
 */
export function parseInstrument(id: string): InstrumentCode | undefined {
  const m = CODE_RE.exec(id);
  if (!m) return undefined;
  const month = Number(m[3]);
  if (month < 1 || month > 12) return undefined;
  return { product: m[1]!, year: 2000 + Number(m[2]), month };
}

/** Formats an instrument id: `{au, 2026, 6}` → `au2606`. */
export function formatInstrument(c: InstrumentCode): string {
  return `${c.product}${String(c.year % 100).padStart(2, '0')}${String(c.month).padStart(2, '0')}`;
}

/** Last trading day of a contract: the given day of the month, or the next trading date if it does not trade. */
export function lastTradingDay(
  cal: TradingCalendar,
  c: InstrumentCode,
  day = DEFAULT_AU_SPEC.lastTradingDayOfMonth,
): DateString {
  const d = `${c.year}-${String(c.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return tradingDateOnOrAfter(cal, d);
}

/**
 * Contracts listed (still trading) on a trading day, nearest first: the nearest 3 consecutive months plus
 * even months within 13 months. The "current" month is the month of `tradingDay` if its contract has not
 * yet passed its last trading day, else the next one.
 * @param product default `au`
 * @param day last trading day of the month, default 15
 */
export function listedContracts(
  cal: TradingCalendar,
  tradingDay: DateString,
  product = DEFAULT_AU_SPEC.product,
  day = DEFAULT_AU_SPEC.lastTradingDayOfMonth,
): string[] {
  const [y, m] = tradingDay.split('-').map(Number) as [number, number];
  let start = y * 12 + (m - 1);
  const cur: InstrumentCode = { product, year: y, month: m };
  if (tradingDay > lastTradingDay(cal, cur, day)) start += 1;
  const out: string[] = [];
  for (let i = 0; i <= 12; i++) {
    const idx = start + i;
    const c: InstrumentCode = { product, year: Math.floor(idx / 12), month: (idx % 12) + 1 };
    if (i < 3 || c.month % 2 === 0) out.push(formatInstrument(c));
  }
  return out;
}

/**
 * Why an instrument cannot trade on a trading day, or `undefined` if it can.
 * @returns a reason string (for FIX Text 58), e.g. `unknown symbol au2607: not listed on 2026-03-02`
 */
export function instrumentProblem(
  cal: TradingCalendar,
  id: string,
  tradingDay: DateString,
  product = DEFAULT_AU_SPEC.product,
  day = DEFAULT_AU_SPEC.lastTradingDayOfMonth,
): string | undefined {
  const c = parseInstrument(id);
  if (!c) return `malformed symbol "${id}": expected e.g. ${product}2606`;
  if (c.product !== product) return `unknown product in symbol ${id}`;
  if (!listedContracts(cal, tradingDay, product, day).includes(id))
    return `unknown symbol ${id}: not listed on ${tradingDay}`;
  return undefined;
}
