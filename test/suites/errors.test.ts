// The errors / required / delete checks: their pure helpers, and runs of the built CLI against
// real processes for what the broken-server manifest cannot show (an INFO check's message, the
// wording of a fix).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readSessionMeta, SESSION_META_KEY } from '../../reference-servers/session-meta.js';
import { malformedShapes, notFoundProblems, whyNotDescriptive } from '../../suites/errors.js';
import { withoutSession } from '../../suites/required.js';
import { brokenServer, runCli } from '../conformance/run-cli.js';

function check(report: any, id: string): any {
  return report.checks.find((c: any) => c.id === id);
}

describe('error message judgement (SESS-ERR-3)', () => {
  test.each([
    ['', 'it is empty'],
    ['   ', 'it is only whitespace'],
    ['Error', 'it is a generic placeholder'],
    ['error.', 'it is a generic placeholder'],
    ['-1', 'it has no words'],
    ['Oh', 'it is too short to say anything'],
  ])('%j is not descriptive: %s', (message, why) => {
    expect(whyNotDescriptive(message)).toBe(why);
  });

  test.each(['Session not found', 'Parse error', 'Method not found', 'Invalid session metadata: sessionId is empty'])(
    '%j is descriptive',
    (message) => expect(whyNotDescriptive(message)).toBeUndefined(),
  );
});

describe('-32043 shape (SESS-ERR-2)', () => {
  test('a well-formed error with the sent id has no problems', () => {
    expect(notFoundProblems({ code: -32043, message: 'Session not found', data: { sessionId: 'sess-1', extra: 1 } }, 'sess-1')).toEqual([]);
  });

  test('missing data says to add data: { sessionId }', () => {
    const [problem] = notFoundProblems({ code: -32043, message: 'Session not found' }, 'sess-1');
    expect(problem?.problem).toMatch(/data\.sessionId is missing/);
    expect(problem?.fix).toContain('data: { sessionId }');
  });

  test('a different id is shown character by character', () => {
    const [problem] = notFoundProblems({ code: -32043, message: 'x', data: { sessionId: 'sess-abc' } }, 'sess-abd');
    expect(problem?.problem).toContain('first difference at character 7');
  });

  test('without a sent id, any string data.sessionId is accepted, a number is not', () => {
    expect(notFoundProblems({ code: -32043, message: 'm', data: { sessionId: '' } }, undefined)).toEqual([]);
    expect(notFoundProblems({ code: -32043, message: 'm', data: { sessionId: 7 } }, undefined)[0]?.problem).toMatch(/not a string/);
  });
});

describe('probe inputs', () => {
  test('every SESS-ERR-4 shape is malformed session metadata to the reference reader', () => {
    const shapes = malformedShapes('sess-live');
    expect(shapes).toHaveLength(8);
    for (const shape of shapes) {
      const read = readSessionMeta({ _meta: { [SESSION_META_KEY]: shape.raw } });
      expect(read.kind, shape.label).toBe('malformed');
    }
  });

  test('no SESS-REQ-1 variant carries session metadata', () => {
    for (const variant of withoutSession('echo', { text: 'x' })) {
      expect(readSessionMeta(variant.params).kind, variant.label).toBe('missing');
    }
  });
});

describe.concurrent('CLI runs', () => {
  test('SESS-ERR-5 reports "unknown after restart" for an in-memory server and "still works" for a durable one', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'msc-durable-')), 'sessions.jsonl');
    const [memory, durable] = await Promise.all([
      runCli(['--reference', 'session_server', '--only', 'SESS-ERR-5', '--seed', '1', '-q']),
      runCli(['--server', `${brokenServer('err-durable-sessions')} --store "${store}"`, '--only', 'SESS-ERR-5', '--seed', '1', '-q']),
    ]);
    const inMemory = check(memory.json, 'SESS-ERR-5');
    const kept = check(durable.json, 'SESS-ERR-5');
    expect(inMemory.status, inMemory.message).toBe('info');
    expect(kept.status, kept.message).toBe('info');
    expect(inMemory.message).toMatch(/^unknown after restart: the old id got -32043/);
    expect(kept.message).toMatch(/^still works after restart/);
    expect(memory.code).toBe(0);
    expect(durable.code).toBe(0);
  });

  test('an isError answer to an unknown session fails SESS-ERR-1 under 2026-02-27, warns under 2026-03-13, and the fix names the SDK wrapping', async () => {
    const runs = await Promise.all(
      ['2026-02-27', '2026-03-13'].map((draft) =>
        runCli(['--server', brokenServer('err-unknown-session-tool-error', draft), '--draft', draft, '--only', 'SESS-ERR-1', '--seed', '1', '-q']),
      ),
    );
    const [strict, lenient] = runs.map((run) => check(run.json, 'SESS-ERR-1'));
    expect(strict.status).toBe('fail');
    expect(lenient.status).toBe('warn');
    expect(strict.actual).toMatch(/isError: true.*Session not found/);
    expect(strict.fix).toMatch(/FastMCP.*McpServer.*low-level request handler|low-level request handler.*FastMCP/);
  });

  test('-32043 for a missing session fails SESS-REQ-1 under 2026-03-13 with a fix asking for -32044, and passes under 2026-02-27', async () => {
    const [newer, older] = await Promise.all(
      ['2026-03-13', '2026-02-27'].map((draft) =>
        runCli(['--server', brokenServer('req-missing-session-not-found', draft), '--draft', draft, '--only', 'SESS-REQ-1', '--seed', '1', '-q']),
      ),
    );
    const failed = check(newer!.json, 'SESS-REQ-1');
    expect(failed.status).toBe('fail');
    expect(failed.fix).toMatch(/answer -32044 "Session required".*-32043 is for an id the server does not know/);
    expect(check(older!.json, 'SESS-REQ-1').status).toBe('pass');
  });
});
