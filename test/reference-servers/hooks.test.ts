// The override hooks that broken variants use, exercised in-process (PassThrough stdin, captured
// lines): each override changes exactly the behaviour it names and nothing else.

import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionServer, type BehaviourOverrides, type ServerSpec } from '../../reference-servers/session-base.js';
import { sessionServer } from '../../reference-servers/session_server.js';
import { selectiveSessionServer } from '../../reference-servers/selective_session_server.js';
import { KEY } from './raw-client.js';

type Message = Record<string, any>;
/** Parsed message, or nothing for a raw (non-JSON) line a hook wrote. */
const parseOrSkip = (line: string): Message[] => {
  try {
    return [JSON.parse(line) as Message];
  } catch {
    return [];
  }
};
const running: PassThrough[] = [];
afterEach(() => running.splice(0).forEach((input) => input.end()));

async function inProcess<D>(spec: ServerSpec<D>, overrides?: BehaviourOverrides<D>) {
  const input = new PassThrough();
  running.push(input);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  const { server, transport } = createSessionServer(spec, {
    overrides,
    io: { input, writeLine: (line) => (lines.push(line), waiters.splice(0).forEach((w) => w())) },
  });
  await server.connect(transport);
  let nextId = 1;
  const waitFor = async (match: (m: Message) => boolean): Promise<Message> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = lines.flatMap(parseOrSkip).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching line; got ${lines.join('')}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100); // re-check against the deadline even if nothing arrives
      });
    }
  };
  const request = (method: string, params?: unknown) => {
    const id = nextId++;
    input.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    return waitFor((m) => m.id === id);
  };
  return { input, lines, request, waitFor };
}

describe('override hooks', () => {
  it('onUnknownSession can answer the originals\' isError result instead of -32043', async () => {
    const s = await inProcess(sessionServer, {
      onUnknownSession: () => ({ text: 'Error executing tool session_probe: Session not found', isError: true }),
    });
    const response = await s.request('tools/call', { name: 'session_probe', arguments: {}, _meta: { [KEY]: { sessionId: 'sess-x' } } });
    expect(response.result).toEqual({ content: [{ type: 'text', text: 'Error executing tool session_probe: Session not found' }], isError: true });
    const del = await s.request('sessions/delete', { _meta: { [KEY]: { sessionId: 'sess-x' } } });
    expect(del.result).toBeDefined(); // the same hook answers delete with a result too
  });

  it('buildEcho can rewrite the echoed id, reusing the default as base', async () => {
    const s = await inProcess(sessionServer, (base) => ({
      buildEcho: (session, ctx) => ({ ...base.buildEcho(session, ctx)!, sessionId: 'sess-rotated' }),
    }));
    const created = (await s.request('sessions/create')).result.session;
    const call = await s.request('tools/call', { name: 'session_probe', arguments: {}, _meta: { [KEY]: created } });
    expect(call.result._meta[KEY].sessionId).toBe('sess-rotated');
    expect(call.result._meta[KEY].state).toBeDefined();
  });

  it('mintSessionId and capabilities replace ids and the capability object', async () => {
    let n = 0;
    const s = await inProcess(sessionServer, { mintSessionId: () => `sess-${++n}`, capabilities: { tools: {} } });
    const init = await s.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } });
    expect(init.result.capabilities).toEqual({ tools: {} });
    expect((await s.request('sessions/create')).result.session.sessionId).toBe('sess-1');
    expect((await s.request('sessions/create')).result.session.sessionId).toBe('sess-2');
  });

  it('sessionMethods: false makes sessions/create a -32601', async () => {
    const s = await inProcess(sessionServer, { sessionMethods: false });
    expect((await s.request('sessions/create')).error.code).toBe(-32601);
  });

  it('transformOutgoing can drop the -32700 answer; transformIncoming can answer a notification', async () => {
    const s = await inProcess(selectiveSessionServer, {
      transformOutgoing: (m) => (m.error?.code === -32700 ? null : m),
      transformIncoming: (m, wire) => {
        if (m.method === 'notifications/initialized') wire.emit({ jsonrpc: '2.0', id: null, result: {} });
        return m;
      },
    });
    s.input.write('garbage\n');
    s.input.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    expect(await s.request('ping')).toMatchObject({ result: {} });
    const parsed = s.lines.map((l) => JSON.parse(l) as Message);
    expect(parsed.some((m) => m.error?.code === -32700)).toBe(false);
    expect(parsed.some((m) => m.id === null && 'result' in m)).toBe(true);
  });

  it('transformOutgoing can write a raw non-JSON line', async () => {
    const s = await inProcess(sessionServer, { transformOutgoing: (m) => ['log: hello', m] });
    expect(await s.request('ping')).toMatchObject({ id: 1, result: {} });
    expect(s.lines).toEqual(['log: hello\n', '{"result":{},"jsonrpc":"2.0","id":1}\n']);
  });
});
