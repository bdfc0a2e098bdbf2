// The session client against a server that insists on the newest state token: create, use,
// state tracking, echoes, raw metadata, delete.
import { describe, expect, test } from 'vitest';
import { SessionClient } from '../../harness/session-client.js';
import { PROFILE, connectTo } from './helpers.js';

const KEY = PROFILE.metaKey;

describe('SessionClient', () => {
  test('sends back exactly the newest state the server issued, call after call', async () => {
    const { c } = await connectTo('well-behaved');
    const client = new SessionClient(c.peer, PROFILE, 'T-STATE');
    const { outcome, session } = await client.create();
    expect(outcome.kind).toBe('result');
    expect(session).toEqual({ sessionId: 'sess-1', state: 'sess-1:v0', expiresAt: '2099-01-01T00:00:00Z' });
    for (let i = 1; i <= 3; i++) {
      // The fixture answers -32602 unless the state sent is the one it issued last.
      const call = await client.callTool('echo', { i }, session);
      expect(call.kind).toBe('result');
      expect(client.newestState('sess-1')).toBe(`sess-1:v${i}`);
    }
    expect(client.echoes).toHaveLength(3);
    expect(client.echoes[2]).toMatchObject({ method: 'tools/call', sentSessionId: 'sess-1', echoed: { sessionId: 'sess-1', state: 'sess-1:v3' } });
    expect(client.echoes[2].outcomeSeq).toBeGreaterThan(client.echoes[1].outcomeSeq);
  });

  test('never sends expiresAt, and omits state when none is known', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const client = new SessionClient(c.peer, PROFILE, 'T-SHAPE');
    await client.callTool('echo', {}, { sessionId: 'never-issued', expiresAt: '2099-01-01T00:00:00Z' });
    const sent = transcript.forCheck('T-SHAPE').find((e) => e.dir === 'out')!.json as any;
    expect(sent.params._meta).toEqual({ [KEY]: { sessionId: 'never-issued' } });
  });

  test('keeps _meta keys already in params when attaching the session', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const client = new SessionClient(c.peer, PROFILE, 'T-META');
    const { session } = await client.create();
    const call = await client.request('tools/call', { name: 'echo', arguments: {}, _meta: { progressToken: 'p1' } }, session);
    expect(call.kind).toBe('result');
    const sent = transcript.forCheck('T-META').filter((e) => e.dir === 'out')[1].json as any;
    expect(sent.params._meta).toEqual({ progressToken: 'p1', [KEY]: { sessionId: 'sess-1', state: 'sess-1:v0' } });
  });

  test('a non-string state the server issued is never sent back; the client records why (D19)', async () => {
    const { c, transcript } = await connectTo('well-behaved', { env: { FIXTURE_OBJECT_STATE: '1' } });
    const client = new SessionClient(c.peer, PROFILE, 'T-OBJ');
    const { session } = await client.create();
    expect(session).toEqual({ sessionId: 'sess-1' });
    for (let i = 0; i < 2; i++) expect(await client.callTool('echo', {}, session)).toMatchObject({ kind: 'result' });
    // A check that hands over the create result as it came must not make the client send it either.
    const asIssued = { sessionId: 'sess-1', state: { v: 0 } } as unknown as { sessionId: string };
    expect(await client.callTool('echo', {}, asIssued)).toMatchObject({ kind: 'result' });
    const out = transcript.forCheck('T-OBJ').filter((e) => e.dir === 'out');
    for (const e of out.slice(1)) expect((e.json as any).params._meta[KEY]).toEqual({ sessionId: 'sess-1' });
    expect(out.flatMap((e) => e.problems ?? [])).toEqual([]);
    expect(client.unusable.map((u) => `${u.from}/${u.field}`)).toEqual(['create/state', 'tools/call/state', 'tools/call/state', 'a check/state', 'tools/call/state']);
    // The target's own lines carry the schema problems (evidence against it, not the harness).
    expect(transcript.entries.filter((e) => e.dir === 'in' && (e.problems ?? []).length > 0).length).toBeGreaterThan(0);
  });

  test('raw metadata goes out verbatim and is not held against the harness', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const client = new SessionClient(c.peer, PROFILE, 'T-RAW');
    const outcome = await client.callTool('echo', {}, { raw: { sessionId: 42 } });
    expect(outcome.kind).toBe('error');
    const sent = transcript.forCheck('T-RAW').find((e) => e.dir === 'out')!;
    expect((sent.json as any).params._meta[KEY]).toEqual({ sessionId: 42 });
    expect(sent.problems).toBeUndefined();
    expect(transcript.violations).toEqual([]);
  });

  test('delete ends the session; using it afterwards gives -32043 naming it', async () => {
    const { c } = await connectTo('well-behaved');
    const client = new SessionClient(c.peer, PROFILE);
    const { session } = await client.create();
    expect(await client.delete(session)).toMatchObject({ kind: 'result', result: {} });
    const after = await client.callTool('echo', {}, session);
    expect(after).toMatchObject({ kind: 'error', error: { code: -32043, data: { sessionId: 'sess-1' } } });
  });
});
