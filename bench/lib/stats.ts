/**
 * Percentile maths for latency samples. Nearest-rank percentiles (no interpolation), so every reported figure
 * is a value that was really measured.
 */

/** A summary of latency samples, in the unit of the samples. */
export interface LatencySummary {
  /** Number of samples. */
  count: number;
  /** Smallest sample. */
  min: number;
  /** Median (nearest rank). */
  p50: number;
  /** 90th percentile (nearest rank). */
  p90: number;
  /** 99th percentile (nearest rank). */
  p99: number;
  /** 99.9th percentile (nearest rank). */
  p999: number;
  /** Largest sample. */
  max: number;
  /** Arithmetic mean. */
  mean: number;
}

/**
 * Nearest-rank percentile of an ascending-sorted array: the smallest value such that at least `p` percent of
 * the samples are less than or equal to it.
 * @param sorted samples sorted ascending (not checked, for speed)
 * @param p percentile in (0, 100]
 * @throws RangeError on an empty array or a percentile outside (0, 100]
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

/**
 * Summarises samples (the input is not modified).
 * @param samples latency samples in any unit
 * @throws RangeError when there are no samples
 */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  if (samples.length === 0) throw new RangeError('no samples');
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  return {
    count: sorted.length,
    min: sorted[0] as number,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
    p999: percentileSorted(sorted, 99.9),
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
  };
}

/**
 * Formats a number with a fixed number of significant-looking decimals for a headline: `12.3456` → `12.3`,
 * `1234567` → `1234567`.
 * @param value the number
 * @param decimals decimals kept below 100 (default 1)
 */
export function fmt(value: number, decimals = 1): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? Math.round(value).toString() : value.toFixed(decimals);
}
