// HTTP-SESSION-1 can pass, and D25 holds beside a transport session: the transport-session
// variant (session_server in the SDK's stateful mode: Mcp-Session-Id issued at initialize,
// requests without it refused with 400) is conformant over HTTP under both drafts, passes
// HTTP-SESSION-1, and HTTP-MIRROR-1 is not judged (skip, saying why) since the header names
// the transport session there.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { idsWithStatus, ROOT, runCli } from './run-cli.js';

const server = `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/variants/transport-session-server.js')}" --transport http --port {port}`;

describe.concurrent('a server that issues a transport session beside data-layer sessions', () => {
  test.each(['2026-02-27', '2026-03-13'])('passes HTTP-SESSION-1 and is conformant under %s', async (draft) => {
    const run = await runCli(['--server', `${server} --draft ${draft}`, '--url', 'http://127.0.0.1:{port}/mcp', '--draft', draft, '--seed', '21', '-q'], { timeoutMs: 90_000 });
    expect(run.json, run.stderr).toBeDefined();
    expect(run.code, run.stdout).toBe(0);
    const check = (id: string) => run.json.checks.find((c: any) => c.id === id);
    expect(check('HTTP-SESSION-1').status).toBe('pass');
    expect(check('HTTP-SESSION-1').message).toMatch(/HTTP 400/);
    expect(check('HTTP-MIRROR-1').status).toBe('skip');
    expect(check('HTTP-MIRROR-1').message).toMatch(/transport session/);
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual([]);
  });
});
