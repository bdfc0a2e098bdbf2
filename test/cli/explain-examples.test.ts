// The example findings `explain <id>` shows (suites/explain-examples.ts) are what the broken
// servers produce now: the same runs are made again (scripts/explain-examples.mjs, the code the
// generator uses) and each finding is compared with the stored one, masking only what a broken
// server randomizes (its session ids, clock, timing-dependent counts). A check whose wording
// changed, or a manifest that now names another server, makes this fail: run `npm run gen:explain`.
import { describe, expect, test } from 'vitest';
import { EXPLAIN_EXAMPLES } from '../../suites/explain-examples.js';
// @ts-expect-error: a plain .mjs script shared with the generator, without type declarations
import { comparable, exampleRuns, runExample } from '../../scripts/explain-examples.mjs';

const runs: { server: string; draft: string; ids: string[]; args: string[] }[] = exampleRuns();
const HINT = 'stale example: run `npm run gen:explain` and review the diff of suites/explain-examples.ts';

describe('the stored explain examples', () => {
  test('name the broken server the manifests choose for each id (one example per id that some server must fail)', () => {
    const chosen = runs.flatMap((r) => r.ids.map((id) => `${id} ${r.server} ${r.draft}`)).sort();
    const stored = EXPLAIN_EXAMPLES.map((e) => `${e.id} ${e.server} ${e.draft}`).sort();
    expect(stored, HINT).toEqual(chosen);
  });

  describe.concurrent('match a fresh run of their broken server', () => {
    test.each(runs.map((r) => ({ ...r, name: `${r.server} (${r.draft}): ${r.ids.join(', ')}` })))('$name', async (run) => {
      const fresh: any[] = await runExample(run);
      for (const finding of fresh) {
        const stored = EXPLAIN_EXAMPLES.find((e) => e.id === finding.id && e.server === run.server);
        expect(stored, HINT).toBeDefined();
        expect(comparable(finding), `${finding.id}: ${finding.why ?? HINT}`).toEqual(comparable(stored));
        expect(finding.command).toBe(stored!.command);
      }
    }, 180_000);
  });
});
