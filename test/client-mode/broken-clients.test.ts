// Client mode's proof that each CLI check can fail and that the reference client passes them:
// every broken client in reference-clients/broken/ fails (or, for a SHOULD id, warns) exactly
// the ids its manifest lists under each draft, and the reference client passes every scenario.
// Real runs of the built CLI (`client --command …`), reports parsed back.
//
// Cost: a scenario starts the client and its scripted servers (an SDK client: ~0.3 s CPU each).
// The draft changes only the profile the run judges by, never what the client is sent (the client
// is not told the draft), so each client runs every scenario once, under the first draft, and
// under the other draft `--scenario` the scenario it must first fail in plus a control scenario
// it must pass (SHOWN_IN, pinned by the full run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../conformance/run-cli.js';
import { SHOWN_IN } from './helpers.js';

interface Entry {
  client: string;
  fails: Record<string, string[]>;
  warns?: Record<string, string[]>;
}

const DRAFTS = ['2026-02-27', '2026-03-13'];
const SCENARIOS = ['demo', 'rotating-state', 'revoked', 'expiry', 'no-capability', 'two-servers'];
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'reference-clients/broken/manifest.json'), 'utf8')) as Entry[];
const BAD = ['fail', 'untestable', 'harness-error', 'incomplete'];
/** A generous per-scenario deadline: 2 cores shared by many runs must not turn slowness into a verdict. */
const SLOW_OK = ['--timeout', '60000'];

const clientCommand = (name: string) => `"${process.execPath}" "${join(ROOT, 'dist/reference-clients/broken', `${name}.js`)}"`;

/** The distinct ids whose result in any scenario has one of `statuses`. */
function idsWith(report: any, statuses: string[]): string[] {
  return [...new Set<string>(report.checks.filter((c: any) => statuses.includes(c.status)).map((c: any) => c.id))].sort();
}

function explain(report: any): string {
  return report.checks
    .filter((c: any) => c.status !== 'pass' && c.status !== 'skip')
    .map((c: any) => `${c.id} [${c.section}] ${c.status}: ${c.message}`)
    .join('\n');
}

/** Every scenario under the first draft; under the others, one scenario it fails in and a control it passes (if any). */
function scenariosFor(client: string, draft: string): string[] {
  if (draft === DRAFTS[0]) return SCENARIOS;
  const shown = SHOWN_IN[client]!;
  const control = SCENARIOS.find((s) => !shown.includes(s));
  return control ? [shown[0]!, control] : [shown[0]!];
}

/** The scenarios in which some id did not pass or skip. */
function scenariosWithProblems(report: any): string[] {
  return [...new Set<string>(report.checks.filter((c: any) => c.status !== 'pass' && c.status !== 'skip').map((c: any) => c.section))].sort();
}

const cases = MANIFEST.flatMap((entry) => DRAFTS.map((draft) => ({ ...entry, draft, scenarios: scenariosFor(entry.client, draft) })));

describe.concurrent('client mode: broken clients fail exactly their listed ids', () => {
  test('the manifest has one broken client per CLI-* id the profiles judge', () => {
    const listed = MANIFEST.flatMap((e) => DRAFTS.flatMap((d) => [...(e.fails[d] ?? []), ...(e.warns?.[d] ?? [])]));
    const profileIds = DRAFTS.flatMap((d) =>
      Object.keys(JSON.parse(readFileSync(join(ROOT, 'suites/profiles', `${d}.json`), 'utf8')).levels).filter((id) =>
        /^CLI-(STATE|CREATE|ERR|DELETE|BIND|ID)-/.test(id),
      ),
    );
    expect([...new Set(listed)].sort()).toEqual([...new Set(profileIds)].sort());
  });

  test('each broken client is listed in SHOWN_IN', () => {
    expect(Object.keys(SHOWN_IN).sort()).toEqual(MANIFEST.map((e) => e.client).sort());
  });

  test.each(cases)('$client under $draft (scenarios $scenarios)', async (entry) => {
    const only = entry.scenarios === SCENARIOS ? [] : entry.scenarios.flatMap((s) => ['--scenario', s]);
    const run = await runCli(['client', '--command', clientCommand(entry.client), '--draft', entry.draft, ...only, ...SLOW_OK], { timeoutMs: 400_000 });
    expect(run.json, `no JSON report; stderr: ${run.stderr}`).toBeDefined();
    expect([...new Set(run.json.checks.map((c: any) => c.section))].sort(), 'every selected scenario ran').toEqual([...entry.scenarios].sort());
    const why = `${entry.client} under ${entry.draft}:\n${explain(run.json)}`;
    const shown = SHOWN_IN[entry.client]!.filter((s) => entry.scenarios.includes(s));
    expect(scenariosWithProblems(run.json), `the scenarios ${entry.client} fails in; ${why}`).toEqual([...shown].sort());
    expect(idsWith(run.json, BAD), why).toEqual([...(entry.fails[entry.draft] ?? [])].sort());
    expect(idsWith(run.json, ['warn']), why).toEqual([...(entry.warns?.[entry.draft] ?? [])].sort());
    expect(run.code, why).toBe((entry.fails[entry.draft] ?? []).length > 0 ? 1 : 0);
  }, 420_000);
});

// Every scenario under the first draft; under the other, demo and two-servers, which between them
// judge every id (CLI-BIND-1 needs two servers), as the draft changes only the profile.
const GOOD_SCENARIOS = (draft: string) => (draft === DRAFTS[0] ? SCENARIOS : ['demo', 'two-servers']);
const GOOD = DRAFTS.flatMap((draft) => [
  { name: 'client --reference', args: ['--reference'], draft, scenarios: GOOD_SCENARIOS(draft) },
  // The README's example driver, run from its source (plain ESM on the SDK).
  { name: 'the example driver', args: ['--command', `"${process.execPath}" "${join(ROOT, 'reference-clients/example-driver.mjs')}"`], draft, scenarios: GOOD_SCENARIOS(draft) },
]);

describe.concurrent('client mode: the reference client and the example driver pass every scenario', () => {
  test.each(GOOD)('$name under $draft (scenarios $scenarios)', async ({ args, draft, scenarios }) => {
    const only = scenarios === SCENARIOS ? [] : scenarios.flatMap((s) => ['--scenario', s]);
    const run = await runCli(['client', ...args, '--draft', draft, ...only, ...SLOW_OK], { timeoutMs: 400_000 });
    expect(run.json, `no JSON report; stderr: ${run.stderr}`).toBeDefined();
    const why = explain(run.json);
    expect(idsWith(run.json, [...BAD, 'warn']), why).toEqual([]);
    expect(run.code, why).toBe(0);
    expect([...new Set(run.json.checks.map((c: any) => c.section))].sort()).toEqual([...scenarios].sort());
    // Judged, not skipped: each client id passed in at least one scenario.
    const passed = idsWith(run.json, ['pass']);
    for (const id of ['CLI-STATE-1', 'CLI-STATE-2', 'CLI-CREATE-1', 'CLI-ERR-1', 'CLI-DELETE-1', 'CLI-BIND-1', 'CLI-ID-1']) {
      expect(passed, `${id} was judged somewhere`).toContain(id);
    }
  }, 420_000);
});
