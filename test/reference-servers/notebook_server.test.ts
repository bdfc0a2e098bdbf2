// notebook_server: transcript replay and the demo-script scenario.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, echo, RawClient, text } from './raw-client.js';

const pool = new ClientPool();
let client: RawClient;
beforeAll(async () => {
  client = await pool.start('notebook_server');
});
afterAll(() => pool.closeAll());

const STAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00`;

describe('notebook_server', () => {
  it('lists the four tools with the original schemas', async () => {
    const tools = (await client.request('tools/list', {})).result.tools;
    expect(tools.map((t: { name: string }) => t.name)).toEqual(['notebook_append', 'notebook_read', 'notebook_clear', 'notebook_status']);
    expect(tools[0]).toEqual({
      name: 'notebook_append',
      description: '',
      inputSchema: { properties: { text: { title: 'Text', type: 'string' } }, required: ['text'], title: 'notebook_appendArguments', type: 'object' },
    });
    expect(tools[1].inputSchema).toEqual({ properties: {}, title: 'notebook_readArguments', type: 'object' });
  });

  it('runs the demo script: three appends → read → status → clear → read', async () => {
    const session = await client.createSession();
    const meta = { sessionId: session.sessionId };
    const notes = ['Buy milk', 'Write SEP draft', 'Review PR #2293'];
    for (const [i, note] of notes.entries()) {
      const added = await client.call('notebook_append', { text: note }, meta);
      expect(text(added)).toBe(`Note added (#${i + 1}): ${note}`);
      expect(echo(added)!.sessionId).toBe(session.sessionId);
    }
    const read = text(await client.call('notebook_read', {}, meta));
    expect(read).toMatch(new RegExp(`^Notebook \\(3 notes\\):\\n  1\\. \\[${STAMP}\\] Buy milk\\n  2\\. \\[${STAMP}\\] Write SEP draft\\n  3\\. \\[${STAMP}\\] Review PR #2293$`));
    expect(text(await client.call('notebook_status', {}, meta))).toBe(`Session ${session.sessionId}: 3 notes, 5 calls`);
    expect(text(await client.call('notebook_clear', {}, meta))).toBe('Notebook cleared (3 notes removed).');
    expect(text(await client.call('notebook_read', {}, meta))).toBe('(notebook is empty)');
  });

  it('keeps each session its own notebook', async () => {
    const a = await client.createSession();
    const b = await client.createSession();
    await client.call('notebook_append', { text: 'only in A' }, { sessionId: a.sessionId });
    expect(text(await client.call('notebook_read', {}, { sessionId: b.sessionId }))).toBe('(notebook is empty)');
    expect(text(await client.call('notebook_status', {}, { sessionId: a.sessionId }))).toBe(`Session ${a.sessionId}: 1 notes, 2 calls`);
  });
});
