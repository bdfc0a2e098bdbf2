// selective_session_server: transcript replay, the demo-script scenario and the fixed
// session_start deviation (SESS-ID-4).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, echo, EXPIRES_AT, KEY, RawClient, SESSION_ID, text } from './raw-client.js';

const pool = new ClientPool();
let client: RawClient;
beforeAll(async () => {
  client = await pool.start('selective_session_server');
});
afterAll(() => pool.closeAll());

describe('selective_session_server', () => {
  it('lists the five tools with the original descriptions', async () => {
    const tools = (await client.request('tools/list', {})).result.tools;
    expect(tools.map((t: { name: string; description: string }) => [t.name, t.description])).toEqual([
      ['public_echo', 'Always works; session is optional.'],
      ['session_start', 'Create a fresh session via tool call.'],
      ['session_reset', 'Delete active session and reset per-session counter.'],
      ['session_counter_inc', 'Requires an active session; increments per-session counter.'],
      ['session_counter_get', 'Requires an active session; reads per-session counter.'],
    ]);
    expect(tools[1].inputSchema).toEqual({
      properties: { label: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Label' } },
      title: 'session_startArguments',
      type: 'object',
    });
  });

  it('runs the demo script: public_echo → get → reset → get (rejected) → start → inc → get', async () => {
    const publicEcho = await client.call('public_echo', { text: 'hello' });
    expect(publicEcho.result).toEqual({ content: [{ type: 'text', text: 'public tool ok: hello' }], isError: false });

    const a = await client.createSession();
    expect(text(await client.call('session_counter_get', {}, { sessionId: a.sessionId }))).toBe(`session counter for ${a.sessionId}: 0`);
    const reset = await client.call('session_reset', {}, { sessionId: a.sessionId });
    expect(text(reset)).toBe(`session reset: deleted ${a.sessionId}`);
    expect(echo(reset)).toEqual({ sessionId: a.sessionId });
    const rejected = await client.call('session_counter_get', {}, { sessionId: a.sessionId });
    expect(rejected.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: a.sessionId } });

    const started = await client.call('session_start', { label: 'selective-demo' });
    const b = echo(started)!;
    expect(b.sessionId).toMatch(SESSION_ID);
    expect(b).toEqual({ sessionId: b.sessionId, expiresAt: expect.stringMatching(EXPIRES_AT) });
    expect(text(started)).toBe(`new session started: ${b.sessionId}`);
    expect(text(await client.call('session_counter_inc', {}, { sessionId: b.sessionId }))).toBe(`session counter for ${b.sessionId}: 1`);
    expect(text(await client.call('session_counter_get', {}, { sessionId: b.sessionId }))).toBe(`session counter for ${b.sessionId}: 1`);
  });

  it('session_start inside session A echoes A and names the new session B in the text', async () => {
    const a = await client.createSession();
    await client.call('session_counter_inc', {}, { sessionId: a.sessionId });
    const started = await client.call('session_start', { label: 'probe-with-meta' }, { sessionId: a.sessionId });
    expect(echo(started)).toEqual({ sessionId: a.sessionId, expiresAt: expect.stringMatching(EXPIRES_AT) });
    const b = /^new session started: (sess-[0-9a-f]{32})$/.exec(text(started))![1]!;
    expect(b).not.toBe(a.sessionId);
    expect(text(await client.call('session_counter_get', {}, { sessionId: b }))).toBe(`session counter for ${b}: 0`);
    expect(text(await client.call('session_counter_get', {}, { sessionId: a.sessionId }))).toBe(`session counter for ${a.sessionId}: 1`);
  });

  it('public_echo echoes a live session, and answers -32043 for an unknown one', async () => {
    const a = await client.createSession();
    const inside = await client.call('public_echo', { text: 'hi' }, { sessionId: a.sessionId });
    expect(text(inside)).toBe('public tool ok: hi');
    expect(echo(inside)!.sessionId).toBe(a.sessionId);
    const unknown = await client.call('public_echo', { text: 'hi' }, { sessionId: 'sess-000000000000' });
    expect(unknown.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: 'sess-000000000000' } });
  });

  it('ignores extra arguments as the original (counter_inc with {"text":123})', async () => {
    const a = await client.createSession();
    const response = await client.call('session_counter_inc', { text: 123, note: 123 }, { sessionId: a.sessionId });
    expect(text(response)).toBe(`session counter for ${a.sessionId}: 1`);
  });

  it('a session removed by session_reset is unknown to sessions/delete', async () => {
    const a = await client.createSession();
    await client.call('session_reset', {}, { sessionId: a.sessionId });
    const response = await client.request('sessions/delete', { _meta: { [KEY]: { sessionId: a.sessionId } } });
    expect(response.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: a.sessionId } });
  });

  it('session_reset without a session is rejected (-32044 under 2026-03-13)', async () => {
    expect((await client.call('session_reset', {})).error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: '' } });
    const draft = await pool.start('selective_session_server', ['--draft', '2026-03-13']);
    expect((await draft.call('session_counter_get', {})).error).toEqual({ code: -32044, message: 'Session required' });
    expect(text(await draft.call('public_echo', { text: 'x' }))).toBe('public tool ok: x');
  });
});
