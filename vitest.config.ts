import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@dirsync/source` export condition),
// so tests never depend on a stale build. (No `import`/`default` here: vitest hands these conditions to Node,
// and CommonJS dependencies would then load ESM builds through require.)
const conditions = ['@dirsync/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    globalSetup: ['./packages/testing/src/global-setup.ts'],
    // After the summary, names each suite that did not run for a missing prerequisite (e.g. Debian's chromium)
    // and the command that gets it.
    reporters: ['default', './packages/testing/src/not-run-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'test/*.test.ts',
          ],
        },
      },
      {
        // The end-to-end suite runs the built apps as processes; one scenario at a time, after everything else,
        // so two clusters never compete for the machine's two cores.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['./packages/testing/src/global-setup.ts', './test/e2e/report-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
