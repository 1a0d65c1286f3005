import { describe, expect, it } from 'vitest';
import { isoTimeFormatter } from './clock.ts';

describe('backtest clock helpers', () => {
  it('formats exactly like Date#toISOString, including repeats, minute edges and odd values', () => {
    const iso = isoTimeFormatter();
    const samples = [0, 1, 59_999, 60_000, 1_772_413_200_000, 1_772_413_200_000, 1_772_413_259_999];
    for (let t = Date.UTC(2026, 2, 2, 0, 59, 58); t < Date.UTC(2026, 2, 2, 1, 0, 3); t += 7) samples.push(t);
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 4_102_444_800_000));
    for (const t of samples) expect(iso(t)).toBe(new Date(t).toISOString());
    expect(iso(-1)).toBe(new Date(-1).toISOString());
    expect(iso(1.5)).toBe(new Date(1.5).toISOString());
  });
});
