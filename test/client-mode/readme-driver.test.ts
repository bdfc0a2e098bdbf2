// The example driver in the README's "Client mode" section is a working, conformant driver:
// copied out of the README as it stands and run through client mode under both drafts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../conformance/run-cli.js';
import { problems } from './helpers.js';

function readmeDriver(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = readme.match(/```js\n(\/\/ driver\.mjs[\s\S]*?)```/);
  if (!block) throw new Error('README.md has no ```js block starting with "// driver.mjs"');
  return block[1]!;
}

describe.concurrent("the README's example driver", () => {
  for (const draft of ['2026-02-27', '2026-03-13']) {
    test(`is conformant in every scenario under draft ${draft}`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'msc-driver-')), 'driver.mjs');
      writeFileSync(file, readmeDriver());
      const run = await runCli(['client', '--command', `"${process.execPath}" "${file}"`, '--draft', draft, '-q']);
      expect(problems(run.json), run.stdout).toEqual({});
      expect(run.code).toBe(0);
    });
  }
});
