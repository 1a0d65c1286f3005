import { defineConfig } from 'vitest/config';

/**
 * Two layers of tests:
 * - `unit`: beside the code (`foo.ts` + `foo.test.ts`), fast, may start local processes on loopback
 *   (a FIX peer, SQLite, a browser) but never needs the cluster.
 * - `e2e`: under `e2e/`, runs against the real cluster from `npm run cluster -- up` (KUBECONFIG is set by
 *   scripts/test.ts), one file at a time because they share that cluster.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{operator,runtime,runtime-image,simulator,sidecar,cluster,common,scripts,bench,charts,cli,docs,examples}/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', 'e2e/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Some unit tests start real processes (a FIX counter, a browser) on a 2-core machine: one retry
          // absorbs a scheduling hiccup; a real failure fails twice and is reported.
          retry: 1,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
          // A real cluster converges asynchronously (NetworkPolicies, kubelet, DNS): one retry, never more.
          retry: 1,
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
