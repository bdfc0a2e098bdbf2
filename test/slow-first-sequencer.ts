// Starts the slowest test files first within each vitest project (issue 15: `npm test` ≤ 4 min).
// The `parallel` project runs three files at a time, so its wall time is bounded by whatever runs
// last: a long file started late runs alone at the end. Vitest orders by the durations of the
// previous run, kept in node_modules/.vite — which a fresh checkout (`npm ci`, CI) does not have,
// so it falls back to file size, and the slowest files here are short ones that run many CLI
// processes. This list (the slowest files of a measured run, slowest or most waiting first) goes
// first; every other file keeps vitest's order. Projects and their group order are untouched.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOW_FIRST = [
  // Mostly waiting on a deliberately slow fixture (little CPU): started first, it overlaps the rest.
  'test/robustness/slow-target.test.ts',
  'test/conformance/broken-servers.test.ts',
  'test/foreign/foreign-servers.test.ts',
  'test/http/references-http.test.ts',
  'test/client-mode/defects.test.ts',
  'test/robustness/http-corpus.test.ts',
  'test/robustness/memory.test.ts',
  'test/client-mode/broken-clients.test.ts',
  'test/cli/explain-examples.test.ts',
  'test/cli/pack.test.ts',
  'test/conformance/reference-servers.test.ts',
  // timed (one file at a time): the longest first does not change its sum, the order is kept stable.
  'test/robustness/corpus.test.ts',
  'test/robustness/discovery.test.ts',
];

function rank(spec: TestSpecification): number {
  const i = SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
  return i < 0 ? SLOW_FIRST.length : i;
}

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const keyed = sorted.map((spec, index) => ({ spec, index }));
    keyed.sort(
      (a, b) =>
        a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder ||
        (a.spec.project.name < b.spec.project.name ? -1 : a.spec.project.name > b.spec.project.name ? 1 : 0) ||
        rank(a.spec) - rank(b.spec) ||
        a.index - b.index,
    );
    return keyed.map((k) => k.spec);
  }
}
