/**
 * A price-time-priority limit order book for one instrument. Pure: no I/O, no clock, no ids of its own —
 * the caller supplies order ids and sequence is the order of calls. The counter simulator and the runtime's
 * backtester both run it in-process.
 *
 * Invariants (checked by engine.test.ts after every operation of a randomized run):
 * 1. Price-time priority: an incoming order trades with the best opposite price first and, within a price,
 *    with the order that arrived first. Trades happen at the resting (maker) order's price.
 * 2. The book is never crossed after an operation: best bid < best ask.
 * 3. Every resting order has remaining quantity > 0, sits at its own limit price, and each level's total is
 *    the sum of its orders. FAK/FOK orders never rest.
 * 4. FOK either fills completely or leaves the book exactly as it was (no partial fill, no trace).
 * 5. There is no modify: changing an order is cancel + new (the new order loses its time priority).
 * 6. Self-trade prevention (when the incoming order asks for it): the incoming order never trades with a
 *    resting order of the same account; on meeting one, its remainder is cancelled ("cancel newest").
 * 7. Quantities and prices are positive safe integers (prices on the caller's tick grid; the engine does not
 *    know the tick — the market layer validates it).
 */

/** Buy or sell. */
export type BookSide = 'buy' | 'sell';
/** Time in force: `day` rests; `fak` (IOC) fills what it can and cancels the rest; `fok` fills fully or not at all. */
export type BookTif = 'day' | 'fak' | 'fok';

/** An order as submitted to the book. */
export interface BookOrderInput {
  /** Caller-assigned unique id. */
  id: string;
  /** Owning account (for self-trade prevention and mass cancel). */
  account: string;
  side: BookSide;
  /** Limit price, positive integer (e.g. cents per gram). */
  price: number;
  /** Quantity in lots, positive integer. */
  qty: number;
  /** Default `day`. */
  tif?: BookTif;
  /** Self-trade prevention for this order. Default false. */
  stp?: boolean;
}

/** A resting order as the book holds it (read-only to callers). */
export interface RestingOrder {
  readonly id: string;
  readonly account: string;
  readonly side: BookSide;
  readonly price: number;
  /** Quantity still open. */
  readonly remaining: number;
  /** Quantity originally resting (after any immediate fills). */
  readonly qty: number;
}

/** One trade between an incoming (taker) and a resting (maker) order. */
export interface Fill {
  makerId: string;
  makerAccount: string;
  /** Remaining quantity of the maker after this fill (0 = fully filled, left the book). */
  makerRemaining: number;
  price: number;
  qty: number;
}

/** Outcome of {@link OrderBook.submit}. */
export interface SubmitResult {
  /** Trades, in execution order. */
  fills: Fill[];
  /** Quantity filled in total. */
  filled: number;
  /** Quantity left resting on the book (day orders only). */
  resting: number;
  /** Quantity cancelled immediately (FAK remainder, unfilled FOK, or self-trade prevention). */
  cancelled: number;
  /** Why quantity was cancelled, when it was: `fak`, `fok`, `stp`. */
  cancelReason?: 'fak' | 'fok' | 'stp';
}

/** One aggregated price level. */
export interface DepthLevel {
  price: number;
  qty: number;
  orders: number;
}

interface Node {
  id: string;
  account: string;
  side: BookSide;
  price: number;
  remaining: number;
  qty: number;
  prev: Node | null;
  next: Node | null;
  level: Level;
}

interface Level {
  price: number;
  total: number;
  count: number;
  head: Node | null;
  tail: Node | null;
}

/** Emptied levels kept for reuse beyond those on the book, per side (see {@link OrderBook}). */
const SPARE_LEVELS = 64;

/**
 * One instrument's order book. Prices on each side are kept in a sorted array with the best price LAST
 * (bids ascending, asks descending) so that consuming the top of book is a `pop`, and levels in a map for
 * O(1) lookup; orders within a level form a doubly linked FIFO list so cancel is O(1).
 *
 * A level that empties leaves the price array but stays in its map (count 0), up to {@link SPARE_LEVELS}
 * more than the side has on the book: prices near the touch empty and refill all the time (a quote replaced
 * on every tick), and deleting and re-adding map entries costs more than the lookups — a map that runs
 * empty is even reallocated smaller by V8. Only the price arrays say which levels are on the book.
 */
export class OrderBook {
  private readonly orders = new Map<string, Node>();
  private readonly bidLevels = new Map<number, Level>();
  private readonly askLevels = new Map<number, Level>();
  /** Ascending: best bid last. */
  private readonly bidPrices: number[] = [];
  /** Descending: best ask last. */
  private readonly askPrices: number[] = [];

  /** Number of resting orders. */
  get size(): number {
    return this.orders.size;
  }

  /** Best bid price, or undefined when there is none. */
  bestBid(): number | undefined {
    return this.bidPrices[this.bidPrices.length - 1];
  }

  /** Best ask price, or undefined when there is none. */
  bestAsk(): number | undefined {
    return this.askPrices[this.askPrices.length - 1];
  }

  /** A resting order by id. */
  get(id: string): RestingOrder | undefined {
    const n = this.orders.get(id);
    return n ? snapshot(n) : undefined;
  }

  /** True when an order with this id rests on the book. */
  has(id: string): boolean {
    return this.orders.has(id);
  }

  /**
   * Submits an order: matches it against the opposite side and rests any remainder (day orders).
   * @throws Error on a duplicate id or non-positive/non-integer price or quantity (a caller bug: the market
   *   layer validates before it gets here)
   */
  submit(o: BookOrderInput): SubmitResult {
    if (this.orders.has(o.id)) throw new Error(`duplicate order id ${o.id}`);
    if (!(o.qty > 0 && Number.isSafeInteger(o.qty)) || !(o.price > 0 && Number.isSafeInteger(o.price))) {
      throw new Error(`bad order ${o.id}: price ${o.price} qty ${o.qty}`);
    }
    const tif = o.tif ?? 'day';
    const buy = o.side === 'buy';
    const fills: Fill[] = [];
    if (tif === 'fok' && this.available(o, buy) < o.qty) {
      return { fills, filled: 0, resting: 0, cancelled: o.qty, cancelReason: 'fok' };
    }
    let left = o.qty;
    let stopped = false;
    const prices = buy ? this.askPrices : this.bidPrices;
    const levels = buy ? this.askLevels : this.bidLevels;
    while (left > 0 && prices.length > 0) {
      const best = prices[prices.length - 1]!;
      if (buy ? best > o.price : best < o.price) break;
      const level = levels.get(best)!;
      let n = level.head;
      while (n !== null && left > 0) {
        if (o.stp && n.account === o.account) {
          stopped = true;
          break;
        }
        const q = Math.min(n.remaining, left);
        n.remaining -= q;
        level.total -= q;
        left -= q;
        fills.push({
          makerId: n.id,
          makerAccount: n.account,
          makerRemaining: n.remaining,
          price: best,
          qty: q,
        });
        const next = n.next;
        if (n.remaining === 0) this.unlink(n);
        n = next;
      }
      if (level.count === 0) {
        prices.pop();
        this.spare(levels, prices);
      }
      if (stopped) break;
    }
    const filled = o.qty - left;
    if (left === 0) return { fills, filled, resting: 0, cancelled: 0 };
    if (stopped) return { fills, filled, resting: 0, cancelled: left, cancelReason: 'stp' };
    if (tif !== 'day') return { fills, filled, resting: 0, cancelled: left, cancelReason: 'fak' };
    this.rest(o, left);
    return { fills, filled, resting: left, cancelled: 0 };
  }

  /**
   * Cancels a resting order.
   * @returns the order as it was (with its remaining quantity), or undefined when it does not rest here
   */
  cancel(id: string): RestingOrder | undefined {
    const n = this.orders.get(id);
    if (!n) return undefined;
    const level = n.level;
    level.total -= n.remaining;
    this.unlink(n);
    if (level.count === 0) this.removeLevel(n.side, level.price);
    return snapshot(n);
  }

  /** Ids of an account's resting orders, in no particular order. */
  ordersOf(account: string): string[] {
    const ids: string[] = [];
    for (const n of this.orders.values()) if (n.account === account) ids.push(n.id);
    return ids;
  }

  /** All resting orders (for persistence and inspection), in priority order per side. */
  restingOrders(): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const [prices, levels] of [
      [this.bidPrices, this.bidLevels],
      [this.askPrices, this.askLevels],
    ] as const) {
      for (let i = prices.length - 1; i >= 0; i--) {
        for (let n = levels.get(prices[i]!)!.head; n; n = n.next) out.push(snapshot(n));
      }
    }
    return out;
  }

  /**
   * Aggregated depth, best first.
   * @param side `buy` = bids, `sell` = asks
   * @param levels how many levels (default 5)
   */
  depth(side: BookSide, levels = 5): DepthLevel[] {
    const prices = side === 'buy' ? this.bidPrices : this.askPrices;
    const map = side === 'buy' ? this.bidLevels : this.askLevels;
    const out: DepthLevel[] = [];
    for (let i = prices.length - 1; i >= 0 && out.length < levels; i--) {
      const l = map.get(prices[i]!)!;
      out.push({ price: l.price, qty: l.total, orders: l.count });
    }
    return out;
  }

  /** Quantity an incoming order could take right now (respecting its limit and self-trade prevention). */
  private available(o: BookOrderInput, buy: boolean): number {
    const prices = buy ? this.askPrices : this.bidPrices;
    const levels = buy ? this.askLevels : this.bidLevels;
    let sum = 0;
    for (let i = prices.length - 1; i >= 0 && sum < o.qty; i--) {
      const p = prices[i]!;
      if (buy ? p > o.price : p < o.price) break;
      const level = levels.get(p)!;
      if (!o.stp) {
        sum += level.total;
        continue;
      }
      for (let n = level.head; n; n = n.next) {
        if (n.account === o.account) return sum;
        sum += n.remaining;
      }
    }
    return sum;
  }

  private rest(o: BookOrderInput, qty: number): void {
    const buy = o.side === 'buy';
    const levels = buy ? this.bidLevels : this.askLevels;
    let level = levels.get(o.price);
    if (!level) {
      level = { price: o.price, total: 0, count: 0, head: null, tail: null };
      levels.set(o.price, level);
    }
    if (level.count === 0) insertSorted(buy ? this.bidPrices : this.askPrices, o.price, buy);
    const n: Node = {
      id: o.id,
      account: o.account,
      side: o.side,
      price: o.price,
      remaining: qty,
      qty,
      prev: level.tail,
      next: null,
      level,
    };
    if (level.tail) level.tail.next = n;
    else level.head = n;
    level.tail = n;
    level.count++;
    level.total += qty;
    this.orders.set(o.id, n);
  }

  private unlink(n: Node): void {
    const level = n.level;
    if (n.prev) n.prev.next = n.next;
    else level.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else level.tail = n.prev;
    n.prev = null;
    n.next = null;
    level.count--;
    this.orders.delete(n.id);
  }

  private removeLevel(side: BookSide, price: number): void {
    const buy = side === 'buy';
    const prices = buy ? this.bidPrices : this.askPrices;
    if (prices[prices.length - 1] === price) prices.pop();
    else {
      const i = findIndex(prices, price, buy);
      if (prices[i] === price) prices.splice(i, 1);
    }
    this.spare(buy ? this.bidLevels : this.askLevels, prices);
  }

  /** After a level emptied: forgets the empty levels of a side once it keeps too many. */
  private spare(levels: Map<number, Level>, prices: number[]): void {
    if (levels.size <= prices.length + SPARE_LEVELS) return;
    for (const [price, level] of levels) if (level.count === 0) levels.delete(price);
  }
}

function snapshot(n: Node): RestingOrder {
  return { id: n.id, account: n.account, side: n.side, price: n.price, remaining: n.remaining, qty: n.qty };
}

/** Index of `price` (or where it would go) in an ascending (`asc`) or descending array. */
function findIndex(arr: number[], price: number, asc: boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = arr[mid]!;
    if (asc ? v < price : v > price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(arr: number[], price: number, asc: boolean): void {
  // Fast path: most new levels appear at or near the top of book, i.e. the end of the array.
  const last = arr[arr.length - 1];
  if (last === undefined || (asc ? price > last : price < last)) {
    arr.push(price);
    return;
  }
  arr.splice(findIndex(arr, price, asc), 0, price);
}
