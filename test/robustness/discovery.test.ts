// Targets hostile to tool discovery (test/fixtures/discovery/hostile-server.mjs): schemas no
// budget can fill, rich schemas, paginated, looping and endless tool lists, an unanswered or
// failed tools/list, tools that fail inside a session. The CLI must judge each within a bound,
// never blame itself, write parseable reports, say in the report what discovery saw, delete
// every session it created, and leave no process.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, idsWithStatus } from '../conformance/run-cli.js';
import { SCHEMAS } from '../fixtures/discovery/rich-schemas.mjs';
import { junitCases, killLeftovers, leftoverAfter, newMarker, runWithReports, statusOf, type ReportedRun } from './helpers.js';

const SERVER = join(ROOT, 'test/fixtures/discovery/hostile-server.mjs');
const COMMON = ['--seed', '1', '-q', '--runs', '5', '--start-timeout', '5000', '--timeout', '1000', '--check-timeout', '10000'];
/** A full run against these fixtures takes 1–7 s on an idle machine; 45 s is slack for a loaded one, far below a hang. */
const BOUND_MS = 45_000;
const META = 'io.modelcontextprotocol/session';

interface Entry {
  dir: string;
  check?: string;
  text: string;
}

function transcript(run: ReportedRun): Entry[] {
  const files = readdirSync(run.transcriptsDir);
  expect(files.length).toBe(1);
  return readFileSync(join(run.transcriptsDir, files[0]!), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

function json(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Runs the CLI against the fixture in `mode` and asserts what every hostile target must get. */
async function judge(mode: string, code: 0 | 1, extra: string[] = []): Promise<ReportedRun> {
  const marker = newMarker();
  try {
    const command = `MODE=${mode} "${process.execPath}" "${SERVER}" --marker ${marker}`;
    const run = await runWithReports(['--server', command, ...COMMON, ...extra], { timeoutMs: BOUND_MS + 30_000 });
    const context = `${mode}: exit ${run.code}\nstderr: ${run.stderr.slice(-2000)}\nstdout: ${run.stdout.slice(-3000)}`;
    expect(run.signal, context).toBeNull();
    expect(run.stderr, context).not.toMatch(/internal error|RangeError|at .*\.js:\d+/);
    expect(run.code, context).toBe(code);
    expect(run.json, context).toBeDefined();
    expect(run.json.verdict).toBe(code === 0 ? 'conformant' : 'non-conformant');
    expect(idsWithStatus(run.json, ['harness-error']), context).toEqual([]);
    expect(run.junit, 'JUnit report parses').toBeDefined();
    expect(junitCases(run.junit).length).toBe(run.json.checks.length);
    expect(existsSync(run.transcriptsDir)).toBe(true);
    expect(run.ms, `${mode} took ${Math.round(run.ms)} ms`).toBeLessThan(BOUND_MS);
    expect(await leftoverAfter(marker, 2000), `processes left behind by ${mode}`).toEqual([]);
    return run;
  } finally {
    killLeftovers(marker);
  }
}

describe.concurrent('hostile tool discovery: judged, bounded, reported, cleaned up', () => {
  test('schemas no budget can fill (minLength 1e9, minItems 1e8, nesting, self-reference) make those tools untestable, with the reason, and discovery moves on', async () => {
    const run = await judge('huge', 0);
    const notes: string[] = run.json.discovery.notes;
    expect(run.json.discovery.sessionTool).toBe('zz_session_tool');
    expect(statusOf(run.json, 'SESS-REQ-1')).toBe('pass');
    const noteOf = (tool: string) => notes.find((n) => n.startsWith(`tool ${tool} `));
    expect(noteOf('aa_huge_string')).toMatch(/untestable: .*minLength 1000000000.*budget/);
    expect(noteOf('ab_huge_array')).toMatch(/untestable: .*minItems 100000000.*budget/);
    expect(noteOf('ac_nested_arrays')).toMatch(/untestable: .*budget/);
    expect(noteOf('ad_self_reference')).toMatch(/untestable: .*nested deeper/);
    expect(noteOf('ae_pattern_repeat')).toMatch(/untestable: .*pattern/);
    expect(noteOf('af_deep_schema')).toMatch(/untestable: .*nested more than/);
    expect(noteOf('ag_not_an_object')).toMatch(/untestable: .*not a JSON Schema object/);
    expect(noteOf('ah_bad_regex')).toMatch(/untestable: ajv cannot compile/);
    expect(noteOf('ai_impossible')).toMatch(/untestable: .*could not build arguments/);
    // A 20 000-character tool name is clipped in the note, not copied whole.
    expect(notes.find((n) => n.startsWith('tool ak_'))!.length).toBeLessThan(400);
    // Untestable tools are never called.
    const called = transcript(run)
      .filter((e) => e.dir === 'out')
      .map((e) => json(e.text))
      .filter((m) => m?.method === 'tools/call')
      .map((m) => m.params.name);
    for (const tool of ['aa_huge_string', 'ab_huge_array', 'ac_nested_arrays', 'ad_self_reference', 'af_deep_schema']) expect(called).not.toContain(tool);
  }, 120_000);

  test(`every one of ${Object.keys(SCHEMAS).length} tools with rich schemas (uniqueItems, prefixItems, minProperties, dependentRequired, pattern, oneOf…) is called with valid arguments`, async () => {
    const run = await judge('schemas', 0);
    const args = transcript(run)
      .filter((e) => e.dir === 'stderr' && e.text.startsWith('ARGS '))
      .map((e) => e.text.split(' '));
    const invalid = args.filter((a) => a[2] !== 'valid').map((a) => a.join(' '));
    expect(invalid).toEqual([]);
    expect(new Set(args.map((a) => a[1]))).toEqual(new Set(Object.keys(SCHEMAS)));
    expect(run.json.discovery.notes.filter((n: string) => /untestable/.test(n))).toEqual([]);
  }, 120_000);

  test('30 pages of tools/list are all followed: the usable tool on the last page is found', async () => {
    const run = await judge('paged', 0);
    expect(run.json.discovery.tools).toBe(30);
    expect(run.json.discovery.sessionTool).toBe('zz_session_tool');
  }, 120_000);

  test('a tools/list that returns the same cursor forever is stopped at the repeat, and the report says so', async () => {
    const run = await judge('cursor-loop', 0);
    expect(run.json.discovery.notes.join('\n')).toMatch(/nextCursor already seen.*stopped following the loop after 2 pages/);
    const lists = transcript(run).filter((e) => e.dir === 'out' && e.check === 'discovery' && json(e.text)?.method === 'tools/list');
    expect(lists.length).toBe(2);
  }, 120_000);

  test('an endless tools/list (a new cursor each page) stops at the page bound, and the report says so', async () => {
    const markdown = join(mkdtempSync(join(tmpdir(), 'msc-discovery-')), 'report.md');
    const run = await judge('endless', 0, ['--markdown', markdown]);
    expect(run.json.discovery.notes.join('\n')).toMatch(/more than 2000 pages: discovery stopped there/);
    expect(readFileSync(markdown, 'utf8')).toMatch(/Tool discovery \(1 note\)[\s\S]*more than 2000 pages/);
  }, 120_000);

  test('an unanswered tools/list is reported as such, not as "lists no tools"', async () => {
    const run = await judge('no-answer', 1);
    const req = run.json.checks.find((c: any) => c.id === 'SESS-REQ-1');
    expect(req.status).toBe('untestable');
    expect(req.message).toMatch(/tools\/list gave no response within 1000 ms/);
    expect(req.message).not.toMatch(/lists no tools/);
  }, 120_000);

  test('a tools/list error is reported with its code and message', async () => {
    const run = await judge('list-error', 1);
    const req = run.json.checks.find((c: any) => c.id === 'SESS-REQ-1');
    expect(req.message).toMatch(/tools\/list gave JSON-RPC error -32603 "tools backend unavailable"/);
    expect(req.message).not.toMatch(/lists no tools/);
  }, 120_000);

  test('discovery deletes every session it created, also for tools that failed inside them', async () => {
    const run = await judge('sessions', 0);
    const entries = transcript(run);
    const createIds = new Set(
      entries.filter((e) => e.dir === 'out' && e.check === 'discovery' && json(e.text)?.method === 'sessions/create').map((e) => json(e.text).id),
    );
    const created = entries
      .filter((e) => e.dir === 'in')
      .map((e) => json(e.text))
      .filter((m) => m && createIds.has(m.id) && typeof m.result?.session?.sessionId === 'string')
      .map((m) => m.result.session.sessionId);
    const deleted = entries
      .filter((e) => e.dir === 'out' && e.check === 'discovery')
      .map((e) => json(e.text))
      .filter((m) => m?.method === 'sessions/delete')
      .map((m) => m.params._meta[META].sessionId);
    // Choosing the probe: four failing tools, then the usable one. Then the survey (D21): each of
    // the five tools once more (in name order: no name reads harmless or destructive), each in a
    // session of its own, failing or not.
    expect(created.length).toBe(10);
    const inSession = new Map<string, string[]>();
    for (const m of entries.filter((e) => e.dir === 'out' && e.check === 'discovery').map((e) => json(e.text))) {
      const id = m?.params?._meta?.[META]?.sessionId;
      if (m?.method === 'tools/call' && typeof id === 'string') inSession.set(id, [...(inSession.get(id) ?? []), m.params.name]);
    }
    const survey = created.slice(5).map((id) => inSession.get(id));
    expect(survey).toEqual([['fails_a'], ['fails_b'], ['fails_c'], ['fails_d'], ['zz_session_tool']]);
    expect([...deleted].sort()).toEqual([...created].sort());
  }, 120_000);
});
