import { describe, expect, it } from 'vitest';
import { WorkingOrders } from './working-orders.ts';

describe('WorkingOrders', () => {
  it('keeps sending order through adds and removes, finds by id, ignores unknown removes', () => {
    const w = new WorkingOrders<{ clOrdId: string }>();
    const [a, b, c] = [{ clOrdId: 'a' }, { clOrdId: 'b' }, { clOrdId: 'c' }];
    w.add(a);
    w.add(b);
    w.add(c);
    expect(w.remove(b)).toBe(true);
    expect(w.remove(b)).toBe(false);
    expect(w.copy()).toEqual([a, c]);
    expect(w.find('c')).toBe(c);
    expect(w.find('b')).toBeUndefined();
    for (const o of w.copy()) w.remove(o);
    expect(w.size).toBe(0);
  });
});
