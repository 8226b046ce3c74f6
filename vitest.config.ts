import { defineConfig } from 'vitest/config';

// One runner for the whole repo: `unit` holds every package's tests (beside the code,
// including integration tests against real SDKs and local servers); `e2e` holds the
// end-to-end suites over the real Collector, Prometheus and Alertmanager.
const conditions = ['@burnrate/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@burnrate/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'dashboards/**/*.test.ts'],
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
