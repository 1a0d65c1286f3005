/**
 * A test strategy that makes one allocation far larger than a strategy's heap cap allows (320 MB of doubles
 * against a 64 MB cap): V8 cannot fail just the worker for that and aborts the whole runtime process. Used
 * by the crash-guard test, which checks that the next start holds this strategy back and runs the others.
 */
export default {
  onStart() {
    globalThis.hoard = new Array(40_000_000).fill(1.5);
  },
};
