// `explain <id>` and `list --json` as users run them, read back; and every report of a failing
// run names `explain <id>` next to each failure.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { ALL_CHECKS } from '../../suites/index.js';
import { brokenServer, idsWithStatus, ROOT, runCli } from '../conformance/run-cli.js';

const DRAFTS = ['2026-02-27', '2026-03-13'];
const LEVELS: Record<string, Record<string, string>> = Object.fromEntries(
  DRAFTS.map((d) => [d, JSON.parse(readFileSync(join(ROOT, 'suites/profiles', `${d}.json`), 'utf8')).levels]),
);
const MANIFEST: { server: string; draft?: string; mustFail?: string[]; mustWarn?: string[] }[] = readdirSync(join(ROOT, 'reference-servers/broken'))
  .filter((f) => /^manifest.*\.json$/.test(f))
  .flatMap((f) => JSON.parse(readFileSync(join(ROOT, 'reference-servers/broken', f), 'utf8')));
const EXPLAIN = (id: string) => `npx mcp-session-conformance explain ${id}`;

/** The "Label:  value" lines of the explain text (continuation lines joined). */
function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^([A-Z][a-z ]+):\s+(.*)$/.exec(line);
    if (m && line.indexOf(':') <= 12) out[(last = m[1]!)] = m[2]!;
    else if (last && /^ {12}\S/.test(line)) out[last] += `\n${line.trim()}`;
    else last = undefined;
  }
  return out;
}

describe.concurrent('explain <id>', () => {
  test('prints the rule, the level under each draft, the source and decision, how it is tested, the usual fix and an example failure', async () => {
    const run = await runCli(['explain', 'sess-err-1']);
    expect(run.code, run.stderr).toBe(0);
    const check = ALL_CHECKS.find((c) => c.id === 'SESS-ERR-1')!;
    expect(run.stdout.split('\n')[0]).toBe(`SESS-ERR-1 — ${check.title}`);
    const f = fields(run.stdout);
    expect(f.Level).toBe(DRAFTS.map((d) => `${d} ${LEVELS[d]!['SESS-ERR-1']}`).join(' · '));
    expect(f.Source).toBe('draft §Errors (Session not found); decision D1');
    expect(f.Decisions).toMatch(/^D1 /);
    expect(f['How tested']).toBe(check.how);
    // The example comes from a broken server the manifests say must fail SESS-ERR-1.
    const example = /^What a failure looks like \(broken server (\S+), draft (\S+)\):$/m.exec(run.stdout);
    expect(example, run.stdout).not.toBeNull();
    expect(MANIFEST.some((e) => e.server === example![1] && (e.mustFail ?? []).includes('SESS-ERR-1') && (!e.draft || e.draft === example![2]))).toBe(true);
    const fix = /^ {2}Fix: (.*)$/m.exec(run.stdout)![1];
    expect(f['Usual fix']).toBe(fix);
    expect(run.stdout).toMatch(/^ {2}fail \(MUST\): /m);
    expect(run.stdout).toContain(`--only SESS-ERR-1`);
  });

  test('a check whose source differs by draft lists each; an informational check says it never fails', async () => {
    const [req, info] = await Promise.all([runCli(['explain', 'SESS-REQ-1']), runCli(['explain', 'SESS-USE-3'])]);
    expect(req.code).toBe(0);
    expect(fields(req.stdout).Source!.split('\n').map((l) => l.split(':')[0])).toEqual(DRAFTS);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('nothing fails it: an informational check reports what it saw and never fails');
    expect(fields(info.stdout)['Usual fix']).toBe('—');
  });

  test('an unknown id is a usage error (exit 2) naming the closest ids; a prefix names the ids it covers', async () => {
    const [typo, prefix, none, two] = await Promise.all([
      runCli(['explain', 'SESS-EER-1']),
      runCli(['explain', 'SESS-DELETE']),
      runCli(['explain']),
      runCli(['explain', 'SESS-ERR-1', 'SESS-ERR-2']),
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown check id "SESS-EER-1"; closest: SESS-ERR-1\b/);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('SESS-DELETE covers SESS-DELETE-1, SESS-DELETE-2, SESS-DELETE-3, SESS-DELETE-4, SESS-DELETE-5');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('explain needs a check id');
    expect(two.code).toBe(2);
    expect(typo.stdout + prefix.stdout + none.stdout + two.stdout).toBe('');
  });

  test('explain --json gives the same object as the check’s entry in list --json', async () => {
    const [one, list] = await Promise.all([runCli(['explain', '--json', 'SESS-DELETE-3']), runCli(['list', '--json'])]);
    expect(one.code).toBe(0);
    const entry = JSON.parse(list.stdout).checks.find((c: any) => c.id === 'SESS-DELETE-3');
    const { level: _level, spec: _spec, ...rest } = entry;
    expect(JSON.parse(one.stdout)).toEqual(rest);
  });
});

describe('list --json', () => {
  test('every check: levels and sources per draft, decisions, how, example (from a manifest entry), usual fix, explain', async () => {
    const run = await runCli(['list', '--json', '--draft', '2026-03-13']);
    expect(run.code, run.stderr).toBe(0);
    const { checks } = JSON.parse(run.stdout);
    expect(checks.map((c: any) => c.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    for (const c of checks) {
      const where = c.id;
      expect(c.level, where).toBe(LEVELS['2026-03-13']![c.id] ?? null);
      expect(c.levels, where).toEqual(Object.fromEntries(DRAFTS.map((d) => [d, LEVELS[d]![c.id] ?? null])));
      expect(Object.keys(c.sources), where).toEqual(DRAFTS.filter((d) => LEVELS[d]![c.id]));
      const cited = [...new Set(Object.values(c.sources).join(' ').match(/\bD\d+\b/g) ?? [])];
      expect([...c.decisions].sort(), where).toEqual(cited.sort());
      expect(c.how, `${where} has no "how"`).toMatch(/\S{3}/);
      expect(c.explain).toBe(EXPLAIN(c.id));
      const levels = Object.values(c.levels);
      if (levels.every((l) => l === null || l === 'INFO')) {
        expect(c.example, `${where} is informational`).toBeNull();
        continue;
      }
      expect(c.example, `${where}: no example failure`).not.toBeNull();
      expect(c.example.id).toBe(c.id);
      expect(['fail', 'warn', 'untestable'], where).toContain(c.example.status);
      const entry = MANIFEST.find((e) => e.server === c.example.server && (!e.draft || e.draft === c.example.draft) && [...(e.mustFail ?? []), ...(e.mustWarn ?? [])].includes(c.id));
      expect(entry, `${where}: ${c.example.server} under ${c.example.draft} is not listed to fail it`).toBeDefined();
      expect(c.fix).toBe(c.example.fix);
      expect(c.example.command).toContain(`--only`);
    }
  });
});

describe('every report names explain <id> next to each failure', () => {
  test('console, JSON, JUnit and Markdown of a failing run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-explain-'));
    const run = await runCli(['--server', brokenServer('delete-no-op'), '--seed', '2', '-q', '--only', 'SESS-DELETE,BASE-INIT-1', '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 'r.md')]);
    expect(run.code, run.stderr).toBe(1);
    const failing = idsWithStatus(run.json, ['fail', 'untestable', 'warn']);
    expect(failing.length).toBeGreaterThan(0);
    const markdown = readFileSync(join(dir, 'r.md'), 'utf8');
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(dir, 'j.xml'), 'utf8'));
    const cases = [junit.testsuites.testsuite].flat().flatMap((s: any) => [s.testcase].flat());
    for (const id of failing) {
      expect(run.stdout, `console: ${id}`).toContain(`Explain: ${EXPLAIN(id)}`);
      expect(run.json.checks.find((c: any) => c.id === id).explain).toBe(EXPLAIN(id));
      expect(markdown, `markdown: ${id}`).toMatch(new RegExp(`<code>${id}</code>[\\s\\S]*?${EXPLAIN(id)}[\\s\\S]*?</details>`));
      // A warning passes in JUnit (no <failure> body); every failure carries the line.
      const tc = cases.find((c: any) => c.name.startsWith(`${id} `));
      if (run.json.checks.find((c: any) => c.id === id).status !== 'warn') expect(String(tc.failure['#text']), `junit: ${id}`).toContain(`Explain: ${EXPLAIN(id)}`);
    }
    // Every check of the JSON report names it, passing or not (one stable shape).
    for (const c of run.json.checks) expect(c.explain).toBe(EXPLAIN(c.id));
  });
});

describe('explain for client-mode ids', () => {
  test('every CLI-* id a client failure points at is explained: levels per draft, source, how, fix, how to run it', async () => {
    const listed = JSON.parse((await runCli(['list', '--json'])).stdout).clientChecks;
    expect(listed.length).toBeGreaterThan(0);
    for (const c of listed) {
      expect(c.explain).toBe(EXPLAIN(c.id));
      for (const d of DRAFTS) expect(c.levels[d], `${c.id} ${d}`).toBe(LEVELS[d]![c.id] ?? null);
      expect(c.how && c.fix && c.sources[DRAFTS[0]!], c.id).toBeTruthy();
    }
    const run = await runCli(['explain', 'cli-state-1']);
    expect(run.code, run.stderr).toBe(0);
    const f = fields(run.stdout);
    expect(f.Section).toBe('client');
    expect(f.Level).toBe(`2026-02-27 ${LEVELS['2026-02-27']!['CLI-STATE-1']} · 2026-03-13 ${LEVELS['2026-03-13']!['CLI-STATE-1']}`);
    expect(f['Usual fix']).toContain('exact string');
    expect(run.stdout).toContain('client --command');
    expect(run.stdout).not.toContain('--only CLI-STATE-1');
  });
});
