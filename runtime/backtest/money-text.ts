/**
 * Decimal text of integer amounts (`formatDecimal2`), remembered: a replay's trades repeat the same few
 * hundred prices and fees tens of thousands of times, and one shared string per value is both faster than
 * formatting again and less for the garbage collector to copy (the report keeps every one). Bounded, so
 * amounts that rarely repeat (PnL) cannot make it grow without limit. Pure.
 */
import { formatDecimal2 } from '../../common/shfe/index.ts';

const MAX_ENTRIES = 4096;

/** A memoised `formatDecimal2`. */
export function decimalText(): (value: number) => string {
  const seen = new Map<number, string>();
  return (value) => {
    let s = seen.get(value);
    if (s === undefined) {
      s = formatDecimal2(value);
      if (seen.size >= MAX_ENTRIES) seen.clear();
      seen.set(value, s);
    }
    return s;
  };
}
