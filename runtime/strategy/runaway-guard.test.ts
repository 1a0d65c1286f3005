import { describe, expect, it } from 'vitest';
import { RunawayGuard, runawayLimits } from './runaway-guard.ts';

describe('RunawayGuard', () => {
  it('scales with the rate limit, never below 100 orders at once and 50 refusals a second', () => {
    expect(runawayLimits(5)).toEqual({ maxBatch: 100, maxRefusals: 50 });
    expect(runawayLimits(40)).toEqual({ maxBatch: 400, maxRefusals: 400 });
  });

  it('stops a strategy asking for too many orders at once, before any is sent', () => {
    const g = new RunawayGuard({ maxBatch: 100, maxRefusals: 50 });
    expect(g.batch(100)).toBeUndefined();
    expect(g.batch(20_000)).toBe('it asked for 20000 orders at once (at most 100); none was sent');
  });

  it('counts refusals over a sliding second, per strategy', () => {
    const g = new RunawayGuard({ maxBatch: 100, maxRefusals: 50 });
    const t = 1_000_000;
    expect(g.refused('a', 30, t, 'ORDER_RATE_LIMIT')).toBeUndefined();
    expect(g.refused('b', 30, t, 'ORDER_RATE_LIMIT')).toBeUndefined(); // another strategy's are its own
    expect(g.refused('a', 20, t + 999, 'ORDER_RATE_LIMIT')).toBeUndefined(); // 50: at the limit
    expect(g.refused('a', 1, t + 1001, 'ORDER_RATE_LIMIT')).toBeUndefined(); // the first 30 left the window
    expect(g.refused('a', 31, t + 1500, 'ORDER_RATE_LIMIT: too many')).toBe(
      'more than 50 of its orders were refused within a second (ORDER_RATE_LIMIT: too many)',
    );
    g.forget('a');
    expect(g.refused('a', 50, t + 1600, 'x')).toBeUndefined();
  });
});
