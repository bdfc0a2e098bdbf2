import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/slow-first-sequencer.js';

/**
 * Test files whose assertions bound wall time tightly (the robustness corpus: 1 s requests,
 * 1.5 s starts, bounds of a few seconds; the reading-speed ratio; interrupt and discovery exit
 * bounds; the growing-deadline unit tests). They run last, one file at a time, with nothing else of this suite beside them:
 * beside the CPU-heavy CLI runs of other files their bounds measured the neighbours. (Inside a
 * file, runs may share the two cores: the corpus makes three CLI runs at a time, most of them waiting
 * on their target.)
 */
const TIMED = [
  'test/robustness/corpus.test.ts',
  // Its conformant control, with 1 s requests, went unanswered beside the HTTP reference runs.
  'test/robustness/http-corpus.test.ts',
  'test/robustness/read-speed.test.ts',
  'test/robustness/interrupt.test.ts',
  'test/robustness/discovery.test.ts',
  // Deadlines of tens of milliseconds against timers: event-loop lag from neighbours fails them.
  'test/runner/deadline.test.ts',
];

// Two projects (issue 15: `npm test` ≤ 4 min on 2 cores). `parallel`: every other file, three
// files at a time on the two cores (parallelism inside files: describe.concurrent). Many files
// mostly wait on their targets (slow-target.test: 75 s at ~1 % of a core; verdicts.test: 16 s
// for 5 s of CPU): with two at a time the cores sat idle ~100 core-seconds per run, with three
// ~50. A new test file lands here unless it is listed above. `timed`: the files above, after
// `parallel` (groupOrder), one at a time. VITEST_MAX_WORKERS does not change either project:
// their worker counts are set here.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // One temporary directory per run (TMPDIR), removed at its end: test/temp-root.ts. No
    // NODE_EXTRA_CA_CERTS for the run's children but npm (~70 ms of CPU per Node start): test/child-env.ts.
    globalSetup: ['./test/temp-root.ts', './test/child-env.ts'],
    // The slowest files first in each project, also on a fresh checkout (test/slow-first-sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...TIMED],
          maxWorkers: 3,
          // A worker runs its files one after another in one process, without a fresh module
          // graph per file: a worker start and its imports per file cost ~0.5 s of CPU (measured:
          // ~20 s less on 45 unit files). Nothing here relies on fresh module state: no file mocks modules,
          // stubs globals or changes process.env; every file's CLI runs and targets are children.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timed',
          include: TIMED,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
