import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../operator/config.ts';
import { strategyMemory } from './strategy-memory.ts';

const MiB = 2 ** 20;

/** `192Mi` → bytes (the profiles give memory in Mi). */
function mebibytes(q: string): number {
  expect(q).toMatch(/^\d+Mi$/);
  return Number.parseInt(q, 10) * MiB;
}

describe('strategyMemory', () => {
  it('gives the configured cap when the container has no memory limit', () => {
    expect(strategyMemory({ limitBytes: undefined, strategies: 20, maxOldMb: 64 })).toEqual({
      ok: true,
      oldMb: 64,
      youngMb: 16,
      limited: false,
    });
  });

  it('shares what the runtime leaves of the limit, so all caps together stay inside it', () => {
    for (const limitMib of [192, 256, 384, 768])
      for (let n = 1; n <= 12; n++) {
        const m = strategyMemory({ limitBytes: limitMib * MiB, strategies: n, maxOldMb: 64 });
        if (!m.ok) continue;
        // Runtime reserve + n × (old + young + worker overhead) fits the limit.
        expect(112 + n * (m.oldMb + m.youngMb + 6), `${limitMib} MiB, ${n}`).toBeLessThanOrEqual(limitMib);
        expect(m.oldMb).toBeLessThanOrEqual(64);
      }
  });

  it('sizes the built-in small profile for one to three strategies and refuses a fourth with the reason', () => {
    const small = mebibytes(DEFAULT_PROFILES.small.limits.memory);
    const caps = [1, 2, 3].map((n) => strategyMemory({ limitBytes: small, strategies: n, maxOldMb: 64 }));
    expect(caps.map((c) => (c.ok ? c.oldMb : 0))).toEqual([58, 24, 14]);
    const four = strategyMemory({ limitBytes: small, strategies: 4, maxOldMb: 64 });
    expect(four.ok).toBe(false);
    if (!four.ok)
      expect(four.message).toMatch(
        /memory limit \(192 MiB\).*20 MiB per strategy.*at least 23 MiB.*larger resource profile/,
      );
  });

  it('never raises a cap above the configured one', () => {
    const m = strategyMemory({ limitBytes: 8192 * MiB, strategies: 1, maxOldMb: 32 });
    expect(m).toMatchObject({ ok: true, oldMb: 32, limited: false });
  });
});
