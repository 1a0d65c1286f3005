/**
 * A paced market-data feed on its own thread, so pacing never takes the engine's thread: the main thread
 * sleeps in its event loop between ticks and is woken by the feed's message, as it is by a socket in
 * production. The feeder sleeps with Atomics.wait until shortly before each due time and spins the last
 * ~0.2 ms; at rates above ~5k/s it posts every tick that is due as one [from, to) range per message.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const FEEDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { n, interval, t0 } = workerData;
const cell = new Int32Array(new SharedArrayBuffer(4));
const abs = () => performance.timeOrigin + performance.now();
let i = 0;
while (i < n) {
  const due = t0 + i * interval;
  const wait = due - abs();
  if (wait > 0.3) { Atomics.wait(cell, 0, 0, wait - 0.2); continue; }
  while (abs() < due) {}
  const now = abs();
  let j = i + 1;
  while (j < n && t0 + j * interval <= now) j++;
  parentPort.postMessage([i, j]);
  i = j;
}
parentPort.postMessage('end');
`;

/**
 * Offers `n` items at `rate` per second: `deliver(k, scheduledAt)` runs on the calling thread for each, in
 * order; `scheduledAt` is item k's due time in this thread's performance.now() milliseconds.
 * @returns when every item was delivered: the feed's wall time in ms
 */
export function paceFeed(
  n: number,
  rate: number,
  deliver: (k: number, scheduledAt: number) => void,
): Promise<{ ms: number }> {
  const interval = 1000 / rate;
  const t0 = performance.now() + 20; // leave the feeder time to start
  return new Promise((resolve, reject) => {
    const w = new Worker(FEEDER, {
      eval: true,
      workerData: { n, interval, t0: performance.timeOrigin + t0 },
    });
    w.on('message', (m: [number, number] | 'end') => {
      if (m === 'end') {
        const ms = performance.now() - t0;
        void w.terminate();
        resolve({ ms });
        return;
      }
      for (let k = m[0]; k < m[1]; k++) deliver(k, t0 + k * interval);
    });
    w.on('error', reject);
  });
}
