/**
 * A small seeded pseudo-random generator for benchmark inputs. Benchmarks must feed every engine the same
 * bytes run after run, so nothing here reads `Math.random` or the clock.
 */

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: 32-bit state, period 2^32, good enough statistics for a synthetic price walk and fast in V8.
 * @param seed any integer; the same seed always yields the same sequence
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A standard normal draw (Box–Muller; one of the pair is dropped to keep the generator stateless).
 * @param rnd the uniform source
 */
export function gaussian(rnd: Random): number {
  let u = 0;
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}
