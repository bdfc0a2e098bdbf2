// client_notes_server: transcript replay (byte-exact state tokens) and the demo script.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, decodeBase64Json, echo, KEY, RawClient, text } from './raw-client.js';

const pool = new ClientPool();
let client: RawClient;
beforeAll(async () => {
  client = await pool.start('client_notes_server');
});
afterAll(() => pool.closeAll());

describe('client_notes_server', () => {
  it('replays the transcript: incoming state wins, undecodable is empty, no state uses the last issued', async () => {
    const session = await client.createSession();
    expect(session.state).toBe('eyJub3RlcyI6W119');
    const id = session.sessionId;

    const one = await client.call('client_notes_add', { text: 'note one' }, session);
    expect(text(one)).toBe('Added note #1: note one');
    // expiresAt is not refreshed by use.
    expect(echo(one)).toEqual({ sessionId: id, state: 'eyJub3RlcyI6WyJub3RlIG9uZSJdfQ==', expiresAt: session.expiresAt });

    const two = await client.call('client_notes_add', { text: 'note one' }, echo(one));
    expect(text(two)).toBe('Added note #2: note one');
    expect(echo(two)!.state).toBe('eyJub3RlcyI6WyJub3RlIG9uZSIsIm5vdGUgb25lIl19');

    const tampered = await client.call('client_notes_add', { text: 'note one' }, { sessionId: id, state: '!!tampered!!' });
    expect(text(tampered)).toBe('Added note #1: note one');
    expect(echo(tampered)!.state).toBe('eyJub3RlcyI6WyJub3RlIG9uZSJdfQ==');

    const forged = await client.call('client_notes_add', { text: 'note one' }, {
      sessionId: id,
      state: 'eyJjYWxsQ291bnQiOjk5OSwibm90ZXMiOlsiZm9yZ2VkLWJ5LWNsaWVudCJdfQ==',
    });
    expect(text(forged)).toBe('Added note #2: note one');
    expect(echo(forged)!.state).toBe('eyJub3RlcyI6WyJmb3JnZWQtYnktY2xpZW50Iiwibm90ZSBvbmUiXX0=');

    const tour = await client.call('client_notes_add', { text: 'tour' }, { sessionId: id });
    expect(text(tour)).toBe('Added note #3: tour');
    expect(echo(tour)!.state).toBe('eyJub3RlcyI6WyJmb3JnZWQtYnktY2xpZW50Iiwibm90ZSBvbmUiLCJ0b3VyIl19');
    expect(text(await client.call('client_notes_list', {}, { sessionId: id }))).toBe(
      'Client notes (3 items):\n  1. forged-by-client\n  2. note one\n  3. tour',
    );
    const cleared = await client.call('client_notes_clear', {}, { sessionId: id });
    expect(text(cleared)).toBe('Cleared 3 client notes.');
    expect(echo(cleared)!.state).toBe('eyJub3RlcyI6W119');
    expect(text(await client.call('client_notes_status', {}, { sessionId: id }))).toBe(`Session ${id}: 0 client notes, 8 calls`);
    expect(text(await client.call('client_notes_list', {}, { sessionId: id }))).toBe('(client notes are empty)');

    const ab = await client.call('client_notes_list', {}, { sessionId: id, state: 'eyJub3RlcyI6WyJhIiwiYiJdfQ==' });
    expect(text(ab)).toBe('Client notes (2 items):\n  1. a\n  2. b');
    expect(echo(ab)!.state).toBe('eyJub3RlcyI6WyJhIiwiYiJdfQ==');
  });

  it('runs the demo script: add ×2 → list → status → clear → list', async () => {
    const session = await client.createSession();
    let meta: unknown = session;
    const step = async (tool: string, args: Record<string, unknown> = {}) => {
      const response = await client.call(tool, args, meta);
      meta = echo(response); // keep the newest state, as a client must
      return text(response);
    };
    expect(await step('client_notes_add', { text: 'buy milk' })).toBe('Added note #1: buy milk');
    expect(await step('client_notes_add', { text: 'review PR' })).toBe('Added note #2: review PR');
    expect(await step('client_notes_list')).toBe('Client notes (2 items):\n  1. buy milk\n  2. review PR');
    expect(await step('client_notes_status')).toBe(`Session ${session.sessionId}: 2 client notes, 4 calls`);
    expect(await step('client_notes_clear')).toBe('Cleared 2 client notes.');
    expect(await step('client_notes_list')).toBe('(client notes are empty)');
  });

  it('encodes notes as UTF-8 JSON', async () => {
    const session = await client.createSession();
    const response = await client.call('client_notes_add', { text: 'café ✓ 𝄞' }, session);
    expect(decodeBase64Json(echo(response)!.state!)).toEqual({ notes: ['café ✓ 𝄞'] });
  });

  it('survives hostile state values (number, object, empty, 64 KiB)', async () => {
    const session = await client.createSession();
    for (const state of [42, { a: 1 }, '', 'A'.repeat(65536), '\u0000\u0001']) {
      const response = await client.call('client_notes_add', { text: 'x' }, { sessionId: session.sessionId, state });
      expect(text(response)).toBe('Added note #1: x');
    }
  });

  it('answers five pipelined adds carrying the same state each with note #1 (E7)', async () => {
    const session = await client.createSession();
    const ids = ['p10', 'p11', 'p12', 'p13', 'p14'];
    const responses = await Promise.all(
      ids.map((id) => {
        client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'client_notes_add', arguments: { text: 'p' }, _meta: { [KEY]: session } } });
        return client.waitFor((m) => m.id === id);
      }),
    );
    for (const response of responses) {
      expect(text(response)).toBe('Added note #1: p');
      expect(echo(response)!.state).toBe('eyJub3RlcyI6WyJwIl19');
    }
  });
});
