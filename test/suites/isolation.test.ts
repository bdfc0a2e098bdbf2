// Declared applications (D15) through the built CLI: only a target declared as a reference
// application (--app, --reference) is held to its demo script; tool names prove nothing.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brokenServer, idsWithStatus, referenceServer, ROOT, runCli } from '../conformance/run-cli.js';

/** A clean server with echo + whoami whose whoami says "session <id> calls=<n>". */
const otherWords = `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/variants/echo-whoami-other-words.js')}"`;
const check = (report: any, id: string) => report.checks.find((c: any) => c.id === id);
const REFERENCES = ['session_server', 'session_required_server', 'notebook_server', 'hashcheck_server', 'selective_session_server', 'client_notes_server'];
const undeclared = REFERENCES.flatMap((server) => ['2026-02-27', '2026-03-13'].map((draft) => ({ server, draft })));

describe.concurrent('declared applications (D15)', () => {
  test('tools named like session_required_server\'s but other words: conformant, SESS-ISO-2 skipped with the --app hint', async () => {
    const run = await runCli(['--server', otherWords, '--seed', '1', '-q']);
    expect(idsWithStatus(run.json, ['fail', 'warn', 'untestable', 'harness-error'])).toEqual([]);
    expect(run.code).toBe(0);
    const iso2 = check(run.json, 'SESS-ISO-2');
    expect(iso2.status).toBe('skip');
    expect(iso2.message).toMatch(/named like session_required_server's, which proves nothing — pass --app session_required_server/);
    expect(check(run.json, 'SESS-ISO-1')).toMatchObject({ status: 'pass', details: { method: 'noninterference' } });
  });

  test('the same server declared with --app session_required_server is held to the demo script\'s texts', async () => {
    const run = await runCli(['--server', otherWords, '--app', 'session_required_server', '--only', 'SESS-ISO', '--seed', '1', '-q']);
    expect(idsWithStatus(run.json, ['fail'])).toEqual(['SESS-ISO-2']);
    const iso2 = check(run.json, 'SESS-ISO-2');
    expect(iso2.expected).toMatch(/^step 2 whoami: the text "Session sess-[0-9a-f]+, calls=2"$/);
    // The fix says the expected text inline (users have no reference-servers.md).
    expect(iso2.fix).toMatch(/^answer step 2 \(whoami\) of the session_required_server demo script with the text "Session sess-/);
    expect(iso2.fix).not.toMatch(/reference-servers\.md/);
    expect(iso2.rerun).toContain('--app session_required_server');
    expect(check(run.json, 'SESS-ISO-1').details.method).toBe('application model');
  });

  test('--reference declares the application: the demo script and the model run', async () => {
    const run = await runCli(['--reference', 'selective_session_server', '--only', 'SESS-ISO', '--seed', '1', '-q']);
    expect(check(run.json, 'SESS-ISO-2').status).toBe('pass');
    expect(check(run.json, 'SESS-ISO-1')).toMatchObject({ status: 'pass', details: { method: 'application model' } });
    expect(check(run.json, 'SESS-ISO-2').rerun).not.toContain('--app');
  });

  test('a rejection step passes on an isError rejection: SESS-DELETE-2 alone judges its form', async () => {
    const server = brokenServer('iso-selective-tool-error', '2026-02-27');
    const run = await runCli(['--server', server, '--app', 'selective_session_server', '--only', 'SESS-ISO-2,SESS-DELETE-2', '--seed', '1', '-q']);
    expect(idsWithStatus(run.json, ['fail'])).toEqual(['SESS-DELETE-2']);
    expect(check(run.json, 'SESS-ISO-2').status).toBe('pass');
  });

  test('--app with a target that lacks the application\'s tools fails SESS-ISO-2 naming them', async () => {
    const run = await runCli(['--server', otherWords, '--app', 'notebook_server', '--only', 'SESS-ISO-2', '--seed', '1', '-q']);
    const iso2 = check(run.json, 'SESS-ISO-2');
    expect(iso2.status).toBe('fail');
    expect(iso2.message).toBe('the target is declared as notebook_server (--app), but tools/list does not list notebook_append, notebook_clear, notebook_read, notebook_status');
  });

  test('--app with an unknown name is a usage error', async () => {
    const run = await runCli(['--server', otherWords, '--app', 'notes_server']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--app: unknown application "notes_server" \(known: session_server, session_required_server, notebook_server/);
  });

  test('--app naming another application than --reference is a usage error', async () => {
    const run = await runCli(['--reference', 'notebook_server', '--app', 'hashcheck_server']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--app hashcheck_server does not fit --reference notebook_server/);
  });

  test.each(undeclared)('$server run undeclared (--server) under $draft: SESS-ISO-1 finds no interference, no warning', async ({ server, draft }) => {
    const run = await runCli(['--server', referenceServer(server, draft), '--draft', draft, '--only', 'SESS-ISO', '--seed', '3', '-q']);
    expect(check(run.json, 'SESS-ISO-1'), check(run.json, 'SESS-ISO-1').message).toMatchObject({ status: 'pass', details: { method: 'noninterference' } });
    expect(check(run.json, 'SESS-ISO-2').status).toBe('skip');
    expect(run.code).toBe(0);
  });
});
