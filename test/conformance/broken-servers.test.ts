// Every broken server fails exactly the ids its manifest lists: proof that each check can fail.
//
// Time (issue 15): a full-suite run per server was most of the project's test time, and most of
// a run's cost is fixed (the CLI's start, the target's starts), so what a run selects matters
// less than how many runs there are. Each manifest entry runs once under each draft it covers,
// with `--only` a selection:
// - the ids it must fail or warn (what the entry is about);
// - every other id of the same families (SESS-DELETE-1 → SESS-DELETE-1…5): the checks that probe
//   the same feature are the ones a defect would spill into, so "nothing else fails" is asserted
//   where a spill is likeliest, and a check that fires on its neighbour's defect is still caught;
// - controls it must pass (BASE-INIT-1, SESS-CREATE-1, SESS-USE-1: it starts, creates a session
//   and answers a call in it): the target works otherwise, so the failure is the defect's, not a
//   server that fails everything. Scripted checks on the shared process: a control the protocol
//   model also judges (SESS-STATE-1 was one) made each run start a process and run the model for
//   it alone, in 51 of the 134 runs.
// The same exact assertion covers every selected id, and the test checks each was really run.
// One entry per manifest (one kind of defect: base, create, errors, http, …) runs the FULL suite
// instead, where "fails exactly these ids and nothing else" is asserted over every id of the
// draft: a defect of each kind is shown to leave the rest of the suite passing, and a new check
// that fires on an unrelated defect of that kind fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brokenServer, idsWithStatus, ROOT, runCli } from './run-cli.js';

interface Entry {
  server: string;
  mustFail?: string[];
  mustWarn?: string[];
  draft?: string;
  /** Extra CLI words, e.g. ["--app", "notebook_server"] to declare the application (D15). */
  args?: string[];
  /** `http`: launched with `--transport http --port {port}` and reached with `--url` (issue 16). */
  transport?: 'stdio' | 'http';
  why: string;
}

const dir = join(ROOT, 'reference-servers/broken');
const manifests = readdirSync(dir).filter((f) => /^manifest.*\.json$/.test(f)).sort();
const entries = manifests.flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Entry[]).map((e) => ({ ...e, manifest: f })));
const drafts = ['2026-02-27', '2026-03-13'];
const levels = (draft: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, 'suites/profiles', `${draft}.json`), 'utf8')).levels;
const LEVELS = Object.fromEntries(drafts.map((d) => [d, levels(d)]));
const CONTROLS = ['BASE-INIT-1', 'SESS-CREATE-1', 'SESS-USE-1'];
/** An id's family: the id without its number (SESS-DELETE-3 → SESS-DELETE). */
const family = (id: string) => id.replace(/-\d+$/, '');

/** The `--only` selection of an entry under `draft` (see the top of this file). */
function selection(e: Entry, draft: string): string[] {
  const own = [...(e.mustFail ?? []), ...(e.mustWarn ?? [])];
  const families = new Set(own.map(family));
  const neighbours = Object.keys(LEVELS[draft]!).filter((id) => !id.startsWith('CLI-') && families.has(family(id)));
  return [...new Set([...own, ...neighbours, ...CONTROLS])].filter((id) => LEVELS[draft]![id] !== undefined).sort();
}

const cases = entries.flatMap((e, index) => {
  const own = e.draft ? [e.draft] : drafts;
  // The full-suite run of each manifest: its first entry, under that entry's first draft.
  const first = entries.findIndex((x) => x.manifest === e.manifest) === index;
  return own.map((draft, d) => {
    const only = first && d === 0 ? undefined : selection(e, draft);
    const name = [e.server, ...(e.args ?? []), ...(e.transport === 'http' ? ['over http'] : [])].join(' ');
    return { ...e, entry: index, draft, only, scope: only ? 'selected ids' : 'full suite', name };
  });
});

describe.concurrent('broken servers fail exactly their listed checks', () => {
  test('the manifests list at least one broken server', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  test('every manifest entry runs under each of its drafts, and every manifest gets one full-suite run', () => {
    entries.forEach((e, index) => expect(cases.filter((c) => c.entry === index).map((c) => c.draft), e.server).toEqual(e.draft ? [e.draft] : drafts));
    for (const m of manifests) expect(cases.filter((c) => c.manifest === m && !c.only), m).toHaveLength(1);
  });

  test.each(cases)('$name under $draft ($scope) fails $mustFail and warns $mustWarn', async (entry) => {
    const selected = entry.only ? ['--only', entry.only.join(',')] : [];
    const target =
      entry.transport === 'http'
        ? ['--server', `${brokenServer(entry.server, entry.draft)} --transport http --port {port}`, '--url', 'http://127.0.0.1:{port}/mcp']
        : ['--server', brokenServer(entry.server, entry.draft)];
    const run = await runCli([...target, ...(entry.args ?? []), '--draft', entry.draft, '--seed', '1', '-q', ...selected], { timeoutMs: 90_000 });
    expect(run.json, `no JSON report; stderr: ${run.stderr}`).toBeDefined();
    if (entry.only) expect(run.json.checks.map((c: any) => c.id).sort(), 'every selected id was run').toEqual(entry.only);
    const failing = idsWithStatus(run.json, ['fail', 'untestable', 'harness-error']);
    const explain = run.json.checks
      .filter((c: any) => c.status !== 'pass' && c.status !== 'skip')
      .map((c: any) => `${c.id} ${c.status}: ${c.message}`)
      .join('\n');
    expect(failing, `${entry.server}: ${entry.why}\n${explain}`).toEqual([...(entry.mustFail ?? [])].sort());
    const warned = idsWithStatus(run.json, ['warn']);
    for (const id of entry.mustWarn ?? []) expect(warned, `${entry.server} should warn ${id}`).toContain(id);
    // A target that never answered initialize is exit 3; any other failure is 1; warnings alone are 0.
    const expectedCode = run.json.fatal?.kind === 'target-start' ? 3 : (entry.mustFail ?? []).length > 0 ? 1 : 0;
    expect(run.code).toBe(expectedCode);
    // Above runCli's own 90 s guard, which catches a hang; vitest's default 60 s failed loaded runs first.
  }, 120_000);
});
