// Prints the slowest test files, then the plain closing line CI reads — always the LAST line:
// "N passed, N failed[, N skipped]".
import type { Reporter, TestModule } from 'vitest/node';

const SLOWEST = 8;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const files: { name: string; project: string; ms: number }[] = [];
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed with no failed test of its own (an import error, a beforeAll that threw and
      // left its tests skipped) counts once: vitest exits 1, so the line must not say "0 failed".
      failed += mod.state() === 'failed' && failedHere === 0 ? 1 : failedHere;
      // The file's own wall time, hooks included (a beforeAll that runs the CLI, e.g. the foreign
      // corpus, counts); concurrent tests count once.
      files.push({ name: mod.relativeModuleId, project: mod.project.name, ms: mod.diagnostic().duration });
    }
    const slow = files.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST).filter((f) => f.ms >= 100);
    if (slow.length > 0) {
      // The project says whether the file ran beside another (parallel) or alone (timed): vitest.config.ts.
      const lines = slow.map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.name}${f.project ? `  [${f.project}]` : ''}`);
      process.stdout.write(`\nslowest test files (wall time of each file):\n${lines.join('\n')}\n`);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
