import { describe, expect, it } from 'vitest';
import { SimClock } from './clock.ts';

describe('SimClock', () => {
  it('runs real, accelerated and fixed time, and advances', () => {
    let wall = 1000;
    const w = () => wall;
    const real = new SimClock({}, w);
    const fast = new SimClock({ mode: 'accelerated', start: 0, rate: 10 }, w);
    const fixed = new SimClock({ mode: 'fixed', start: 5 }, w);
    wall = 2000;
    expect(real.now()).toBe(2000);
    expect(fast.now()).toBe(10_000);
    expect(fixed.now()).toBe(5);
    expect(fixed.advance(100)).toBe(105);
    expect(real.set(50)).toBe(50);
    wall = 2010;
    expect(real.now()).toBe(60);
  });
});
