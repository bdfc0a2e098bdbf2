// Failure texts that do not mislead: the expectation states what this draft revision asks (no
// claims about other servers), the spec cites the revision being run, and the transcript
// excerpt shows the exchange the message names.
import { describe, expect, test } from 'vitest';
import { brokenServer, runCli } from '../conformance/run-cli.js';

async function check(server: string, draft: string, only: string) {
  const run = await runCli(['--server', brokenServer(server, draft), '--draft', draft, '--only', only, '--seed', '1', '-q'], { timeoutMs: 60_000 });
  expect(run.json, `no JSON report; stderr: ${run.stderr}`).toBeDefined();
  return run.json.checks.find((c: any) => c.id === only);
}

/** The excerpt's lines the harness sent (>>>) and the target answered (<<<). */
const lines = (c: any, arrow: string): string[] =>
  (Array.isArray(c.transcript) ? c.transcript : String(c.transcript ?? '').split('\n')).filter((l: string) => l.trim().startsWith(arrow));

describe.concurrent('failure texts', () => {
  test('SESS-REQ-1 under 2026-02-27 states the rule of that revision and cites it', async () => {
    const c = await check('req-meta-without-session-key-runs', '2026-02-27', 'SESS-REQ-1');
    expect(c.status).toBe('fail');
    expect(c.expected).not.toMatch(/demo servers|-32043/);
    expect(c.expected).toMatch(/JSON-RPC error/);
    expect(c.spec).toContain('2026-02-27');
    expect(c.spec).not.toContain('2026-03-13');
  });

  test('SESS-REQ-1 under 2026-03-13 cites that revision and its -32044', async () => {
    const c = await check('req-meta-without-session-key-runs', '2026-03-13', 'SESS-REQ-1');
    expect(c.status).toBe('fail');
    expect(c.spec).toMatch(/2026-03-13 §Errors \(-32044/);
  });

  test('SESS-DELETE-4 expects an error without claiming what other servers answer', async () => {
    const c = await check('delete-without-metadata-returns-empty', '2026-02-27', 'SESS-DELETE-4');
    expect(c.status).toBe('fail');
    expect(c.expected).not.toMatch(/demo servers/);
  });

  test('SESS-ERR-4: the excerpt holds the exchange of the shape the message names ({})', async () => {
    const c = await check('err-malformed-tool-error', '2026-02-27', 'SESS-ERR-4');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/\{\} \(sessionId missing\)/);
    expect(lines(c, '>>>').some((l) => l.includes('"io.modelcontextprotocol/session":{}'))).toBe(true);
    expect(lines(c, '<<<').some((l) => l.includes('"isError":true'))).toBe(true);
    expect(c.spec).toContain('2026-02-27');
  });

  test('SESS-ID-2: the excerpt shows the creates, nothing else', async () => {
    for (const server of ['ids-sequential', 'ids-fixed-seed']) {
      const c = await check(server, '2026-02-27', 'SESS-ID-2');
      expect(c.status, server).toBe('warn');
      const sent = lines(c, '>>>');
      expect(sent.length, server).toBeGreaterThan(0);
      for (const l of sent) expect(l, server).toContain('"method":"sessions/create"');
      for (const l of lines(c, '<<<')) expect(l, server).toContain('"session":{"sessionId"');
    }
  });

  test('a non-string state: STATE-1 and STATE-3 say the client did not send it back (D19)', async () => {
    for (const id of ['SESS-STATE-1', 'SESS-STATE-3']) {
      const c = await check('state-object', '2026-02-27', id);
      expect(c.status, id).toBe('skip');
      expect(c.message, id).toMatch(/not a string/);
    }
  });
});
