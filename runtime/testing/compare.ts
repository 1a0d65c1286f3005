/**
 * Test helper: compares the runtime's journal with the counter simulator's view of the same account.
 * Returns the list of disagreements (empty = the journal and the counter agree).
 */
import type { Fill, Order } from '../domain/types.ts';
import type { SimOrder } from './simulator-process.ts';

const STATUS: Record<SimOrder['status'], Order['status']> = {
  new: 'new',
  'partially-filled': 'partiallyFilled',
  filled: 'filled',
  canceled: 'cancelled',
  rejected: 'rejected',
};

/** Every order the counter has must be journaled with its status and filled quantity; none left working unknown. */
export function compareWithCounter(
  journalOrders: readonly Order[],
  fills: readonly Fill[],
  counterOrders: readonly SimOrder[],
): string[] {
  const mine = new Map(journalOrders.map((o) => [o.clOrdId, o]));
  const theirs = new Map(counterOrders.map((o) => [o.clOrdId, o]));
  const out: string[] = [];
  if (theirs.size !== counterOrders.length) out.push('the counter holds the same ClOrdID twice');
  for (const c of counterOrders) {
    const o = mine.get(c.clOrdId);
    if (!o) {
      out.push(`${c.clOrdId}: at the counter (${c.status}), not in the journal`);
      continue;
    }
    const filled = fills.filter((f) => f.clOrdId === c.clOrdId).reduce((a, f) => a + f.quantity, 0);
    const want = STATUS[c.status];
    if (o.status !== want || o.filledQuantity !== c.cumQty || filled !== c.cumQty)
      out.push(
        `${c.clOrdId}: journal ${o.status}/${o.filledQuantity} (fills ${filled}), counter ${want}/${c.cumQty}`,
      );
  }
  for (const o of journalOrders)
    if (!theirs.has(o.clOrdId) && o.status !== 'rejected')
      out.push(`${o.clOrdId}: ${o.status} in the journal, unknown at the counter`);
  return out;
}
