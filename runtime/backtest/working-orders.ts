/**
 * The strategy's working orders in a backtest, in the order they were sent. A strategy has a handful at a
 * time while tens of thousands come and go over a replay, so a short array searched by id beats a Map,
 * whose backing store is reallocated as it grows and shrinks between zero and a few entries. The array
 * keeps its slots when orders leave (only its count shrinks): shortening `length` to zero would trim the
 * backing store, and the next order would allocate a new one, once per order over a replay.
 */
export class WorkingOrders<T extends { clOrdId: string }> {
  readonly #slots: Array<T | undefined> = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(order: T): void {
    this.#slots[this.#size++] = order;
  }

  /** The working order with this id, if any. */
  find(clOrdId: string): T | undefined {
    const slots = this.#slots;
    for (let i = 0; i < this.#size; i++) if (slots[i]!.clOrdId === clOrdId) return slots[i];
    return undefined;
  }

  /**
   * Removes an order, keeping the others in sending order.
   * @returns false (and nothing changes) when it was not working
   */
  remove(order: T): boolean {
    const slots = this.#slots;
    const size = this.#size;
    let i = 0;
    while (i < size && slots[i] !== order) i++;
    if (i === size) return false;
    for (let j = i + 1; j < size; j++) slots[j - 1] = slots[j];
    // The freed slot forgets the order, so a finished order is not kept alive by the list.
    slots[size - 1] = undefined;
    this.#size = size - 1;
    return true;
  }

  /** A copy to iterate while removing. */
  copy(): T[] {
    return this.#slots.slice(0, this.#size) as T[];
  }
}
