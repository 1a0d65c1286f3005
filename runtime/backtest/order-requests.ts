/**
 * The strategy's order requests in a backtest, held until its callback returns (as the live runtime
 * handles them after the callback), then placed first in, first out. Tens of thousands pass through a
 * replay a few at a time, so the records are reused: a new object per request and `shift` (which moves
 * the array's contents, and allocates a new backing store once it has shrunk) cost more than the request.
 */
import type { OrderOptions } from '../strategy/sdk.ts';

/** One order request: the SDK call that made it (`buy` = buy/open, `sell` = sell/close, …) and its terms. */
export interface Queued {
  side: 'buy' | 'sell';
  offset: 'open' | 'close';
  price: number;
  lots: number;
  opts: OrderOptions;
}

export class OrderRequests {
  readonly #records: Queued[] = [];
  /** Requests held: records [0, #count) are live, [#head, #count) not yet taken. */
  #count = 0;
  #head = 0;

  push(
    side: Queued['side'],
    offset: Queued['offset'],
    price: number,
    lots: number,
    opts: OrderOptions,
  ): void {
    const records = this.#records;
    if (this.#count === records.length) {
      records.push({ side, offset, price, lots, opts });
    } else {
      const q = records[this.#count]!;
      q.side = side;
      q.offset = offset;
      q.price = price;
      q.lots = lots;
      q.opts = opts;
    }
    this.#count++;
  }

  /**
   * The oldest request not yet taken, or undefined when none is left (then the records are reused). A
   * taken record stays valid until then, so requests pushed while one is being placed never overwrite it.
   */
  next(): Queued | undefined {
    if (this.#head < this.#count) return this.#records[this.#head++];
    this.#head = 0;
    this.#count = 0;
    return undefined;
  }
}
