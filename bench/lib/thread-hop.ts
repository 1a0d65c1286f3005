/**
 * A micro-benchmark of the ways a tick can reach a strategy's worker thread and an answer come back, on this
 * machine (used to choose the strategy host's fast lane; see docs/performance.md). Run:
 * `node bench/lib/thread-hop.ts [round trips]`. Each mode does one round trip at a time:
 *
 * - `postMessage`: host posts, worker answers with postMessage; both sides wake through their event loop.
 * - `sab+wait`: host writes a counter in a SharedArrayBuffer and Atomics.notify; the worker parks in
 *   Atomics.wait (after a short spin) and answers by bumping another counter, which the host spin-polls.
 * - `sab+waitAsync`: as above, but the worker waits with Atomics.waitAsync (its event loop wakes it).
 * - `sab+wait, answer by port`: the worker answers with a MessagePort message the host takes synchronously
 *   with receiveMessageOnPort while it spins (the shape the strategy host uses for orders).
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { mode, sab, port } = workerData;
const c = new Int32Array(sab);
if (mode === 'postMessage') parentPort.on('message', (m) => parentPort.postMessage(m));
else if (mode === 'waitAsync') {
  let seen = 0;
  const loop = () => {
    const r = Atomics.waitAsync(c, 0, seen);
    const go = () => { seen = Atomics.load(c, 0); if (seen < 0) return; Atomics.store(c, 1, seen); loop(); };
    if (r.async) r.value.then(go); else go();
  };
  loop();
} else {
  let seen = 0;
  for (;;) {
    let v = Atomics.load(c, 0);
    for (let s = 0; v === seen && s < 2000; s++) v = Atomics.load(c, 0);
    if (v === seen) { Atomics.wait(c, 0, seen, 50); continue; }
    if (v < 0) break;
    seen = v;
    if (mode === 'port') port.postMessage(v);
    Atomics.store(c, 1, v);
  }
}
`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;
}

async function run(mode: 'postMessage' | 'wait' | 'waitAsync' | 'port', n: number): Promise<number[]> {
  const sab = new SharedArrayBuffer(8);
  const c = new Int32Array(sab);
  const ch = new MessageChannel();
  const w = new Worker(WORKER, {
    eval: true,
    workerData: { mode, sab, port: ch.port2 },
    transferList: [ch.port2],
  });
  await new Promise((r) => setTimeout(r, 200));
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t0 = performance.now();
    if (mode === 'postMessage') {
      await new Promise<void>((r) => {
        w.once('message', () => r());
        w.postMessage(i);
      });
    } else {
      Atomics.store(c, 0, i);
      Atomics.notify(c, 0);
      // Bounded: a lost wake-up shows as a 100 ms round trip instead of a hang.
      const deadline = t0 + 100;
      if (mode === 'port') {
        while (!receiveMessageOnPort(ch.port1) && performance.now() < deadline) {}
      } else {
        while (Atomics.load(c, 1) !== i && performance.now() < deadline) {}
      }
    }
    out.push((performance.now() - t0) * 1000);
    // Let the worker park between round trips, as between ticks (1 ms apart at 1,000/s).
    await new Promise((r) => setTimeout(r, 1));
  }
  Atomics.store(c, 0, -1);
  Atomics.notify(c, 0);
  ch.port1.close();
  await w.terminate();
  return out;
}

const n = Number(process.argv[2] ?? 2000);
for (const mode of ['postMessage', 'wait', 'waitAsync', 'port'] as const) {
  const xs = await run(mode, n);
  console.log(
    `${mode.padEnd(12)} round trip µs: p50 ${pct(xs, 50).toFixed(1)}  p90 ${pct(xs, 90).toFixed(1)}  p99 ${pct(xs, 99).toFixed(1)}  (n=${n})`,
  );
}
