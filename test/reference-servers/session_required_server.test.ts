// session_required_server: transcript replay and the demo-script scenario.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, echo, EXPIRES_AT, RawClient, text } from './raw-client.js';

const pool = new ClientPool();
let client: RawClient;
beforeAll(async () => {
  client = await pool.start('session_required_server');
});
afterAll(() => pool.closeAll());

describe('session_required_server', () => {
  it('lists echo and whoami exactly as the original', async () => {
    expect((await client.request('tools/list', {})).result.tools).toEqual([
      {
        name: 'echo',
        description: 'Echo text back — requires an active session.',
        inputSchema: { properties: { text: { title: 'Text', type: 'string' } }, required: ['text'], title: 'echoArguments', type: 'object' },
      },
      { name: 'whoami', description: 'Return basic session information.', inputSchema: { properties: {}, title: 'whoamiArguments', type: 'object' } },
    ]);
  });

  it('runs the demo script: echo → whoami → echo, without state', async () => {
    const session = await client.createSession();
    expect(Object.keys(session).sort()).toEqual(['expiresAt', 'sessionId']);
    const meta = { sessionId: session.sessionId };
    const hello = await client.call('echo', { text: 'hello world' }, meta);
    expect(text(hello)).toBe('hello world');
    expect(echo(hello)).toEqual({ sessionId: session.sessionId, expiresAt: expect.stringMatching(EXPIRES_AT) });
    expect(text(await client.call('whoami', {}, meta))).toBe(`Session ${session.sessionId}, calls=2`);
    expect(text(await client.call('echo', { text: 'session persists across calls!' }, meta))).toBe('session persists across calls!');
  });

  it('ignores any state a client sends (the server issued none)', async () => {
    const session = await client.createSession();
    const tampered = await client.call('echo', { text: 'hello' }, { sessionId: session.sessionId, state: '!!tampered!!' });
    expect(text(tampered)).toBe('hello');
    expect(echo(tampered)).not.toHaveProperty('state');
  });

  it('rejects a missing text argument as an isError result, not a crash', async () => {
    const session = await client.createSession();
    const response = await client.call('echo', {}, { sessionId: session.sessionId });
    expect(response.result.isError).toBe(true);
    expect(text(response)).toContain('text: Field required');
  });
});
