/**
 * What jspurefix needs of mathjs, without mathjs. jspurefix 5.11 requires all of mathjs for one call: its
 * ElasticBuffer writes a non-integer number field as `format(v, { notation: 'fixed' })`. Loading mathjs costs
 * a process ~30 MiB of heap and ~90 MiB resident (measured 2026-12-03: the largest part of a runtime's
 * memory, more than the rest of the runtime together), which an investor's pod pays for nothing.
 * without-mathjs.ts points jspurefix's `require('mathjs')` here. Pure.
 */

/**
 * mathjs's `format(value, { notation: 'fixed' })` for a number (no precision given): every significant digit
 * of the shortest round-trip representation, never an exponent — `1e-7` → `0.0000001`, `1.5e21` →
 * `1500000000000000000000`. NaN and ±Infinity as `String(value)`.
 */
export function fixedNotation(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(String(value).toLowerCase());
  if (!m) throw new SyntaxError(`Invalid number ${value}`);
  const [, sign, whole = '', fraction = '', exp = '0'] = m;
  // digits × 10^(point − digits.length): the decimal point sits `point` digits from the left.
  const digits = whole + fraction;
  const point = whole.length + Number(exp);
  // String(value) is the shortest round trip: no leading zero but a lone "0.", no trailing zero in a fraction.
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The `format` jspurefix calls. Only the fixed notation of a number is provided: anything else is not what
 * jspurefix asks for, and fails loudly rather than formatting differently.
 */
export function format(value: unknown, options?: { notation?: string }): string {
  if (typeof value !== 'number' || options?.notation !== 'fixed')
    throw new TypeError('fixed-notation.ts provides format(number, { notation: "fixed" }) only');
  return fixedNotation(value);
}
