/**
 * A test strategy whose onInit takes `initMs` (a warm-up that loads history, say): the runtime is still starting
 * meanwhile. Used by the crash-guard test to stop the runtime in the middle of its start.
 */
export default {
  params: {
    initMs: { type: 'integer', minimum: 0, default: 4000 },
  },
  async onInit(ctx) {
    await new Promise((resolve) => setTimeout(resolve, ctx.params.initMs));
  },
};
