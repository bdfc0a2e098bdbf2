// The official "everything" server in its Streamable HTTP mode, launched by the suite on a port
// of its choosing (`--server "PORT={port} …" --url "http://127.0.0.1:{port}/mcp"`). It has no
// sessions capability: judged exactly like its stdio run (test/robustness/third-party.test.ts) —
// SESS-CAP-1 fails, every other SESS check is skipped with the reason, no harness error — and
// its HTTP layer is judged by the HTTP checks (it issues a transport session).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../conformance/run-cli.js';
import { junitCases, killLeftovers, leftoverAfter, newMarker, runWithReports, statusOf } from '../robustness/helpers.js';

const ENTRY = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const DRAFTS = [
  { draft: '2026-02-27', cap2: 'info' },
  { draft: '2026-03-13', cap2: 'pass' },
];

describe.concurrent('server-everything over Streamable HTTP', () => {
  test.each(DRAFTS)('under $draft: judged like its stdio run; HTTP checks pass; nothing left running', async ({ draft, cap2 }) => {
    const marker = newMarker();
    // The launcher picks its transport from the first argument and its port from PORT; extra arguments are ignored.
    const command = `PORT={port} "${process.execPath}" "${ENTRY}" streamableHttp --marker ${marker}`;
    try {
      const run = await runWithReports(
        ['--server', command, '--url', 'http://127.0.0.1:{port}/mcp', '--draft', draft, '--seed', '1', '-q', '--start-timeout', '15000'],
        { timeoutMs: 120_000 },
      );
      const report = run.json;
      const context = `${draft}: exit ${run.code}\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-1000)}`;
      expect(report, context).toBeDefined();
      expect(run.code, context).toBe(1);
      expect(report.fatal ?? null, context).toBeNull();
      expect(statusOf(report, 'SESS-CAP-1'), context).toBe('fail');
      expect(statusOf(report, 'SESS-CAP-2'), context).toBe(cap2);
      const sess = report.checks.filter((c: any) => c.id.startsWith('SESS-') && c.id !== 'SESS-CAP-1' && c.id !== 'SESS-CAP-2');
      expect(sess.length).toBeGreaterThan(10);
      for (const c of sess) {
        expect(c.status, `${c.id}: ${c.message}`).toBe('skip');
        expect(c.message, c.id).toMatch(/capabilities\.sessions/);
      }
      // Over HTTP the SDK answers an unparseable body with -32700 (HTTP 400): BASE-PARSE-1 passes here.
      for (const c of report.checks.filter((c: any) => c.id.startsWith('BASE-'))) expect(c.status, `${c.id}: ${c.message}`).toBe('pass');
      expect(report.checks.filter((c: any) => c.status === 'harness-error'), context).toEqual([]);
      expect(statusOf(report, 'HTTP-RESP-1'), context).toBe('pass');
      expect(statusOf(report, 'HTTP-NOTIF-1'), context).toBe('pass');
      // It issues a transport session and answers a request without it with 400.
      expect(statusOf(report, 'HTTP-SESSION-1'), context).toBe('pass');
      expect(statusOf(report, 'HTTP-MIRROR-1'), context).toBe('skip');
      expect(junitCases(run.junit).length).toBe(report.checks.length);
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  });
});
