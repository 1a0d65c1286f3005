/**
 * Matching-engine throughput: Aurum's simulator/matching OrderBook against nodejs-order-book on the same
 * synthetic workload (a book of a few thousand orders around a gold-like mid; new limit orders of which
 * ~15% cross, 10% of them FAK, and cancels of live orders, 30-60% of operations). Each engine is timed
 * over the same pre-generated operation list, best of several rounds; the headline gives operations per
 * second for both and the ratio.
 *
 *   npm run bench -- matching [ops=1000000] [rounds=3]
 */
import { OrderBook as PeerBook } from 'nodejs-order-book';
import { OrderBook } from '../simulator/matching/engine.ts';
import type { Benchmark } from './run.ts';

type Op =
  | { k: 'new'; id: string; side: 'buy' | 'sell'; price: number; qty: number; ioc: boolean }
  | { k: 'cancel'; id: string };

/** Deterministic workload (seeded LCG) so both engines see exactly the same operations. */
export function workload(n: number, seed = 7): Op[] {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
  const ops: Op[] = [];
  const live: string[] = [];
  const mid = 61200; // 612.00 CNY/g in cents
  for (let i = 0; i < n; i++) {
    const r = rnd();
    // Cancel more often once the book is deep, so it stays around a few thousand orders like a real one.
    if (r < (live.length > 4000 ? 0.6 : 0.3) && live.length > 0) {
      const j = Math.floor(rnd() * live.length);
      const id = live[j]!;
      live[j] = live[live.length - 1]!;
      live.pop();
      ops.push({ k: 'cancel', id });
      continue;
    }
    const side = rnd() < 0.5 ? 'buy' : 'sell';
    // Mostly passive orders within 20 ticks of mid; ~15% cross by a few ticks.
    const offset = rnd() < 0.15 ? -Math.floor(rnd() * 4) * 2 : (1 + Math.floor(rnd() * 20)) * 2;
    const price = side === 'buy' ? mid - offset : mid + offset;
    const qty = 1 + Math.floor(rnd() * 10);
    const ioc = rnd() < 0.1;
    const id = `o${i}`;
    ops.push({ k: 'new', id, side, price, qty, ioc });
    if (!ioc) live.push(id);
  }
  return ops;
}

function runAurum(ops: Op[]): number {
  const book = new OrderBook();
  const t0 = process.hrtime.bigint();
  for (const op of ops) {
    if (op.k === 'cancel') book.cancel(op.id);
    else
      book.submit({
        id: op.id,
        account: 'a',
        side: op.side,
        price: op.price,
        qty: op.qty,
        tif: op.ioc ? 'fak' : 'day',
      });
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function runPeer(ops: Op[]): number {
  const book = new PeerBook();
  const t0 = process.hrtime.bigint();
  for (const op of ops) {
    if (op.k === 'cancel') book.cancel(op.id);
    else
      book.limit({
        id: op.id,
        side: op.side as never,
        price: op.price,
        size: op.qty,
        timeInForce: (op.ioc ? 'IOC' : 'GTC') as never,
      });
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const bench: Benchmark = {
  summary:
    'matching engine order ops/s on a synthetic gold book vs nodejs-order-book (goal >= 1M ops/s, >= 2x)',
  async run(args) {
    const n = Number(args[0] ?? 1_000_000);
    const rounds = Number(args[1] ?? 3);
    const ops = workload(n);
    let best = Number.POSITIVE_INFINITY;
    let bestPeer = Number.POSITIVE_INFINITY;
    for (let r = 0; r < rounds; r++) {
      best = Math.min(best, runAurum(ops));
      bestPeer = Math.min(bestPeer, runPeer(ops));
    }
    const ours = n / best;
    const peer = n / bestPeer;
    const f = (x: number) => `${(x / 1e6).toFixed(2)}M`;
    console.log(`aurum: ${f(ours)} ops/s (${(best * 1000).toFixed(0)} ms for ${n} ops)`);
    console.log(`nodejs-order-book: ${f(peer)} ops/s (${(bestPeer * 1000).toFixed(0)} ms)`);
    return `matching: aurum ${f(ours)} ops/s, nodejs-order-book ${f(peer)} ops/s, ratio ${(ours / peer).toFixed(2)}x (goal >= 2x); ${(ours / 1e6).toFixed(2)}x of the 1M ops/s goal`;
  },
};

export default bench;
