import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../domain/types.ts';
import { type OrderEvent, TERMINAL, TRANSITIONS, transition } from './state-machine.ts';

const ALL_STATUSES: OrderStatus[] = [
  'pendingNew',
  'new',
  'partiallyFilled',
  'filled',
  'pendingCancel',
  'cancelled',
  'rejected',
];
const ALL_EVENTS: OrderEvent[] = [
  'accepted',
  'partiallyFilled',
  'filled',
  'cancelRequested',
  'cancelled',
  'rejected',
  'cancelRejected',
];

describe('order state machine: one test per transition row', () => {
  for (const [from, event, to] of TRANSITIONS) {
    it(`${from} --${event}--> ${to}`, () => {
      if (to === 'working') {
        expect(transition(from, event, 0)).toBe('new');
        expect(transition(from, event, 3)).toBe('partiallyFilled');
      } else {
        expect(transition(from, event)).toBe(to);
      }
    });
  }
});

describe('order state machine: everything else is illegal', () => {
  it('terminal states accept no event', () => {
    for (const s of TERMINAL) for (const e of ALL_EVENTS) expect(transition(s, e)).toBeUndefined();
  });
  it('pairs missing from the table are refused', () => {
    const legal = new Set(TRANSITIONS.map(([f, e]) => `${f}/${e}`));
    let illegal = 0;
    for (const s of ALL_STATUSES)
      for (const e of ALL_EVENTS)
        if (!legal.has(`${s}/${e}`)) {
          illegal++;
          expect(transition(s, e)).toBeUndefined();
        }
    expect(illegal).toBeGreaterThan(20);
  });
  it('a fill cannot be rejected afterwards', () => {
    expect(transition('partiallyFilled', 'rejected')).toBeUndefined();
  });
  it('an acknowledged order can still be refused by the exchange', () => {
    expect(transition('new', 'rejected')).toBe('rejected');
    expect(transition('pendingCancel', 'rejected')).toBe('rejected');
  });
});
