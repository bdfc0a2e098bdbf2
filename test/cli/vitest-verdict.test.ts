// What each check result means for its vitest test (mcp-session-conformance/vitest), for the
// statuses a reference or broken server does not readily produce: whatever the CLI counts
// against a conformant verdict fails the test, with the finding; the rest passes or skips.
import { describe, expect, test } from 'vitest';
import { cliWords, testVerdict } from '../../cli/vitest-run.js';
import type { CheckResult, RunResult, Status } from '../../runner/types.js';

const check = (id: string, status: Status): CheckResult => ({
  id,
  title: `title of ${id}`,
  section: 'base',
  level: 'MUST',
  status,
  message: `message of ${id}`,
  expected: 'the expectation',
  actual: 'what came',
  fix: 'the fix',
  spec: 'draft §X',
  rerun: `npx mcp-session-conformance --server x --only ${id}`,
});
const report = (checks: CheckResult[], extra: Partial<RunResult> = {}): RunResult =>
  ({ verdict: 'non-conformant', strict: false, checks, incidents: [], stderrTail: [], ...extra }) as unknown as RunResult;

describe('testVerdict', () => {
  test.each(['untestable', 'incomplete', 'harness-error', 'fail'] as const)('%s fails the test with the finding', (status) => {
    const v = testVerdict(report([check('A-1', status)]), 'A-1');
    expect(v.kind).toBe('fail');
    const message = (v as { message: string }).message;
    expect(message).toContain(`A-1 ${status}: title of A-1`);
    for (const part of ['Expected: the expectation', 'Actual: what came', 'Fix: the fix', 'Rerun: npx mcp-session-conformance --server x --only A-1']) expect(message).toContain(part);
  });

  test('skip skips with the reason; pass passes; info passes with a notice', () => {
    expect(testVerdict(report([check('A-1', 'skip')]), 'A-1')).toEqual({ kind: 'skip', message: 'message of A-1' });
    expect(testVerdict(report([check('A-1', 'pass')]), 'A-1')).toEqual({ kind: 'pass' });
    expect(testVerdict(report([check('A-1', 'info')]), 'A-1')).toEqual({ kind: 'pass', note: { type: 'notice', message: 'message of A-1' } });
  });

  test('warn passes with a warning, and fails under strict', () => {
    expect(testVerdict(report([check('A-1', 'warn')]), 'A-1')).toMatchObject({ kind: 'pass', note: { type: 'warning' } });
    expect(testVerdict(report([check('A-1', 'warn')], { strict: true }), 'A-1')).toMatchObject({ kind: 'fail' });
  });

  test('an expected failure that still fails passes; a stale one fails', () => {
    const still = report([check('A-1', 'fail')], { expectedFailures: [{ id: 'A-1', reason: 'known', stillFails: true }] });
    expect(testVerdict(still, 'A-1')).toMatchObject({ kind: 'pass', note: { type: 'notice' } });
    const stale = report([check('A-1', 'pass')], { expectedFailures: [{ id: 'A-1', reason: 'known', stillFails: false }] });
    expect(testVerdict(stale, 'A-1')).toMatchObject({ kind: 'fail', message: expect.stringContaining('no longer fails') });
  });

  test('a planned id missing from the report (run cut short) fails, naming why', () => {
    const v = testVerdict(report([], { fatal: { kind: 'target-start', message: 'exited 1' } }), 'A-1');
    expect(v).toEqual({ kind: 'fail', message: 'A-1 was not run (target-start: exited 1)' });
  });
});

describe('cliWords', () => {
  test('options become CLI words', () => {
    expect(cliWords({ server: 'node s.js', draft: '2026-03-13', only: 'SESS-ERR,BASE', strict: true, env: { A: '1' }, toolArgs: { x: 1 }, tool: 't', seed: 5 })).toEqual([
      '--server', 'node s.js', '--draft', '2026-03-13', '--only', 'SESS-ERR', '--only', 'BASE', '--strict', '--tool', 't', '--tool-args', '{"x":1}', '--env', 'A=1', '--seed', '5',
    ]);
  });

  test('exactly one target, and not --reference all', () => {
    expect(() => cliWords({})).toThrow(/exactly one of `server` or `reference`/);
    expect(() => cliWords({ server: 'x', reference: 'session_server' })).toThrow(/exactly one/);
    expect(() => cliWords({ reference: 'all' })).toThrow(/once per server/);
  });
});
