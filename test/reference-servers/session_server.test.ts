// session_server: replay of reference-transcripts/session_server(.edge).txt.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, decodeBase64Json, echo, EXPIRES_AT, RawClient, text } from './raw-client.js';

const pool = new ClientPool();
let client: RawClient;
beforeAll(async () => {
  client = await pool.start('session_server');
});
afterAll(() => pool.closeAll());

const stateOf = (n: number) => Buffer.from(JSON.stringify({ callCount: n })).toString('base64');

describe('session_server', () => {
  it('lists session_probe exactly as the original', async () => {
    expect((await client.request('tools/list', {})).result).toEqual({
      tools: [
        {
          name: 'session_probe',
          description: '',
          inputSchema: {
            properties: { note: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Note' } },
            title: 'session_probeArguments',
            type: 'object',
          },
        },
      ],
    });
  });

  it('counts calls in a base64 {"callCount":n} state and ignores incoming state', async () => {
    const session = await client.createSession();
    expect(session.state).toBe('eyJjYWxsQ291bnQiOjB9');
    expect(decodeBase64Json(session.state!)).toEqual({ callCount: 0 });

    const first = await client.call('session_probe', { note: 'hello' }, session);
    expect(text(first)).toBe(`session active id=${session.sessionId}, calls=1, note=hello`);
    expect(echo(first)).toEqual({ sessionId: session.sessionId, state: 'eyJjYWxsQ291bnQiOjF9', expiresAt: expect.stringMatching(EXPIRES_AT) });
    expect(first.result.isError).toBe(false);

    const second = await client.call('session_probe', { note: 'hello' }, echo(first));
    expect(text(second)).toBe(`session active id=${session.sessionId}, calls=2, note=hello`);
    expect(echo(second)!.state).toBe('eyJjYWxsQ291bnQiOjJ9');

    const tampered = await client.call('session_probe', { note: 'hello' }, { sessionId: session.sessionId, state: '!!tampered!!' });
    expect(echo(tampered)!.state).toBe(stateOf(3));
    const forged = await client.call('session_probe', { note: 'hello' }, {
      sessionId: session.sessionId,
      state: 'eyJjYWxsQ291bnQiOjk5OSwibm90ZXMiOlsiZm9yZ2VkLWJ5LWNsaWVudCJdfQ==',
    });
    expect(text(forged)).toBe(`session active id=${session.sessionId}, calls=4, note=hello`);
    expect(echo(forged)!.state).toBe(stateOf(4));

    const noNote = await client.call('session_probe', {}, { sessionId: session.sessionId });
    expect(text(noNote)).toBe(`session active id=${session.sessionId}, calls=5, note=none`);
  });

  it('slides expiresAt 30 minutes ahead of each use', async () => {
    const session = await client.createSession();
    const before = Math.floor((Date.now() + 30 * 60_000) / 1000) * 1000;
    const used = await client.call('session_probe', {}, session);
    expect(Date.parse(echo(used)!.expiresAt!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(echo(used)!.expiresAt!)).toBeGreaterThanOrEqual(Date.parse(session.expiresAt!));
  });

  it('keeps unknown tools and invalid arguments as isError results', async () => {
    const session = await client.createSession();
    const unknown = await client.call('no_such_tool', {}, { sessionId: session.sessionId });
    expect(unknown.result).toEqual({ content: [{ type: 'text', text: 'Unknown tool: no_such_tool' }], isError: true });

    const invalid = await client.call('session_probe', { text: 123, note: 123 }, { sessionId: session.sessionId });
    expect(invalid.result.isError).toBe(true);
    expect(text(invalid)).toMatch(/^Error executing tool session_probe: 1 validation error for session_probeArguments\nnote: /);
    // Still inside a live session, so the result echoes it; the call is not counted.
    expect(echo(invalid)).toMatchObject({ sessionId: session.sessionId, state: stateOf(0) });
  });

  it('answers five pipelined calls in order, each echoing the session (E7)', async () => {
    const session = await client.createSession();
    const ids = [10, 11, 12, 13, 14].map((n) => `pipe-${n}`);
    const responses = await Promise.all(
      ids.map((id) => {
        client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'session_probe', arguments: {}, _meta: { 'io.modelcontextprotocol/session': session } } });
        return client.waitFor((m) => m.id === id);
      }),
    );
    responses.forEach((response, i) => {
      expect(text(response)).toBe(`session active id=${session.sessionId}, calls=${i + 1}, note=none`);
      expect(echo(response)).toMatchObject({ sessionId: session.sessionId, state: stateOf(i + 1) });
    });
  });

  it('forgets sessions with the process (E5)', async () => {
    const session = await client.createSession();
    const other = await pool.start('session_server');
    const response = await other.request('sessions/delete', { _meta: { 'io.modelcontextprotocol/session': { sessionId: session.sessionId } } });
    expect(response.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: session.sessionId } });
  });
});
