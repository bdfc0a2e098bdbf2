// SESS-STATE-3 can pass: a server that signs its state passes it, and a server doing everything
// the draft asks gets no warning at all. Judged by effect (D22): a server that ignores incoming
// state passes with a note; one that acts on a forged token warns.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { idsWithStatus, ROOT, runCli } from './run-cli.js';

const server = `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/variants/signed-state-server.js')}"`;

describe.concurrent('a server that protects its state', () => {
  test.each(['2026-02-27', '2026-03-13'])('passes SESS-STATE-3 and warns nothing under %s', async (draft) => {
    const run = await runCli(['--server', `${server} --draft ${draft}`, '--draft', draft, '--seed', '21', '-q']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.checks.find((c: any) => c.id === 'SESS-STATE-3').status).toBe('pass');
    expect(idsWithStatus(run.json, ['warn', 'fail', 'untestable', 'harness-error'])).toEqual([]);
  });

  test('the unsigned reference session_server passes with a note: it ignores the incoming state (D22)', async () => {
    const run = await runCli(['--reference', 'session_server', '--only', 'SESS-STATE-3', '--seed', '21', '-q']);
    const check = run.json.checks.find((c: any) => c.id === 'SESS-STATE-3');
    expect(check.status).toBe('pass');
    expect(check.message).toMatch(/ignores the incoming state/);
    expect(check.details.probes).toEqual({ 'tampered state (one character changed)': 'accepted, no effect', "another session's state": 'accepted, no effect' });
  });

  test.each([
    ['the client_notes_server reference (notes live in the token)', ['--reference', 'client_notes_server']],
    ['state-trusts-forged (the count lives in the token)', ['--server', `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/broken/state-trusts-forged.js')}"`]],
  ])('%s warns: another session\'s token changes what the server does', async (_label, target) => {
    const run = await runCli([...target, '--only', 'SESS-STATE-3', '--seed', '21', '-q']);
    const check = run.json.checks.find((c: any) => c.id === 'SESS-STATE-3');
    expect(check.status).toBe('warn');
    expect(check.details.probes["another session's state"]).toMatch(/^accepted: the answer differs/);
    expect(check.fix).toMatch(/sign/i);
  });
});
