/**
 * A test strategy that makes one allocation far larger than a strategy's heap cap allows (128 MB of doubles
 * against a 64 MB cap): V8 cannot fail just the worker for that and aborts the whole runtime process. Used
 * by the crash-guard test, which checks that the next start holds this strategy back and runs the others.
 * In onInit, whose budget is the load timeout (15 s): on a busy machine the 2 s callback watchdog could stop
 * it before V8 gives up. (Above 32M elements V8 grows the array step by step instead, and much slower.)
 */
export default {
  onInit() {
    globalThis.hoard = new Array(16_000_000).fill(1.5);
  },
};
