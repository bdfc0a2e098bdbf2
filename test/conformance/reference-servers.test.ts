// The six reference servers pass the whole suite under both draft revisions.
import { describe, expect, test } from 'vitest';
import { idsWithStatus, runCli } from './run-cli.js';

const SERVERS = ['session_server', 'session_required_server', 'notebook_server', 'hashcheck_server', 'selective_session_server', 'client_notes_server'];
const cases = SERVERS.flatMap((server) => ['2026-02-27', '2026-03-13'].map((draft) => ({ server, draft })));

describe.concurrent('reference servers are conformant', () => {
  test.each(cases)('$server under $draft: no failures', async ({ server, draft }) => {
    const run = await runCli(['--reference', server, '--draft', draft, '--seed', '7', '-q']);
    expect(run.json, run.stderr).toBeDefined();
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error']), run.stdout.slice(-4000)).toEqual([]);
    expect(run.json.verdict).toBe('conformant');
    expect(run.code).toBe(0);
    // Every MUST of the profile was judged, or skipped for want of something to judge (D17),
    // and exactly these: CAP-2 (2026-03-13, MUST there: the capability is there), CREATE-6 (no _meta copy on create),
    // STATE-1 where the server issues no state, USE-5 (2026-03-13) where it sends no notifications,
    // and the HTTP checks' MUSTs (a stdio run: not applicable).
    const skippedMust = run.json.checks.filter((c: any) => c.level === 'MUST' && c.status === 'skip');
    const issuesState = ['session_server', 'client_notes_server'].includes(server);
    const expected = [...(draft === '2026-03-13' ? ['SESS-CAP-2'] : []), 'SESS-CREATE-6', ...(issuesState ? [] : ['SESS-STATE-1']), ...(draft === '2026-03-13' ? ['SESS-USE-5'] : []), 'HTTP-NOTIF-1', 'HTTP-RESP-1'];
    expect(skippedMust.map((c: any) => c.id).sort()).toEqual(expected.sort());
    for (const c of skippedMust) expect(c.message, c.id).toMatch(/^not applicable: /);
    // A stdio run never passes an HTTP check: each is skipped, saying why.
    for (const c of run.json.checks.filter((c: any) => c.id.startsWith('HTTP-'))) {
      expect(c.status, c.id).toBe('skip');
      expect(c.message, c.id).toMatch(/stdio target/);
    }
  });
});
