/**
 * A test strategy that SIGKILLs the runtime process as soon as it starts, as the kernel does when a pod goes
 * over its memory limit: no report, no shutdown. Used by the crash-guard test (a crash loop).
 */
export default {
  onStart() {
    process.kill(process.pid, 'SIGKILL');
  },
};
