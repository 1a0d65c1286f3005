import { describe, expect, it } from 'vitest';
import { decideLease } from './leader.ts';

describe('decideLease', () => {
  const now = 100_000;
  it('renews its own lease', () => {
    expect(decideLease({ holderIdentity: 'a', leaseDurationSeconds: 15 }, 'a', now, now)).toBe('renew');
  });
  it('acquires an empty (released) lease at once', () => {
    expect(decideLease({ holderIdentity: null }, 'b', now, now)).toBe('acquire');
  });
  it("waits while another holder's record changed within the lease duration (local clock)", () => {
    expect(decideLease({ holderIdentity: 'a', leaseDurationSeconds: 15 }, 'b', now - 14_000, now)).toBe(
      'wait',
    );
  });
  it('takes over once the record has not changed for longer than the duration', () => {
    expect(decideLease({ holderIdentity: 'a', leaseDurationSeconds: 15 }, 'b', now - 15_001, now)).toBe(
      'acquire',
    );
  });
});
