/**
 * The index of working orders: every order that is not terminal, by client order id and by instrument.
 *
 * Why: the risk check of every new order, `cancelAll` and reconciliation need the working orders only, and
 * the full order list grows with every order of the session. The order manager calls {@link WorkingIndex.track}
 * after every state change of an order (creation, transition, fill, recovery), so the index never has to be
 * rebuilt: an order enters while it is working and leaves when it reaches a terminal status (which is final,
 * see state-machine.ts). Insertion order is kept, so iteration is oldest first, as over the full list.
 */
import type { ClOrdId, Order } from '../domain/types.ts';
import { isWorking } from './state-machine.ts';

/** Working orders by id and by instrument; O(1) per state change, O(working) to list. */
export class WorkingIndex {
  readonly #byId = new Map<ClOrdId, Order>();
  readonly #byInstrument = new Map<string, Map<ClOrdId, Order>>();

  /** Adds, keeps or removes `o` according to its current status. Call after every change of it. */
  track(o: Order): void {
    if (isWorking(o.status)) {
      this.#byId.set(o.clOrdId, o);
      let m = this.#byInstrument.get(o.instrument);
      if (!m) {
        m = new Map();
        this.#byInstrument.set(o.instrument, m);
      }
      m.set(o.clOrdId, o);
      return;
    }
    this.remove(o);
  }

  /** Takes `o` out whatever its status (an order that never came to exist: its journal commit failed). */
  remove(o: Order): void {
    if (!this.#byId.delete(o.clOrdId)) return;
    const m = this.#byInstrument.get(o.instrument);
    m?.delete(o.clOrdId);
    if (m?.size === 0) this.#byInstrument.delete(o.instrument);
  }

  /** True when the order is working. */
  has(clOrdId: ClOrdId): boolean {
    return this.#byId.has(clOrdId);
  }

  /** Number of working orders. */
  get size(): number {
    return this.#byId.size;
  }

  /**
   * The working orders, oldest first (a fresh array: callers may change orders while iterating it).
   * @param instrument only this contract's; default all
   */
  list(instrument?: string): Order[] {
    const m = instrument === undefined ? this.#byId : this.#byInstrument.get(instrument);
    return m ? [...m.values()] : [];
  }
}
