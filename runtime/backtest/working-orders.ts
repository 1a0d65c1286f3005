/**
 * The strategy's working orders in a backtest, in the order they were sent. A strategy has a handful at a
 * time while tens of thousands come and go over a replay, so a short array searched by id beats a Map,
 * whose backing store is reallocated as it grows and shrinks between zero and a few entries.
 */
export class WorkingOrders<T extends { clOrdId: string }> {
  readonly #list: T[] = [];

  get size(): number {
    return this.#list.length;
  }

  add(order: T): void {
    this.#list.push(order);
  }

  /** The working order with this id, if any. */
  find(clOrdId: string): T | undefined {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) if (list[i]!.clOrdId === clOrdId) return list[i];
    return undefined;
  }

  /**
   * Removes an order, keeping the others in sending order.
   * @returns false (and nothing changes) when it was not working
   */
  remove(order: T): boolean {
    const list = this.#list;
    const i = list.indexOf(order);
    if (i < 0) return false;
    for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j]!;
    list.length--;
    return true;
  }

  /** A copy to iterate while removing. */
  copy(): T[] {
    return this.#list.slice();
  }
}
