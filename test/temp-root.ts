// One temporary directory per test run, removed when the run ends. A run makes ~540 temporary
// directories (each CLI run's reports, the robustness corpus's big states, the package test's
// install: ~175 MB), and the tests name them through os.tmpdir(), which follows TMPDIR. Set here,
// before vitest starts its workers, TMPDIR reaches every test file, every CLI run and every target
// they start, so nothing of a run is left in the system's temp directory, and nothing left there
// by an earlier run (a broken server's durable-sessions file) is seen by this one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): (() => void) | undefined {
  // Each vitest project runs its global setup: the first one makes the directory.
  if (process.env.MSC_TEST_TEMP_ROOT !== undefined) return undefined;
  const outer = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'msc-run-'));
  process.env.TMPDIR = root;
  process.env.MSC_TEST_TEMP_ROOT = root;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    delete process.env.MSC_TEST_TEMP_ROOT;
    rmSync(root, { recursive: true, force: true });
  };
}
