/**
 * The simulator's clock. `real`: wall time (+ any offset the admin added). `accelerated`: starts at
 * `start` and runs `rate` times faster than wall time. `fixed`: stands still at `start` until advanced.
 * Advancing (admin API) adds to an offset in every mode, so tests can jump to the night session or the
 * next trading day.
 */

/** Clock configuration. */
export interface ClockOptions {
  /** Default `real`. */
  mode?: 'real' | 'accelerated' | 'fixed';
  /** Start instant (epoch ms) for `accelerated` and `fixed`. Default: wall time at creation. */
  start?: number;
  /** Speed-up of `accelerated`. Default 60. */
  rate?: number;
}

export class SimClock {
  readonly mode: 'real' | 'accelerated' | 'fixed';
  private readonly start: number;
  private readonly rate: number;
  private readonly wallStart: number;
  private readonly wall: () => number;
  private offset = 0;

  /** @param wall the wall clock (injected; `Date.now` in main) */
  constructor(o: ClockOptions = {}, wall: () => number = Date.now) {
    this.wall = wall;
    this.mode = o.mode ?? 'real';
    this.wallStart = wall();
    this.start = o.start ?? this.wallStart;
    this.rate = o.rate ?? 60;
  }

  /** Simulated now, epoch ms. */
  now = (): number => {
    switch (this.mode) {
      case 'fixed':
        return this.start + this.offset;
      case 'accelerated':
        return this.start + (this.wall() - this.wallStart) * this.rate + this.offset;
      default:
        return this.wall() + this.offset;
    }
  };

  /** Moves simulated time forward (or back, for tests) by `ms`. */
  advance(ms: number): number {
    this.offset += ms;
    return this.now();
  }

  /** Jumps to an instant. */
  set(ts: number): number {
    this.offset += ts - this.now();
    return this.now();
  }
}
