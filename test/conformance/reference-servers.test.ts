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
    // Every MUST of the profile was actually judged, not skipped (--reference declares the application, so the SESS-ISO checks run its demo script and model).
    const skippedMust = run.json.checks.filter((c: any) => c.level === 'MUST' && c.status === 'skip').map((c: any) => c.id);
    expect(skippedMust.filter((id: string) => !['SESS-CAP-2'].includes(id))).toEqual([]);
  });
});
