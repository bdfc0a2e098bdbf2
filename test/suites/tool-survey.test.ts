// Decision D21: the echo holds for every tool. Discovery's tool survey calls each tool once in a
// fresh session (harmless names first, destructive last), deletes what it created, and `--tool`
// restricts it; SESS-ID-4 / SESS-USE-1 judge what it saw.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brokenServer, runCli } from '../conformance/run-cli.js';

const KEY = 'io.modelcontextprotocol/session';

function outgoing(dir: string): any[] {
  return readFileSync(join(dir, 'transcript.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.dir === 'out' && e.check === 'discovery')
    .map((e) => JSON.parse(e.text));
}

describe.concurrent('the tool survey', () => {
  test('a tool that swaps the echo inside a session fails SESS-ID-4 without --tool', async () => {
    const run = await runCli(['--server', brokenServer('ids-tool-swaps-echo'), '--only', 'SESS-ID-4,SESS-USE-1', '--seed', '1', '-q']);
    const id4 = run.json.checks.find((c: any) => c.id === 'SESS-ID-4');
    expect(id4.status).toBe('fail');
    expect(id4.message).toMatch(/^tool session_start, called inside session "sess-[0-9a-f]+", echoed another id/);
    expect(id4.transcript.join('\n')).toContain('"name":"session_start"');
    expect(run.json.checks.find((c: any) => c.id === 'SESS-USE-1').status).toBe('pass');
    expect(run.code).toBe(1);
  });

  test('--tool restricts the survey to that tool', async () => {
    const run = await runCli(['--server', brokenServer('ids-tool-swaps-echo'), '--tool', 'session_counter_get', '--only', 'SESS-ID-4', '--seed', '1', '-q']);
    const id4 = run.json.checks.find((c: any) => c.id === 'SESS-ID-4');
    expect(id4.status).toBe('pass');
    expect(id4.message).toMatch(/1 tool called once each inside a fresh session/);
  });

  test('every tool is called once in a session of its own, destructive names last, and every session it made is deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-survey-'));
    const run = await runCli(['--reference', 'selective_session_server', '--only', 'SESS-ID-4', '--seed', '1', '-q', '--transcripts', dir]);
    expect(run.json.checks[0].status).toBe('pass');
    const sent = outgoing(dir);
    // The survey is the tail of discovery: per tool a create, the call, a delete (two when the
    // echo names another session). It begins at the create before the fifth-last tools/call.
    const callAt = sent.map((m, i) => (m.method === 'tools/call' ? i : -1)).filter((i) => i >= 0);
    const start = callAt.at(-5)! - 1;
    expect(sent[start].method).toBe('sessions/create');
    const survey = sent.slice(start);
    const calls = survey.filter((m) => m.method === 'tools/call');
    expect(calls.map((m) => m.params.name)).toEqual(['public_echo', 'session_counter_get', 'session_counter_inc', 'session_reset', 'session_start']);
    for (const call of calls) expect(typeof call.params._meta[KEY].sessionId).toBe('string');
    const created = survey.filter((m) => m.method === 'sessions/create').length;
    expect(created).toBe(5);
    // session_start mints a second session; its id comes only in the text, so 5 deletes suffice.
    expect(survey.filter((m) => m.method === 'sessions/delete').length).toBeGreaterThanOrEqual(created);
  });
});
