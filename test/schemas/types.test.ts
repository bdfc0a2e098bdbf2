// schemas/types.ts is generated: the committed file must be exactly what the generator writes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));

test('the committed schemas/types.ts equals what scripts/gen-types.mjs generates (--check exits 0)', async () => {
  const { stdout } = await run(process.execPath, ['scripts/gen-types.mjs', '--check'], { cwd: repo });
  expect(stdout).toContain('schemas/types.ts is up to date');
});
