/**
 * A test strategy that SIGKILLs the runtime process, as the kernel does when a pod goes over its memory limit:
 * no report, no shutdown. `when`: `start` (in onStart) or `tick` (on its first tick, once trading). Used by the
 * crash-guard test.
 */
export default {
  params: {
    when: { type: 'string', enum: ['start', 'tick'], default: 'start' },
  },
  onStart(ctx) {
    if (ctx.params.when === 'start') process.kill(process.pid, 'SIGKILL');
  },
  onTick(ctx) {
    if (ctx.params.when === 'tick') process.kill(process.pid, 'SIGKILL');
  },
};
