// The GitHub Action's step run locally, as the runner runs it: inputs as INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY in temporary files, stdout read the way the runner reads
// workflow commands. Outputs, the job summary and the annotations are parsed back and compared
// with the CLI's own JSON and JUnit reports.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { brokenServer, idsWithStatus, ROOT } from '../conformance/run-cli.js';
import { runAction } from './run-action.js';

const EXPLAIN = (id: string) => `npx mcp-session-conformance explain ${id}`;

describe.concurrent('the GitHub Action step', () => {
  test('a broken server: exit 1, outputs match the JSON report, one ::error per failing check, the summary is the Markdown report', async () => {
    const run = await runAction({ SERVER: brokenServer('err-not-found-without-data'), ONLY: 'SESS-ERR,BASE-WIRE-2', ARGS: '--seed 1' });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const o = run.outputs;
    expect(o.verdict).toBe('non-conformant');
    expect(o['exit-code']).toBe('1');
    expect(existsSync(o.json!) && existsSync(o.junit!), `${o.json} ${o.junit}`).toBe(true);
    const report = JSON.parse(readFileSync(o.json!, 'utf8'));
    const s = report.summary;
    expect([o.passed, o.failed, o.warnings, o.skipped]).toEqual([s.pass, s.fail + s.untestable + s.incomplete + s['harness-error'], s.warn, s.skip].map(String));
    expect(Number(o.failed)).toBe(2);
    // JUnit from the same run counts the same failures.
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(o.junit!, 'utf8'));
    expect(Number(junit.testsuites.failures)).toBe(s.fail + s.untestable + s.incomplete);
    // One ::error per failing check, titled with its id, carrying the finding, the fix and explain.
    const failing = idsWithStatus(report, ['fail', 'untestable', 'incomplete', 'harness-error']);
    expect(failing).toEqual(['BASE-WIRE-2', 'SESS-ERR-2']);
    expect(run.annotations.map((a) => [a.kind, a.props.title])).toEqual(failing.map((id) => ['error', id]));
    for (const a of run.annotations) {
      const c = report.checks.find((x: any) => x.id === a.props.title);
      expect(a.message).toContain(c.message);
      expect(a.message).toContain(`Fix: ${c.fix}`);
      expect(a.message).toContain(EXPLAIN(c.id));
      expect(a.message).not.toMatch(/[\r\n]/);
    }
    // The console report itself is in the log, inside the stop-commands block.
    expect(run.guarded.join('\n')).toContain('NOT CONFORMANT: 2 failed');
    // The job summary is the Markdown report, naming explain for each failure.
    expect(run.summary).toMatch(/^## ❌ mcp-session-conformance: NOT CONFORMANT/);
    for (const id of failing) expect(run.summary).toContain(EXPLAIN(id));
    // No --html in this CLI yet: the output is empty rather than a path to nothing.
    expect(o.html === '' || existsSync(o.html!)).toBe(true);
  });

  test('a conformant server: exit 0, verdict conformant, no annotations; args are split like a shell', async () => {
    const run = await runAction({ ARGS: `--reference session_server --seed '7' --only "SESS-CREATE-1 "` });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.verdict).toBe('conformant');
    expect([run.outputs.passed, run.outputs.failed]).toEqual(['1', '0']);
    expect(run.annotations).toEqual([]);
    expect(JSON.parse(readFileSync(run.outputs.json!, 'utf8')).seed).toBe(7);
    expect(run.summary).toContain('conformant');
  });

  test('a SHOULD finding is a ::warning (exit 0); under --strict an ::error (exit 1)', async () => {
    const server = brokenServer('err-empty-error-messages');
    const [plain, strict] = await Promise.all([
      runAction({ SERVER: server, ONLY: 'SESS-ERR-1,SESS-ERR-3', ARGS: '--seed 1' }),
      runAction({ SERVER: server, ONLY: 'SESS-ERR-1,SESS-ERR-3', ARGS: '--seed 1 --strict' }),
    ]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.annotations.map((a) => [a.kind, a.props.title])).toEqual([['warning', 'SESS-ERR-3']]);
    expect(plain.outputs.warnings).toBe('1');
    expect(strict.code, strict.stdout + strict.stderr).toBe(1);
    expect(strict.annotations.map((a) => [a.kind, a.props.title])).toEqual([['error', 'SESS-ERR-3']]);
  });

  test('expected-failures: a listed failure that still fails is a ::notice; a stale entry is an ::error and fails the run', async () => {
    const listed = join(mkdtempSync(join(tmpdir(), 'msc-expected-')), 'expected-failures.txt');
    writeFileSync(listed, 'SESS-ERR-2 data.sessionId is missing, tracked upstream\nSESS-ERR-1 listed but passes\n');
    const run = await runAction({ SERVER: brokenServer('err-not-found-without-data'), ONLY: 'SESS-ERR-1,SESS-ERR-2', 'EXPECTED_FAILURES': listed, ARGS: '--seed 1' });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const kinds = Object.fromEntries(run.annotations.map((a) => [a.props.title, a.kind]));
    expect(kinds).toEqual({ 'SESS-ERR-2': 'notice', 'SESS-ERR-1': 'error' });
    expect(run.annotations.find((a) => a.props.title === 'SESS-ERR-2')!.message).toContain('tracked upstream');
    expect(run.annotations.find((a) => a.props.title === 'SESS-ERR-1')!.message).toContain('did not fail');
  });

  test('a usage error: exit 2, verdict error, the summary shows the CLI’s message', async () => {
    const run = await runAction({ SERVER: 'node x.js', DRAFT: '1999-01-01' });
    expect(run.code).toBe(2);
    expect(run.outputs.verdict).toBe('error');
    expect(run.outputs.json).toBe('');
    expect(run.summary).toContain('exit code 2');
    expect(run.summary).toContain('unknown draft revision "1999-01-01"');
  });

  test('workflow commands a target prints stay inert: only the CLI’s own annotations reach the runner', async () => {
    const run = await runAction({ SERVER: `node ${join(ROOT, 'test/fixtures/action/injects-workflow-commands.mjs')}` });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    // The injected lines are in the log (the report's stderr tail), but inside the guard.
    expect(run.guarded.join('\n')).toContain('::error title=SESS-FAKE-1::injected by the target');
    expect(run.commands.join('\n')).not.toMatch(/SESS-FAKE|add-mask/);
    expect(run.annotations.map((a) => a.props.title)).toEqual(['BASE-INIT-1']);
  });
});
