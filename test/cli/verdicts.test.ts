// The run-level verdict as users meet it (D17, D18, D23, issue 13 items 7, 8, 10): a selection
// that matches nothing is a usage error, a cut-short run is incomplete (exit 5), an unexplained
// target death is reported, a softened MUST is a SHOULD-level warning, and a report redirected
// to a file or pipe lists each check once.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../conformance/run-cli.js';

const FIXTURES = join(ROOT, 'test/fixtures');
const node = (file: string, ...args: string[]) => [process.execPath, join(FIXTURES, file), ...args].map((w) => `"${w}"`).join(' ');
const SESSION_SERVER = join(ROOT, 'dist/reference-servers/session_server.js');

describe.concurrent('selection that matches nothing is a usage error', () => {
  test('--only NOPE-1 → exit 2 with one line naming the pattern; nothing runs', async () => {
    const run = await runCli(['--reference', 'session_server', '--only', 'NOPE-1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toMatch(/--only NOPE-1 matches no check id of draft 2026-02-27/);
    expect(run.json).toBeUndefined();
  });

  test('--only SESS-CREATE-1,SESS-CRAETE-2 → exit 2 suggesting SESS-CREATE-2', async () => {
    const run = await runCli(['--reference', 'session_server', '--only', 'SESS-CREATE-1,SESS-CRAETE-2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--only SESS-CRAETE-2 matches no check id.*did you mean SESS-CREATE-2\?/);
    expect(run.json).toBeUndefined();
  });

  // The CLI starts the target while it loads the checks when every pattern names a check of the
  // draft (issue 15: its own start); one pattern that names none must still start nothing (D17).
  test('a typo beside a good pattern starts no process; good patterns alone do start the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-select-'));
    const target = node('../../bench/first-byte-target.mjs');
    const typo = await runCli(['--server', target, '--only', 'BASE-INIT-1,SESS-CRAETE-2'], { env: { BENCH_MARK: join(dir, 'typo') } });
    expect(typo.code).toBe(2);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    const skipTypo = await runCli(['--server', target, '--only', 'BASE-INIT-1', '--skip', 'SESS-DELTE'], { env: { BENCH_MARK: join(dir, 'skip') } });
    expect(skipTypo.code).toBe(2);
    expect(existsSync(join(dir, 'skip'))).toBe(false);
    const good = await runCli(['--server', target, '--only', 'BASE-INIT-1', '--skip', 'SESS-DELETE'], { env: { BENCH_MARK: join(dir, 'good') } });
    expect(good.code).toBe(3); // the stand-in target exits at its first line: it did not start as a server
    expect(existsSync(join(dir, 'good'))).toBe(true);
  });

  test('--skip with a typo is a usage error too', async () => {
    const run = await runCli(['--reference', 'session_server', '--skip', 'SESS-DELTE']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--skip SESS-DELTE matches no check id/);
  });
});

describe.concurrent('live progress', () => {
  // The test's pipes are not terminals: the report must list each check exactly once.
  test('stdout a pipe: no progress lines, each check listed once in the report', async () => {
    const run = await runCli(['--reference', 'session_server', '--only', 'SESS-CREATE-1,SESS-CREATE-2', '--seed', '1']);
    expect(run.code, run.stderr).toBe(0);
    for (const id of ['SESS-CREATE-1', 'SESS-CREATE-2']) {
      expect(run.stdout.split('\n').filter((l) => l.includes(id))).toHaveLength(1);
      expect(run.stderr).not.toContain(id);
    }
  });

  test('--progress sends them to stderr; --quiet silences them', async () => {
    const loud = await runCli(['--reference', 'session_server', '--only', 'SESS-CREATE-1', '--seed', '1', '--progress']);
    expect(loud.stderr.split('\n').filter((l) => l.includes('SESS-CREATE-1'))).toHaveLength(1);
    expect(loud.stdout.split('\n').filter((l) => l.includes('SESS-CREATE-1'))).toHaveLength(1);
    const quiet = await runCli(['--reference', 'session_server', '--only', 'SESS-CREATE-1', '--seed', '1', '--progress', '-q']);
    expect(quiet.stderr).not.toContain('SESS-CREATE-1');
  });
});

describe.concurrent('verdicts of the run', () => {
  test('a run cut by --run-timeout is incomplete (exit 5), never conformant; unfinished checks are incomplete, not skipped', async () => {
    const slow = node('slow/delayed.mjs', '--min', '1500', '--max', '2000', '--', process.execPath, SESSION_SERVER);
    const run = await runCli(['--server', slow, '--only', 'SESS-CREATE,SESS-DELETE', '--run-timeout', '3000', '--seed', '1'], { timeoutMs: 60_000 });
    expect(run.code, run.stdout + run.stderr).toBe(5);
    expect(run.json.verdict).toBe('incomplete');
    expect(run.json.stopped).toMatch(/--run-timeout of 3000 ms/);
    expect(run.json.summary.incomplete).toBeGreaterThan(0);
    expect(run.json.checks.filter((c: any) => c.status === 'skip' || c.status === 'pass')).toEqual([]);
    expect(run.stdout).toMatch(/^INCOMPLETE: \d+ incomplete/m);
    expect(run.ms).toBeLessThan(20_000);
  });

  test('a failure found before the cut stays listed; the check the cut caught is incomplete; exit 5', async () => {
    const run = await runCli(
      ['--server', node('verdicts/fail-then-hang.mjs'), '--only', 'BASE-METHOD-1,SESS-ERR-1', '--timeout', '60000', '--run-timeout', '15000', '--seed', '1', '-q'],
      { timeoutMs: 50_000 },
    );
    expect(run.json.checks.map((c: any) => `${c.id} ${c.status}`)).toEqual(['BASE-METHOD-1 fail', 'SESS-ERR-1 incomplete']);
    expect(run.json.verdict).toBe('incomplete');
    expect(run.code).toBe(5);
    // The cut ends the waiting check at once, not after its 60 s request timeout.
    expect(run.ms).toBeLessThan(40_000);
  });

  test('a shared target that crashed once is a run incident (a warning; exit 1 under --strict) although the rerun passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-crash-once-'));
    const junitPath = join(dir, 'report.xml');
    const args = (once: string) => ['--server', node('verdicts/crash-once.mjs', '--once-file', join(dir, once)), '--only', 'SESS-DELETE-3', '--runs', '2', '--seed', '1'];
    const run = await runCli([...args('once-a'), '-q', '--junit', junitPath]);
    expect(run.json.checks.map((c: any) => `${c.id} ${c.status}`)).toEqual(['SESS-DELETE-3 pass']);
    expect(run.json.incidents).toHaveLength(1);
    const [incident] = run.json.incidents;
    expect(incident).toMatchObject({ kind: 'target-died', level: 'SHOULD', checks: ['SESS-DELETE-3'], exit: { code: 3, signal: null } });
    expect(incident.stderrTail.join('\n')).toMatch(/crashing once/);
    expect(run.stdout).toMatch(/incident \(target-died\): target process \d+ exited with code 3 while SESS-DELETE-3 ran on it/);
    expect(run.code).toBe(0);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(junitPath, 'utf8'));
    const suites = [junit.testsuites.testsuite].flat();
    expect(suites.map((s: any) => s.name)).toContain('run-incidents');

    const strict = await runCli([...args('once-b'), '-q', '--strict']);
    expect(strict.json.incidents).toHaveLength(1);
    expect(strict.json.verdict).toBe('non-conformant');
    expect(strict.code).toBe(1);
  });

  test('D23: a MUST violation that D7 softens is a warning at level SHOULD naming the MUST rule; warn never comes with MUST', async () => {
    const run = await runCli(['--server', node('verdicts/required-as-is-error.mjs'), '--draft', '2026-02-27', '--only', 'SESS-REQ-1,SESS-ERR,SESS-STATE', '--seed', '1', '-q']);
    const req = run.json.checks.find((c: any) => c.id === 'SESS-REQ-1');
    expect(req.status).toBe('warn');
    expect(req.level).toBe('SHOULD');
    expect(req.message).toMatch(/SESS-REQ-1 is a MUST under draft 2026-02-27/);
    expect(req.details.relatesTo).toBe('SESS-REQ-1 (MUST under draft 2026-02-27)');
    expect(run.json.checks.filter((c: any) => c.status === 'warn' && c.level === 'MUST')).toEqual([]);
  });
});
