import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default on a 2-core machine is ONE worker (cores − 1): test files would run one
    // after another. Most test time is spent waiting for child processes (the CLI, targets,
    // deadlines), so three files at a time keep both cores busy (issue 15: npm test ≤ 4 min).
    // VITEST_MAX_WORKERS overrides it (e.g. 1 to debug a timing-sensitive test alone).
    maxWorkers: 3,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
