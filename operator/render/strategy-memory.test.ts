import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../config.ts';
import { samplePlatform } from './fixtures.ts';
import { memoryBytes, strategiesMemoryProblem } from './strategy-memory.ts';

const strategies = (n: number, disabled = 0) =>
  Array.from({ length: n + disabled }, (_, i) => ({
    name: `s${i}`,
    source: { configMapRef: { name: 'ema-cross', key: 'strategy.js' } },
    instruments: ['au2606'],
    enabled: i < n,
  }));

describe('strategies and the memory limit', () => {
  it('reads Kubernetes memory quantities', () => {
    expect(memoryBytes('192Mi')).toBe(192 * 2 ** 20);
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('500M')).toBe(500e6);
    expect(memoryBytes('2048')).toBe(2048);
    expect(memoryBytes('1e9')).toBe(1e9);
    expect(memoryBytes(1024)).toBe(1024);
    expect(memoryBytes('lots')).toBeUndefined();
    expect(memoryBytes(undefined)).toBeUndefined();
  });

  it('says when the enabled strategies cannot all get a heap within the limit, with what to do', () => {
    const small = DEFAULT_PROFILES.small;
    expect(strategiesMemoryProblem(samplePlatform({ strategies: strategies(3) }), small)).toBeUndefined();
    // Disabled strategies are never started, so they take no share.
    expect(strategiesMemoryProblem(samplePlatform({ strategies: strategies(3, 2) }), small)).toBeUndefined();
    expect(strategiesMemoryProblem(samplePlatform({ strategies: strategies(4) }), small)).toMatch(
      /^spec\.strategies: the pod's memory limit \(192 MiB\) leaves 20 MiB per strategy for 4 strategies.*larger resource profile/,
    );
    expect(
      strategiesMemoryProblem(samplePlatform({ strategies: strategies(4) }), DEFAULT_PROFILES.standard),
    ).toBeUndefined();
    expect(strategiesMemoryProblem(samplePlatform({ strategies: strategies(16) }), {})).toBeUndefined();
  });
});
