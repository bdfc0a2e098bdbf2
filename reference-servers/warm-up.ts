// The start-up snapshot's warm-up (scripts/snapshot-references.mjs, issue 15). A server started
// from the snapshot had the SDK and zod loaded but had never run them: its first requests also
// compiled the functions they touched and built zod's parsers (zod makes one on a schema's first
// parse). Before the snapshot is taken, the build sends one throwaway server, in the build's
// process and through the same code (session module, LineTransport, SDK Server, zod), every kind
// of message a run sends; what that leaves in the heap (zod's parsers, compiled functions) is in
// the snapshot. Measured against a snapshot without it (README, Speed): a bare start 6–15 % and a
// default run 3–7 % faster.
//
// Nothing of it can reach a served process as state: the throwaway server has its own runtime and
// session store, mints its ids from a counter (no entropy is drawn at build time), and is closed
// before the snapshot is written; the real servers' modules are not evaluated until start (this
// file must not import one: evaluated at build, its `isMain` start would never run).

import { PassThrough } from 'node:stream';
import type { Draft } from './behaviour.js';
import { createSessionServer, SESSION_META_KEY, type ServerSpec } from './session-base.js';
import { encodeState } from './state-codec.js';

const spec: ServerSpec<null> = {
  name: 'warm-up',
  newData: () => null,
  issueState: (session) => encodeState({ callCount: session.calls }),
  tools: [
    {
      name: 'probe',
      description: '',
      properties: [{ name: 'note', kind: 'optional' }],
      session: 'required',
      run: ({ session, args }) => ({ text: `calls=${session!.calls}, note=${args.note ?? 'none'}` }),
    },
    { name: 'public', description: '', properties: [], session: 'none', run: () => ({ text: 'ok' }) },
  ],
};

/** What a run sends, in order: every line is one the suite's checks send to real targets. */
function script(sessionId: string, state: string | undefined): string[] {
  const meta = (m: unknown) => ({ _meta: { [SESSION_META_KEY]: m } });
  const session = { sessionId, ...(state !== undefined && { state }) };
  const call = (id: number, name: string, extra: object, args: object = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...extra } });
  const messages: unknown[] = [
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 10, method: 'tools/list' },
    { jsonrpc: '2.0', id: 11, method: 'ping', params: meta(session) },
    { jsonrpc: '2.0', id: 12, method: 'resources/list' },
    { jsonrpc: '2.0', id: 13, method: 'prompts/list' },
    { jsonrpc: '2.0', id: 14, method: 'no/such/method' },
    { jsonrpc: '2.0', method: 'notifications/no-such' },
    call(15, 'probe', meta(session), { note: 'a' }),
    call(16, 'probe', meta({ sessionId })),
    call(17, 'probe', {}),
    call(18, 'probe', meta({ sessionId: 'sess-never-issued' })),
    call(19, 'probe', meta({ sessionId: 7 })),
    call(20, 'probe', meta(session), { note: 3 }),
    call(21, 'public', {}),
    call(22, 'no-such-tool', meta(session)),
    { jsonrpc: '2.0', id: 23, method: 'sessions/create', params: meta(session) },
    { jsonrpc: '2.0', id: 24, method: 'sessions/delete', params: meta({ sessionId }) },
    { jsonrpc: '2.0', id: 25, method: 'sessions/delete', params: meta({ sessionId }) },
    { jsonrpc: '2.0', id: 26, method: 'sessions/delete', params: {} },
    { jsonrpc: '2.0', id: 'string-id', method: 'ping' },
  ];
  return messages.map((m) => JSON.stringify(m));
}

/** Answered with id null (-32700, -32600): sent one at a time, after the rest. */
const UNPARSEABLE = ['{not json', '[]'];

/** One throwaway server under `draft` through a whole exchange; resolves once it is closed. */
async function exercise(draft: Draft, rounds: number): Promise<void> {
  const input = new PassThrough();
  const waiting = new Map<unknown, (message: any) => void>();
  let minted = 0;
  const built = createSessionServer(spec, {
    draft,
    overrides: { mintSessionId: () => `sess-warm-up-${++minted}` },
    io: {
      input,
      writeLine: (line) => {
        const message = JSON.parse(line);
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      },
    },
  });
  await built.server.connect(built.transport);
  const ask = (id: unknown, line: string) =>
    new Promise<any>((resolve) => {
      waiting.set(id, resolve);
      input.write(`${line}\n`);
    });
  const request = (id: number, method: string, params?: object) => ask(id, JSON.stringify({ jsonrpc: '2.0', id, method, ...(params && { params }) }));
  await request(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'warm-up', version: '0' } });
  for (let round = 0; round < rounds; round++) {
    const created = await request(2, 'sessions/create', {});
    const { sessionId, state } = created.result?.session ?? {};
    const lines = script(sessionId, state);
    // A notification is never answered; every request is, with an error or a result.
    const answered = lines.map((line) => {
      const id: unknown = JSON.parse(line).id;
      return id === undefined ? (input.write(`${line}\n`), undefined) : ask(id, line);
    });
    await Promise.all(answered);
    for (const line of UNPARSEABLE) await ask(null, line);
  }
  input.end();
  await built.server.close();
}

/** Warms the shared code under both drafts; if it rejects, the build makes no snapshot (see the script). */
export async function warmUp(rounds = 20): Promise<void> {
  for (const draft of ['2026-02-27', '2026-03-13'] as const) await exercise(draft, rounds);
}
