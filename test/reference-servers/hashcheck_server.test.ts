// hashcheck_server: transcript replay and the demo-script scenario.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, echo, RawClient, text } from './raw-client.js';

const pool = new ClientPool();
let client: RawClient;
beforeAll(async () => {
  client = await pool.start('hashcheck_server');
});
afterAll(() => pool.closeAll());

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16) + '...';

describe('hashcheck_server', () => {
  it('stores a set of digests (transcript: "abc" twice stays 1 total, "tour" makes 2)', async () => {
    const session = await client.createSession();
    const meta = { sessionId: session.sessionId };
    expect(text(await client.call('hashcheck_store', { text: 'abc' }, meta))).toBe('Stored sha256 digest ba7816bf8f01cfea... (1 total)');
    expect(text(await client.call('hashcheck_store', { text: 'abc' }, meta))).toBe('Stored sha256 digest ba7816bf8f01cfea... (1 total)');
    expect(text(await client.call('hashcheck_store', { text: 'tour' }, meta))).toBe('Stored sha256 digest d7b44809a0359169... (2 total)');
    expect(text(await client.call('hashcheck_verify', { text: 'tour' }, meta))).toBe('MATCH for d7b44809a0359169...');
    expect(text(await client.call('hashcheck_list', {}, meta))).toBe('Hash store (2 entries):\n  1. ba7816bf8f01cfea...\n  2. d7b44809a0359169...');
    const deleted = await client.call('hashcheck_delete', { text: 'tour' }, meta);
    expect(text(deleted)).toBe('Deleted: d7b44809a0359169...');
    expect(echo(deleted)).toEqual({ sessionId: session.sessionId, expiresAt: expect.any(String) });
    expect(text(await client.call('hashcheck_delete', { text: 'tour' }, meta))).toBe('Not found: d7b44809a0359169...');
  });

  it('runs the demo script: store ×2 → list → verify MATCH / NOT FOUND → delete → list', async () => {
    const session = await client.createSession();
    const meta = { sessionId: session.sessionId };
    expect(text(await client.call('hashcheck_list', {}, meta))).toBe('(no hashes stored)');
    expect(text(await client.call('hashcheck_store', { text: 'secret123' }, meta))).toBe(`Stored sha256 digest ${short('secret123')} (1 total)`);
    expect(text(await client.call('hashcheck_store', { text: 'sk-abc' }, meta))).toBe(`Stored sha256 digest ${short('sk-abc')} (2 total)`);
    const sorted = [short('secret123'), short('sk-abc')].sort();
    expect(text(await client.call('hashcheck_list', {}, meta))).toBe(`Hash store (2 entries):\n  1. ${sorted[0]}\n  2. ${sorted[1]}`);
    expect(text(await client.call('hashcheck_verify', { text: 'secret123' }, meta))).toBe(`MATCH for ${short('secret123')}`);
    expect(text(await client.call('hashcheck_verify', { text: 'wrong-password' }, meta))).toBe(`NOT FOUND for ${short('wrong-password')}`);
    expect(text(await client.call('hashcheck_delete', { text: 'sk-abc' }, meta))).toBe(`Deleted: ${short('sk-abc')}`);
    expect(text(await client.call('hashcheck_list', {}, meta))).toBe(`Hash store (1 entries):\n  1. ${short('secret123')}`);
  });

  it('keeps digests per session', async () => {
    const a = await client.createSession();
    const b = await client.createSession();
    await client.call('hashcheck_store', { text: 'secret123' }, { sessionId: a.sessionId });
    expect(text(await client.call('hashcheck_verify', { text: 'secret123' }, { sessionId: b.sessionId }))).toBe(`NOT FOUND for ${short('secret123')}`);
  });
});
