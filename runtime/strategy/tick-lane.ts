/**
 * The tick lane: shared memory between the strategy host (engine thread) and one strategy's worker, so a
 * tick reaches the strategy without a structured clone or an event-loop wake-up on either side.
 *
 * Layout: an Int32 control array and a ring of CAPACITY fixed slots of numbers (one snapshot each; the
 * instrument is an index into the strategy's instrument list). The host writes slot `k & (CAPACITY-1)` for
 * the k-th tick, stamps it with k (0 while writing) and bumps `published`; the worker reads from where it
 * left off and then stores `processed` = the last k it read. `wake` is bumped on every tick and every
 * control message and is what a parked worker waits on (Atomics.wait), so control messages wake it too.
 *
 * Overload: a worker more than CONFLATE_AFTER ticks behind gets only the NEWEST snapshot per instrument
 * of the ring (conflation, the usual answer to a slow consumer of level-1 data) instead of a queue that
 * grows without bound; a worker that keeps up sees every tick, in order. Nothing else is lost by skipping:
 * snapshots carry the cumulative volume, and bars are aggregated on the engine side from every tick.
 *
 * Counters are Int32 and wrap after 2^31 ticks (compared with !==, and slots indexed with a mask, so the
 * wrap is harmless). Pure data structure: no threads are started here.
 */
import type { StrategyTick } from './sdk.ts';

/** Indexes in the control array. */
export const WAKE = 0;
export const PUBLISHED = 1;
export const PROCESSED = 2;
/** 1 while the worker is (about to be) parked in Atomics.wait: only then does a tick need a notify. */
export const PARKED = 3;
/** Ticks the worker skipped by conflation so far (written by the worker, for metrics and benchmarks). */
export const CONFLATED = 4;
const CONTROL_WORDS = 5;

/** Ring slots (a power of two). */
export const CAPACITY = 256;
/** A worker this many ticks behind is conflated to the newest snapshot per instrument. */
export const CONFLATE_AFTER = CAPACITY / 2;

/** Numbers per snapshot (undefined optional fields are NaN). */
const FIELDS = 10;
const [INSTRUMENT, TIME, LAST, BID, ASK, BID_SIZE, ASK_SIZE, VOLUME, UPPER, LOWER] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
] as const;
const MASK = CAPACITY - 1;

/** The shared buffers of one lane (sent to the worker in its workerData). */
export interface LaneBuffers {
  control: SharedArrayBuffer;
  stamps: SharedArrayBuffer;
  slots: SharedArrayBuffer;
}

/** Allocates a lane. */
export function createLaneBuffers(): LaneBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    stamps: new SharedArrayBuffer(CAPACITY * 4),
    slots: new SharedArrayBuffer(CAPACITY * FIELDS * 8),
  };
}

/** The host's end: writes snapshots, rings the doorbell, reads the worker's progress. */
export class LaneWriter {
  readonly control: Int32Array;
  readonly #stamps: Int32Array;
  readonly #slots: Float64Array;

  constructor(b: LaneBuffers) {
    this.control = new Int32Array(b.control);
    this.#stamps = new Int32Array(b.stamps);
    this.#slots = new Float64Array(b.slots);
  }

  /** Writes tick `t` of the strategy's instrument number `instrument` and wakes the worker. Returns its k. */
  publish(instrument: number, t: StrategyTick): number {
    const k = (Atomics.load(this.control, PUBLISHED) + 1) | 0;
    const slot = k & MASK;
    const s = this.#slots;
    const o = slot * FIELDS;
    Atomics.store(this.#stamps, slot, 0); // being written: a reader lapped by the writer skips it
    s[o + INSTRUMENT] = instrument;
    s[o + TIME] = t.time;
    s[o + LAST] = t.lastPrice;
    s[o + BID] = t.bidPrice ?? Number.NaN;
    s[o + ASK] = t.askPrice ?? Number.NaN;
    s[o + BID_SIZE] = t.bidSize ?? Number.NaN;
    s[o + ASK_SIZE] = t.askSize ?? Number.NaN;
    s[o + VOLUME] = t.volume;
    s[o + UPPER] = t.upperLimit ?? Number.NaN;
    s[o + LOWER] = t.lowerLimit ?? Number.NaN;
    Atomics.store(this.#stamps, slot, k);
    Atomics.store(this.control, PUBLISHED, k);
    this.ring();
    return k;
  }

  /** Wakes a parked worker (after a tick, or after a control message was posted to it). */
  ring(): void {
    Atomics.add(this.control, WAKE, 1);
    // A worker that is running or spinning sees WAKE move; the notify (a lock, maybe a syscall) is for a
    // parked one only. The worker sets PARKED before it re-reads WAKE and waits, so no wake-up is lost.
    if (Atomics.load(this.control, PARKED) === 1) Atomics.notify(this.control, WAKE);
  }

  published(): number {
    return Atomics.load(this.control, PUBLISHED);
  }

  processed(): number {
    return Atomics.load(this.control, PROCESSED);
  }

  /** Ticks the worker skipped by conflation so far. */
  conflated(): number {
    return Atomics.load(this.control, CONFLATED);
  }
}

/** The worker's end: reads the ticks published since its last pass. */
export class LaneReader {
  readonly control: Int32Array;
  readonly #stamps: Int32Array;
  readonly #slots: Float64Array;
  readonly #instruments: readonly string[];
  /** Ticks skipped by conflation so far. */
  conflated = 0;

  constructor(b: LaneBuffers, instruments: readonly string[]) {
    this.control = new Int32Array(b.control);
    this.#stamps = new Int32Array(b.stamps);
    this.#slots = new Float64Array(b.slots);
    this.#instruments = instruments;
  }

  /**
   * Calls `onTick` for every tick published since the last pass (or, when too far behind, for the newest
   * one per instrument), then records the progress the host waits for. Returns how many were handed over.
   * `k` is the tick's lane sequence number (what {@link LaneWriter.publish} returned for it): an order sent
   * from onTick carries it, so the host knows exactly which tick caused the order, conflated or not.
   */
  drain(onTick: (t: StrategyTick, k: number) => void): number {
    const upTo = Atomics.load(this.control, PUBLISHED);
    const from = Atomics.load(this.control, PROCESSED);
    if (upTo === from) return 0;
    const behind = (upTo - from) | 0;
    let n = 0;
    if (behind <= CONFLATE_AFTER) {
      for (let k = (from + 1) | 0; ; k = (k + 1) | 0) {
        const t = this.#read(k);
        if (t) {
          n++;
          onTick(t, k);
        }
        if (k === upTo) break;
      }
    } else {
      // Newest first, one per instrument, then handed over oldest first.
      const newest: StrategyTick[] = [];
      const ks: number[] = [];
      const seen = new Set<string>();
      for (
        let k = upTo, i = 0;
        i < CAPACITY - 1 && seen.size < this.#instruments.length;
        i++, k = (k - 1) | 0
      ) {
        const t = this.#read(k);
        if (t && !seen.has(t.instrument)) {
          seen.add(t.instrument);
          newest.push(t);
          ks.push(k);
        }
      }
      for (let i = newest.length - 1; i >= 0; i--) onTick(newest[i]!, ks[i]!);
      n = newest.length;
      this.conflated += behind - n;
      Atomics.store(this.control, CONFLATED, this.conflated);
    }
    Atomics.store(this.control, PROCESSED, upTo);
    return n;
  }

  /** Tick k, or undefined when the writer has already reused its slot (the worker was lapped). */
  #read(k: number): StrategyTick | undefined {
    const slot = k & MASK;
    if (Atomics.load(this.#stamps, slot) !== k) return undefined;
    const s = this.#slots;
    const o = slot * FIELDS;
    const t: StrategyTick = {
      instrument: this.#instruments[s[o + INSTRUMENT]!] ?? '',
      time: s[o + TIME]!,
      lastPrice: s[o + LAST]!,
      volume: s[o + VOLUME]!,
    };
    optional(t, 'bidPrice', s[o + BID]!);
    optional(t, 'askPrice', s[o + ASK]!);
    optional(t, 'bidSize', s[o + BID_SIZE]!);
    optional(t, 'askSize', s[o + ASK_SIZE]!);
    optional(t, 'upperLimit', s[o + UPPER]!);
    optional(t, 'lowerLimit', s[o + LOWER]!);
    // Overwritten while read (the writer lapped us): treat as skipped.
    return Atomics.load(this.#stamps, slot) === k ? t : undefined;
  }
}

function optional(t: StrategyTick, k: keyof StrategyTick, v: number): void {
  if (!Number.isNaN(v)) (t as unknown as Record<string, number>)[k] = v;
}
