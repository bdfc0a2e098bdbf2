// A transport's note about one request (HTTP: "POST tools/call (id …) → HTTP 500 …", a resend, an
// SSE resumption) belongs to the check that sent that request, even when another check has sent
// something since: failure excerpts are cut by check, and a note tagged with the last sender moved
// one check's HTTP trouble into another's excerpt.
import { describe, expect, test } from 'vitest';
import { Peer } from '../../harness/peer.js';
import { Transcript } from '../../harness/transcript.js';
import type { RequestId } from '../../harness/types.js';
import { PROFILE } from './helpers.js';
import { ScriptedTransport } from './scripted-transport.js';

describe('transport notes', () => {
  test('a note about a request is tagged with the check that sent it; one about no request, with the last sender', async () => {
    const transport = new ScriptedTransport();
    const transcript = new Transcript();
    const peer = new Peer(transport, { conn: 1, transcript, profile: PROFILE, defaultTimeout: 5_000 });
    const first = peer.request('ping', undefined, { check: 'SESS-A-1' });
    const second = peer.request('ping', undefined, { check: 'SESS-B-1' });
    const [idA, idB] = transport.sent.map((m) => m.id as RequestId);

    transport.noteCb!(`http: POST ping (id ${JSON.stringify(idA)}) → HTTP 200, text/event-stream`, idA);
    transport.noteCb!('http: GET → HTTP 405 (no stream for server messages)');
    transport.answer(idA!);
    transport.answer(idB!);
    await Promise.all([first, second]);

    const notes = (check: string) => transcript.forCheck(check).filter((e) => e.dir === 'event').map((e) => e.text);
    expect(notes('SESS-A-1')).toEqual([`http: POST ping (id ${JSON.stringify(idA)}) → HTTP 200, text/event-stream`]);
    expect(notes('SESS-B-1')).toEqual(['http: GET → HTTP 405 (no stream for server messages)']);
  });
});
