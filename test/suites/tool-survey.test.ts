// Decision D21: the echo holds for every tool. Discovery's tool survey calls each tool once in a
// fresh session (harmless names first, destructive last), deletes what it created, and `--tool`
// restricts it; SESS-ID-4 / SESS-USE-1 judge what it saw. The JSON report's toolSurvey section
// says which tools it called, how discovery classified them and what came back: parsed back
// from real runs and validated against schemas/report.schema.json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { brokenServer, ROOT, runCli } from '../conformance/run-cli.js';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateReport = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8')));

/** The report's toolSurvey, after the whole report validated against the schema. */
function surveyOf(report: any): any {
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  expect(report.toolSurvey).not.toBeNull();
  return report.toolSurvey;
}

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
    const survey = surveyOf(run.json);
    expect(survey.only).toBeNull();
    expect(survey.tools.find((t: any) => t.name === 'session_start')).toMatchObject({ destructive: true, outcome: 'success', echo: 'other-session' });
    expect(survey.tools.filter((t: any) => t.echo === 'other-session').map((t: any) => t.name)).toEqual(['session_start']);
  });

  test('--tool restricts the survey to that tool', async () => {
    const run = await runCli(['--server', brokenServer('ids-tool-swaps-echo'), '--tool', 'session_counter_get', '--only', 'SESS-ID-4', '--seed', '1', '-q']);
    const id4 = run.json.checks.find((c: any) => c.id === 'SESS-ID-4');
    expect(id4.status).toBe('pass');
    expect(id4.message).toMatch(/1 tool called once each inside a fresh session/);
    const survey = surveyOf(run.json);
    expect(survey).toMatchObject({ only: 'session_counter_get', called: 1, notCalledCount: 4 });
    expect(survey.tools).toEqual([{ name: 'session_counter_get', destructive: false, role: 'session-only', outcome: 'success', echo: 'own-session' }]);
    expect(survey.notCalled.map((t: any) => t.name).sort()).toEqual(['public_echo', 'session_counter_inc', 'session_reset', 'session_start']);
    for (const t of survey.notCalled) expect(t.why).toBe('--tool session_counter_get restricts the survey to that tool');
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
    // The report names the same tools in the same order, classified.
    const reported = surveyOf(run.json);
    expect(reported).toMatchObject({ only: null, called: 5, notCalled: [], notCalledCount: 0 });
    const tool = (name: string, destructive: boolean, role: string | null) => ({ name, destructive, role, outcome: 'success', echo: 'own-session' });
    expect(reported.tools).toEqual([
      tool('public_echo', false, 'public'),
      tool('session_counter_get', false, 'session-only'),
      tool('session_counter_inc', false, null),
      tool('session_reset', true, null),
      tool('session_start', true, null),
    ]);
    for (const call of calls) expect(typeof call.params._meta[KEY].sessionId).toBe('string');
    const created = survey.filter((m) => m.method === 'sessions/create').length;
    expect(created).toBe(5);
    // session_start mints a second session; its id comes only in the text, so 5 deletes suffice.
    expect(survey.filter((m) => m.method === 'sessions/delete').length).toBeGreaterThanOrEqual(created);
  });
});
