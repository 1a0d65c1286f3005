import { describe, expect, it } from 'vitest';
import type { Tick } from '../../runtime/domain/types.ts';
import { replayAurum } from './aurum-backtest.ts';
import { countSignals } from './ema-cross.ts';
import { cpuSeconds, REGIONS, ticksPerCpuSecond } from './replay-regions.ts';
import { generateTicks } from './ticks.ts';

describe('Aurum replay (throughput harness)', () => {
  it('replays the benchmark ticks through the backtester and agrees with the referee', async () => {
    const ticks: Tick[] = [...generateTicks({ count: 10_000 })];
    const r = await replayAurum(ticks, 5, 20);
    const referee = countSignals(ticks, 5, 20);
    expect(r.signals).toBe(referee.signals);
    expect(r.signals).toBeGreaterThan(500);
    // Each decision flips the position: one close and one entry, all filled at the touch (2 ticks of slippage).
    expect(r.orders).toBeGreaterThanOrEqual(2 * r.signals - 1);
    expect(r.fills).toBeGreaterThanOrEqual(r.orders - 3);
    expect(r.ticks).toBe(10_000);
    expect(r.replayCpuSeconds).toBeGreaterThan(0);
  });

  it('times the replay and its report apart; together they are the whole backtest', async () => {
    const ticks: Tick[] = [...generateTicks({ count: 2_000 })];
    const r = await replayAurum(ticks, 5, 20);
    expect(r.reportSeconds).toBeGreaterThan(0);
    expect(r.reportCpuSeconds).toBeGreaterThanOrEqual(0);
    expect(cpuSeconds(r, 'replay + report')).toBe(r.replayCpuSeconds + r.reportCpuSeconds);
    expect(ticksPerCpuSecond(r, 'replay + report')).toBeLessThanOrEqual(ticksPerCpuSecond(r, 'replay only'));
    // The headline's region comes first.
    expect(REGIONS[0]).toBe('replay + report');
  });
});
