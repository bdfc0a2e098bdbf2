import { expect, test } from 'vitest';
import { existsSync } from 'node:fs';

test('the build emitted the harness types module', () => {
  expect(existsSync(new URL('../../dist/harness/types.js', import.meta.url))).toBe(true);
});
