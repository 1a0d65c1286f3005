import { defineConfig } from 'vitest/config';

/**
 * The sample strategies' own tests: `npx vitest run -c examples/strategies/vitest.config.ts`.
 * (The root config's unit project does not include `examples/` yet.)
 */
export default defineConfig({
  test: { root: import.meta.dirname, include: ['*.test.ts'] },
});
