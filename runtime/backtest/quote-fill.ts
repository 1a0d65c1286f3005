/**
 * An order of the strategy against the market's quote alone. While none of the strategy's orders rests,
 * the backtester's book holds just the market's two orders (the latest quote's ask and bid, less what the
 * strategy already took from them), so what an incoming order does is decided by the one opposite order:
 * it fills at that order's price up to its size when its limit reaches it. That answer is computed here
 * without the book; only an order that would rest needs the book (`undefined`). Same rules as
 * `OrderBook.submit` (simulator/matching) for a book holding a single opposite order of another account:
 * FOK fills completely or not at all, any other time in force but `day` cancels what it cannot fill, and
 * inputs the book would refuse are left to the book. Pure; the test compares it with the book.
 */

/** The market's order on one side of the book: its price and the lots left (0 = none on the book). */
export interface QuoteSide {
  price: number;
  left: number;
}

/**
 * Lots an order fills against the opposite side of the quote (the rest is cancelled), or `undefined` when
 * some would rest on the book or the book must judge the order (a non-positive or fractional price or size).
 */
export function fillAgainstQuote(
  buy: boolean,
  limit: number,
  lots: number,
  tif: string,
  opposite: QuoteSide,
): number | undefined {
  if (!(lots > 0 && Number.isSafeInteger(lots)) || !(limit > 0 && Number.isSafeInteger(limit)))
    return undefined;
  const reaches = opposite.left > 0 && (buy ? opposite.price <= limit : opposite.price >= limit);
  const fill = reaches ? Math.min(opposite.left, lots) : 0;
  if (fill === lots) return fill;
  if (tif === 'fok') return 0;
  return tif === 'day' ? undefined : fill;
}
