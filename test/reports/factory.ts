// Synthetic run results for the report tests: one factory, so each test states only what differs.
import type { CheckResult, RunResult, Status } from '../../runner/types.js';

export function check(overrides: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  return {
    title: `the behaviour ${overrides.id} names holds`,
    section: 'create',
    level: 'MUST',
    message: `${overrides.id} ${overrides.status}`,
    spec: 'draft 2026-02-27 §Create',
    rerun: `mcp-session-conformance --server "node srv.js" --only ${overrides.id} --seed 12345`,
    ...overrides,
  };
}

function summaryOf(checks: CheckResult[]): Record<Status, number> {
  const s: Record<Status, number> = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, untestable: 0, incomplete: 0, 'harness-error': 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

export function run(checks: CheckResult[], overrides: Partial<RunResult> = {}): RunResult {
  const summary = summaryOf(checks);
  const problems = summary.fail + summary.untestable + summary['harness-error'];
  return {
    tool: { name: 'mcp-session-conformance', version: '0.1.0' },
    target: 'node srv.js',
    draft: '2026-02-27',
    seed: 12345,
    strict: false,
    verdict: problems > 0 ? 'non-conformant' : 'conformant',
    summary,
    stats: { wallMs: 4321.5, targetStarts: 3, requestsSent: 120 },
    checks,
    stderrTail: [],
    incidents: [],
    ...overrides,
  };
}

/** A run holding every status, in several sections (one unknown), listed out of order on purpose. */
export function everyStatusRun(overrides: Partial<RunResult> = {}): RunResult {
  const checks: CheckResult[] = [
    check({ id: 'BASE-INIT-1', section: 'base', status: 'pass', ms: 12 }),
    check({
      id: 'SESS-ERR-1',
      section: 'errors',
      status: 'fail',
      title: 'a request naming a never-issued session gets JSON-RPC error -32043',
      message: 'the server answered with an isError tool result instead of a JSON-RPC error',
      expected: 'error.code = -32043 with data.sessionId',
      actual: 'result.isError = true',
      fix: 'check the session before the tool runs and answer -32043 with data.sessionId',
      spec: 'draft 2026-02-27 §Errors; decision D1',
      transcript: [
        '>>> {"jsonrpc":"2.0","id":"h-7","method":"tools/call","params":{"name":"probe"}}',
        '<<< {"jsonrpc":"2.0","id":"h-7","result":{"isError":true,"content":[]}}',
      ],
      ms: 40,
    }),
    check({
      id: 'SESS-ID-2',
      section: 'ids',
      level: 'SHOULD',
      status: 'warn',
      message: 'ids look sequential',
      expected: '≥128 bits of estimated entropy',
      actual: 'about 12 bits',
      fix: 'mint ids from crypto.randomBytes(16)',
    }),
    check({
      id: 'SESS-USE-3',
      section: 'use',
      level: 'INFO',
      status: 'info',
      message: 'session metadata on tools/list is ignored',
      details: { 'tools/list': 'ignore', ping: 'ignore' },
    }),
    check({ id: 'SESS-ISO-1', section: 'isolation', status: 'skip', message: 'the target matches no known profile' }),
    check({
      id: 'SESS-REQ-1',
      section: 'required',
      status: 'untestable',
      message: 'the target offers no session-only tool',
      expected: 'a tool that refuses calls without a session',
      actual: 'every tool answered without a session',
    }),
    check({
      id: 'SESS-STATE-4',
      section: 'state',
      status: 'harness-error',
      message: 'the harness sent a message that fails its own schema',
      details: { seed: 12345, path: '3:1:0', replay: 'mcp-session-conformance --replay 3:1:0' },
    }),
    check({ id: 'SESS-CREATE-10', section: 'create', status: 'pass' }),
    check({ id: 'SESS-CREATE-2', section: 'create', status: 'pass' }),
    check({ id: 'X-ZETA-1', section: 'zeta', status: 'pass' }),
    check({ id: 'X-ALPHA-1', section: 'alpha', status: 'pass' }),
  ];
  return run(checks, overrides);
}
