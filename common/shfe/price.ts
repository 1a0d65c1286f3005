/**
 * Prices and money as integers — never binary floats.
 *
 * - A {@link Price} is an integer number of **cents per gram** (hundredths of a CNY per gram). The SHFE gold
 *   tick of 0.02 CNY/g is 2 cents. Because one cent per gram is one fen per gram, the notional of a lot
 *   in fen is simply `price * multiplier` (1000 g).
 * - {@link Money} is an integer number of **fen** (hundredths of a CNY).
 *
 * FIX carries prices as decimal strings (`Price` 44 = `612.34`); {@link parsePrice} and {@link formatPrice}
 * convert exactly, without going through a float.
 */

/** Integer cents (0.01 CNY) per gram. */
export type Price = number;
/** Integer fen (0.01 CNY). */
export type Money = number;

/** Number of decimal places in a {@link Price} (2: cents). */
export const PRICE_DECIMALS = 2;

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string (as in FIX `Price`, `LastPx`) into integer hundredths. Extra decimals are allowed
 * only when they are zeros (`612.3400` is fine, `612.345` is not a price). Returns `undefined` if the text
 * is not an exact decimal with at most two significant decimals or exceeds the safe integer range.
 * @param text e.g. `"612.34"`, `"612"`, `"-1.5"`
 */
export function parseDecimal2(text: string): number | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole, frac = ''] = m;
  if (frac.length > PRICE_DECIMALS && !/^0*$/.test(frac.slice(PRICE_DECIMALS))) return undefined;
  const cents = `${whole}${frac.slice(0, PRICE_DECIMALS).padEnd(PRICE_DECIMALS, '0')}`;
  const n = Number.parseInt(cents, 10);
  if (!Number.isSafeInteger(n)) return undefined;
  return sign === '-' ? -n : n;
}

/**
 * Parses a FIX price string into a {@link Price}; see {@link parseDecimal2}.
 * Also accepts a JS number that is exactly representable at two decimals (jspurefix decodes 44 as number).
 */
export function parsePrice(value: string | number): Price | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // A number such as 612.34 is printed by JS as the shortest exact decimal, so going through the string
    // form is exact for anything a FIX decoder produced from two decimals.
    return parseDecimal2(numberToPlainString(value));
  }
  return parseDecimal2(value);
}

function numberToPlainString(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Formats integer hundredths as a decimal string with exactly two decimals: `61234` → `"612.34"`.
 * @param value integer cents (price) or fen (money)
 */
export function formatDecimal2(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount: ${value}`);
  const neg = value < 0;
  const abs = Math.abs(value);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** Formats a {@link Price} for FIX: `61234` → `"612.34"`. */
export const formatPrice: (price: Price) => string = formatDecimal2;
/** Formats {@link Money} (fen) for FIX or display: `123456` → `"1234.56"` CNY. */
export const formatMoney: (money: Money) => string = formatDecimal2;
/** Parses a CNY amount string into fen; see {@link parseDecimal2}. */
export const parseMoney: (text: string | number) => Money | undefined = parsePrice;

/**
 * True when `price` lies on the tick grid (a positive multiple of `tick`).
 * @param price integer cents
 * @param tick integer cents (SHFE au: 2)
 */
export function isOnTick(price: Price, tick: Price): boolean {
  return Number.isSafeInteger(price) && price > 0 && price % tick === 0;
}

/** Rounds `price` down to the tick grid. */
export function floorToTick(price: Price, tick: Price): Price {
  return Math.floor(price / tick) * tick;
}

/** Rounds `price` up to the tick grid. */
export function ceilToTick(price: Price, tick: Price): Price {
  return Math.ceil(price / tick) * tick;
}
