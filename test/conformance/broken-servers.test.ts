// Every broken server fails exactly the ids its manifest lists: proof that each check can fail.
//
// Time (issue 15): a full run per server and draft was most of the project's test time. Each
// server now gets ONE full-suite run, under one of its drafts (the two drafts alternate over
// the manifest, so both get full runs): there "fails exactly these ids and nothing else" is
// asserted over every id, so a defect that spills into another check is still caught. Under
// its other draft the server runs with `--only`: the ids it must fail or warn, every id whose
// level differs between the drafts (what can change with the draft), and controls it must not
// fail (BASE-INIT-1, SESS-CREATE-1, SESS-STATE-1). There the same assertion covers every
// selected id, and the test checks that each selected id was really run.
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
const entries: Entry[] = readdirSync(dir)
  .filter((f) => /^manifest.*\.json$/.test(f))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Entry[]);
const drafts = ['2026-02-27', '2026-03-13'];
const levels = (draft: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, 'suites/profiles', `${draft}.json`), 'utf8')).levels;
const LEVELS = Object.fromEntries(drafts.map((d) => [d, levels(d)]));
/** Ids whose level differs between the drafts (or that only one draft has). */
const DRAFT_DEPENDENT = [...new Set(drafts.flatMap((d) => Object.keys(LEVELS[d]!)))].filter((id) => LEVELS[drafts[0]!]![id] !== LEVELS[drafts[1]!]![id]);
const CONTROLS = ['BASE-INIT-1', 'SESS-CREATE-1', 'SESS-STATE-1'];

const cases = entries.flatMap((e, index) => {
  const own = e.draft ? [e.draft] : drafts;
  // The full run: the only draft, or the drafts taking turns over the manifest.
  const full = own.length === 1 ? own[0] : own[index % 2];
  return own.map((draft) => {
    const only =
      draft === full
        ? undefined
        : [...new Set([...(e.mustFail ?? []), ...(e.mustWarn ?? []), ...DRAFT_DEPENDENT, ...CONTROLS])].filter((id) => LEVELS[draft]![id] !== undefined).sort();
    const name = [e.server, ...(e.args ?? []), ...(e.transport === 'http' ? ['over http'] : [])].join(' ');
    return { ...e, entry: index, draft, only, scope: only ? 'selected ids' : 'full suite', name };
  });
});

describe.concurrent('broken servers fail exactly their listed checks', () => {
  test('the manifests list at least one broken server', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  test('every manifest entry gets one full-suite run', () => {
    entries.forEach((e, index) => expect(cases.filter((c) => c.entry === index && !c.only), e.server).toHaveLength(1));
  });

  test.each(cases)('$name under $draft ($scope) fails $mustFail and warns $mustWarn', async (entry) => {
    const selection = entry.only ? ['--only', entry.only.join(',')] : [];
    const target =
      entry.transport === 'http'
        ? ['--server', `${brokenServer(entry.server, entry.draft)} --transport http --port {port}`, '--url', 'http://127.0.0.1:{port}/mcp']
        : ['--server', brokenServer(entry.server, entry.draft)];
    const run = await runCli([...target, ...(entry.args ?? []), '--draft', entry.draft, '--seed', '1', '-q', ...selection], { timeoutMs: 90_000 });
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
  });
});
