// The harness reads a flood of notifications at least at half the speed of a plain Node line
// reader on the same flood, in the same run (issue 15 goal 3; read-speed.mjs measures it).
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with bench/run.mjs, no type declarations
import { measureReadSpeed } from './read-speed.mjs';

describe('reading speed', () => {
  test('50,000 notifications from a node writer: harness ≥ 0.5 × a plain reader', async () => {
    const r = await measureReadSpeed({ lines: 50_000, rounds: 5, writer: 'node' });
    console.log(`read speed: ${JSON.stringify(r)}`);
    expect(r.harnessLinesPerSec, JSON.stringify(r)).toBeGreaterThanOrEqual(0.5 * r.plainLinesPerSec);
  }, 120_000);
});
