// Wire validation: every line both ways against the schemas that its shape calls for; a bad
// target message is flagged on its `in` line, our own valid messages are not.
import { describe, expect, test } from 'vitest';
import { SessionClient } from '../../harness/session-client.js';
import { checkLine, schemasForMessage } from '../../harness/wire.js';
import { validate } from '../../harness/validate.js';
import { PROFILE, connectTo } from './helpers.js';

const KEY = PROFILE.metaKey;

describe('wire validation', () => {
  test('a create response without sessionId is flagged on the target line, not on ours', async () => {
    const { c, transcript } = await connectTo('well-behaved', { env: { FIXTURE_BAD_CREATE: '1' } });
    const client = new SessionClient(c.peer, PROFILE, 'T-WIRE');
    const { outcome, session } = await client.create();
    expect(outcome.kind).toBe('result');
    expect(session).toBeUndefined();
    const [out, inn] = transcript.forCheck('T-WIRE');
    expect(out.dir).toBe('out');
    expect(out.problems).toBeUndefined();
    expect(inn.dir).toBe('in');
    expect(inn.problems).toContain("sessions-create-response: at /result/session: must have required property 'sessionId'");
    expect(transcript.violations.filter((v) => v.kind === 'schema')).toEqual([]);
  });

  test('the whole happy path (initialize, create, use, delete) raises no problem either way', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const client = new SessionClient(c.peer, PROFILE);
    const { session } = await client.create();
    await client.callTool('echo', {}, session);
    await client.delete(session);
    expect(transcript.entries.flatMap((e) => e.problems ?? [])).toEqual([]);
  });

  test('schemas follow the message: create/delete by method, session by _meta, errors by code', () => {
    const ctx = { dir: 'out' as const, profile: PROFILE };
    expect(schemasForMessage({ jsonrpc: '2.0', id: 1, method: 'sessions/create' }, ctx)).toEqual(['jsonrpc-message', 'sessions-create-request']);
    const del = { jsonrpc: '2.0', id: 2, method: 'sessions/delete', params: { _meta: { [KEY]: { sessionId: 's' } } } };
    expect(schemasForMessage(del, ctx)).toEqual(['jsonrpc-message', 'sessions-delete-request', 'session-request']);
    const notFound = { jsonrpc: '2.0', id: 3, error: { code: -32043, message: 'Session not found' } };
    expect(schemasForMessage(notFound, { dir: 'in', profile: PROFILE })).toEqual(['jsonrpc-message', 'error-session-not-found']);
    expect(schemasForMessage({ jsonrpc: '2.0', id: 4, result: {} }, { dir: 'in', profile: PROFILE, answers: 'initialize' })).toEqual([
      'jsonrpc-message',
      'initialize-response',
    ]);
    expect(schemasForMessage(del, { ...ctx, invalidOnPurpose: true })).toEqual(['jsonrpc-message']);
  });

  test('-32043 without data.sessionId is a problem; an envelope problem is named once', () => {
    const problems = checkLine({ jsonrpc: '2.0', id: 3, error: { code: -32043, message: 'Session not found' } }, { dir: 'in', profile: PROFILE });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith('error-session-not-found: '))).toBe(true);
    const envelope = checkLine({ jsonrpc: '1.0', id: 1, result: {} }, { dir: 'in', profile: PROFILE, answers: 'sessions/delete' });
    expect(envelope).toHaveLength(1);
    expect(envelope[0]).toMatch(/^jsonrpc-message: /);
  });

  test('a harness message that breaks a schema is a schema violation blamed on the harness', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    await c.peer.request('sessions/create', { _meta: { [KEY]: { sessionId: 'fixation' } } }, { check: 'T-BUG' });
    expect(transcript.violations).toMatchObject([{ kind: 'schema' }]);
    expect(transcript.violations[0].detail).toMatch(/^harness sent invalid sessions\/create: sessions-create-request: /);
  });

  test('the envelope verdict is "exactly one of the four branches", also on the notification fast path', () => {
    const branches = ['jsonrpc-request', 'jsonrpc-notification', 'jsonrpc-success', 'jsonrpc-error'] as const;
    const values: unknown[] = [
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
      { jsonrpc: '2.0', method: 'notifications/message' },
      { jsonrpc: '2.0', method: 'x', id: undefined },
      { jsonrpc: '2.0', method: 'x', extra: 1 },
      { jsonrpc: '1.0', method: 'x' },
      { jsonrpc: '2.0', method: 7 },
      { jsonrpc: '2.0', method: 'x', params: 'not an object' },
      { jsonrpc: '2.0', method: 'x', id: 1 },
      { jsonrpc: '2.0', method: 'x', id: null },
      { jsonrpc: '2.0', result: {} },
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 1, error: { code: 1, message: 'm' } },
      { jsonrpc: '2.0', error: { code: 1, message: 'm' } },
      { jsonrpc: '2.0' },
      [],
      null,
      'text',
    ];
    for (const value of values) {
      const matching = branches.filter((b) => validate(b, value).valid).length;
      expect(validate('jsonrpc-message', value).valid, JSON.stringify(value) ?? String(value)).toBe(matching === 1);
    }
  });
});
