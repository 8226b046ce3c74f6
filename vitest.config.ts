import { defineConfig } from 'vitest/config';

// One runner for the whole repo: `unit` holds every package's tests (beside the code,
// including integration tests against real SDKs and local servers); `e2e` holds the
// end-to-end suites over the real Collector, Prometheus and Alertmanager.
// Only the project's own condition on top of Vite's defaults: vitest hands the SSR conditions to
// Node as `--conditions`, and `import`/`module` there would make Node's require() pick packages'
// ESM branches (pg requiring pg-pool broke on it).
const conditions = ['@burnrate/source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions: ['@burnrate/source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions, externalConditions: ['@burnrate/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'examples/**/*.test.ts',
            'dashboards/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
