/**
 * The order state machine as a transition table (one row per legal transition). Anything not in the table
 * is an illegal transition and is reported, never silently applied.
 *
 * `working` as a target means "back to new or partiallyFilled, whichever the filled quantity says" — used
 * when a cancel is refused and the order keeps working.
 */
import type { OrderStatus } from '../domain/types.ts';

/** What happened to an order. */
export type OrderEvent =
  | 'accepted'
  | 'partiallyFilled'
  | 'filled'
  | 'cancelRequested'
  | 'cancelled'
  | 'rejected'
  | 'cancelRejected';

type Target = OrderStatus | 'working';

/** [from, event, to] — the whole contract of the order lifecycle. */
export const TRANSITIONS: ReadonlyArray<readonly [OrderStatus, OrderEvent, Target]> = [
  ['pendingNew', 'accepted', 'new'],
  ['pendingNew', 'rejected', 'rejected'],
  ['pendingNew', 'partiallyFilled', 'partiallyFilled'],
  ['pendingNew', 'filled', 'filled'],
  // A FAK order that finds nothing is cancelled by the counter without a separate acknowledgement.
  ['pendingNew', 'cancelled', 'cancelled'],
  ['pendingNew', 'cancelRequested', 'pendingCancel'],
  ['new', 'accepted', 'new'],
  ['new', 'partiallyFilled', 'partiallyFilled'],
  ['new', 'filled', 'filled'],
  ['new', 'cancelRequested', 'pendingCancel'],
  ['new', 'cancelled', 'cancelled'],
  // The broker acknowledged the order but the exchange refused it (a CTP-style counter reports both steps).
  ['new', 'rejected', 'rejected'],
  ['partiallyFilled', 'partiallyFilled', 'partiallyFilled'],
  ['partiallyFilled', 'filled', 'filled'],
  ['partiallyFilled', 'cancelRequested', 'pendingCancel'],
  ['partiallyFilled', 'cancelled', 'cancelled'],
  ['pendingCancel', 'accepted', 'pendingCancel'],
  // Fills race with the cancel: the order stays pending-cancel until the counter answers the cancel.
  ['pendingCancel', 'partiallyFilled', 'pendingCancel'],
  ['pendingCancel', 'filled', 'filled'],
  ['pendingCancel', 'cancelled', 'cancelled'],
  // The exchange's refusal of the order itself can arrive while our cancel is on its way.
  ['pendingCancel', 'rejected', 'rejected'],
  ['pendingCancel', 'cancelRejected', 'working'],
];

const table = new Map<string, Target>(TRANSITIONS.map(([f, e, t]) => [`${f}/${e}`, t]));

/** Statuses after which nothing can change. */
export const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected']);

/** True while the order may still trade (it rests or is on its way). */
export function isWorking(status: OrderStatus): boolean {
  return !TERMINAL.has(status);
}

/**
 * The status after `event`, or `undefined` when the transition is illegal.
 * @param filledQuantity used to resolve `working` (0 → new, else partiallyFilled)
 */
export function transition(
  from: OrderStatus,
  event: OrderEvent,
  filledQuantity = 0,
): OrderStatus | undefined {
  const to = table.get(`${from}/${event}`);
  if (to === 'working') return filledQuantity > 0 ? 'partiallyFilled' : 'new';
  return to;
}
