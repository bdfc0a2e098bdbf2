// docs/writing-checks.md tells check authors where a check's client connects (`process:`). What
// it prescribes must be what the suite's own checks do and what runner/pool.ts knows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ALL_CHECKS } from '../../suites/index.js';
import { ROOT } from '../conformance/run-cli.js';

const DOC = readFileSync(join(ROOT, 'docs/writing-checks.md'), 'utf8');
const CHECK_TS = readFileSync(join(ROOT, 'suites/check.ts'), 'utf8');

/** The placements CheckDef.process accepts (its union type in suites/check.ts). */
const PLACEMENTS = [.../process\?: ([^;]+);/.exec(CHECK_TS)![1]!.matchAll(/'([a-z]+)'/g)].map((m) => m[1]);

describe('docs/writing-checks.md on process placement', () => {
  test('every process it names is one CheckDef accepts', () => {
    expect(PLACEMENTS).toContain('sacrificial');
    const named = [...DOC.matchAll(/process: '([a-z]+)'/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const p of named) expect(PLACEMENTS, p).toContain(p);
  });

  test('checks that may break the target: the placement it prescribes is the one the hostile checks use', () => {
    const item = DOC.split(/\n(?=\d+\. )/).find((i) => /^\d+\. Checks that may crash or wedge the target/.test(i));
    expect(item, 'the item on checks that may break the target').toBeDefined();
    const prescribed = /process: '([a-z]+)'/.exec(item!)?.[1];
    // Garbage lines (BASE-PARSE-1), hostile state values (SESS-STATE-4), malformed metadata (SESS-ERR-4).
    for (const id of ['BASE-PARSE-1', 'SESS-STATE-4', 'SESS-ERR-4']) {
      const check = ALL_CHECKS.find((c) => c.id === id);
      expect(check?.process, id).toBe(prescribed);
    }
  });
});
