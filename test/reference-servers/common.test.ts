// Behaviour every reference server shares: lifecycle, the session methods, session errors and
// the fixed base-protocol deviations of the originals.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, echo, EXPIRES_AT, KEY, RawClient, SESSION_ID } from './raw-client.js';
import { CAPABILITIES, PROBES } from './probes.js';

const pool = new ClientPool();
afterEach(() => pool.closeAll());

describe.each(PROBES)('$server', (probe) => {
  // One process serves the tests that cannot disturb each other (each uses its own sessions).
  const sharedPool = new ClientPool();
  let shared: RawClient;
  beforeAll(async () => {
    shared = await sharedPool.start(probe.server);
  });
  afterAll(() => sharedPool.closeAll());

  it('initializes with the exact capability object and serverInfo; lists nothing else', async () => {
    const client = shared;
    const init = client.initResponse!;
    expect(init.result).toEqual({
      protocolVersion: '2025-11-25',
      capabilities: CAPABILITIES,
      serverInfo: { name: probe.serverInfoName, version: '1.26.0' },
    });
    expect((await client.request('resources/list', {})).result).toEqual({ resources: [] });
    expect((await client.request('prompts/list', {})).result).toEqual({ prompts: [] });
  });

  it('creates sessions with 128-bit ids and a 30-minute expiry; delete, then -32043', async () => {
    const client = shared;
    const before = Date.now();
    const session = await client.createSession();
    expect(session.sessionId).toMatch(SESSION_ID);
    expect(session.expiresAt).toMatch(EXPIRES_AT);
    const ahead = Date.parse(session.expiresAt) - before;
    expect(ahead).toBeGreaterThan(29 * 60_000);
    expect(ahead).toBeLessThanOrEqual(30 * 60_000 + 1000);
    expect('state' in session).toBe(probe.issuesState);

    const ok = await client.call(probe.tool, probe.args, session);
    expect(ok.result.isError).toBe(false);
    expect(echo(ok)!.sessionId).toBe(session.sessionId);

    const del = { _meta: { [KEY]: { sessionId: session.sessionId } } };
    expect(await client.request('sessions/delete', del)).toMatchObject({ result: {} });
    const again = await client.request('sessions/delete', del);
    expect(again.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: session.sessionId } });
    const after = await client.call(probe.tool, probe.args, { sessionId: session.sessionId });
    expect(after.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: session.sessionId } });
    expect(after.result).toBeUndefined();
  });

  it('mints distinct ids', async () => {
    const client = shared;
    const ids = await Promise.all(Array.from({ length: 40 }, () => client.createSession().then((s) => s.sessionId)));
    expect(new Set(ids).size).toBe(40);
  });

  it('answers an unknown id and a missing session with true -32043 errors (no isError result)', async () => {
    const client = shared;
    const unknown = await client.call(probe.tool, probe.args, { sessionId: 'sess-000000000000' });
    expect(unknown.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: 'sess-000000000000' } });
    const missing = await client.call(probe.tool, probe.args);
    expect(missing.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: '' } });
  });

  it('answers -32044 "Session required" under --draft 2026-03-13', async () => {
    const client = await pool.start(probe.server, ['--draft', '2026-03-13']);
    const missing = await client.call(probe.tool, probe.args);
    expect(missing.error).toEqual({ code: -32044, message: 'Session required' });
    const unknown = await client.call(probe.tool, probe.args, { sessionId: 'sess-nope' });
    expect(unknown.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: 'sess-nope' } });
  });

  it('rejects malformed session metadata on a session-only tool with a JSON-RPC error', async () => {
    const client = shared;
    const shapes: unknown[] = ['sess-abc', null, 42, [], {}, { state: 'x' }, { sessionId: 7 }, { sessionId: null }, { sessionId: {} }, { sessionId: '' }];
    for (const shape of shapes) {
      const response = await client.call(probe.tool, probe.args, shape);
      expect(response.result, JSON.stringify(shape)).toBeUndefined();
      expect(response.error.code, JSON.stringify(shape)).toBe(-32602);
    }
  });

  it('handles sessions/create variants as the original', async () => {
    const client = shared;
    for (const params of [undefined, {}, { _meta: { progressToken: 7 } }, { foo: 1 }, { _meta: { [KEY]: 'sess-abc' } }, { _meta: { [KEY]: null } }]) {
      const response = await client.request('sessions/create', params);
      expect(response.result?.session?.sessionId, JSON.stringify(params)).toMatch(SESSION_ID);
    }
    const live = await client.createSession();
    for (const sessionId of [live.sessionId, 'sess-client-chosen']) {
      const refused = await client.request('sessions/create', { _meta: { [KEY]: { sessionId } } });
      expect(refused.error).toEqual({ code: -32602, message: "sessions/create MUST NOT include _meta['io.modelcontextprotocol/session']" });
    }
  });

  it('answers sessions/delete without a session with -32043 and an empty sessionId', async () => {
    const client = shared;
    const expected = { code: -32043, message: 'Session not found', data: { sessionId: '' } };
    expect((await client.request('sessions/delete', {})).error).toEqual(expected);
    expect((await client.request('sessions/delete')).error).toEqual(expected);
  });

  it('ignores session metadata on tools/list, ping and resources/list, even an unknown id', async () => {
    const client = shared;
    const plain = await client.request('tools/list', {});
    const meta = { _meta: { [KEY]: { sessionId: 'sess-000000000000' } } };
    expect((await client.request('tools/list', meta)).result).toEqual(plain.result);
    expect((await client.request('ping', meta)).result).toEqual({});
    expect((await client.request('resources/list', meta)).result).toEqual({ resources: [] });
  });
});

describe('base protocol (session_server stands for all: one shared wire module)', () => {
  const sharedPool = new ClientPool();
  let shared: RawClient;
  beforeAll(async () => {
    shared = await sharedPool.start('session_server');
  });
  afterAll(() => sharedPool.closeAll());

  it('echoes the four known versions and answers 2025-11-25 to anything else', async () => {
    const client = await pool.start('session_server', [], false);
    for (const version of ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25']) {
      expect((await client.initialize(version)).result.protocolVersion).toBe(version);
    }
    for (const version of ['2024-10-07', '2026-07-28', 'DRAFT-2026-v1']) {
      expect((await client.initialize(version)).result.protocolVersion).toBe('2025-11-25');
    }
  });

  it('answers unknown methods with -32601', async () => {
    const client = shared;
    for (const method of ['foo/bar', 'sessions/list']) {
      const response = await client.request(method, {});
      expect(response.error).toEqual({ code: -32601, message: 'Method not found' });
    }
  });

  it('answers an unparseable line with -32700 and id null, and keeps serving', async () => {
    const client = shared;
    client.sendRaw('{"jsonrpc":"2.0","id":2,"method":');
    const parse = await client.waitFor((m) => m.error?.code === -32700, '-32700');
    expect(parse).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    expect((await client.request('ping', {}, 'after-garbage')).result).toEqual({});
  });

  it('answers valid JSON that is no JSON-RPC message with -32600', async () => {
    const client = shared;
    client.sendRaw('[1,2]');
    expect((await client.waitFor((m) => m.error?.code === -32600)).id).toBeNull();
    client.send({ jsonrpc: '1.0', id: 77, method: 'ping' });
    expect(await client.waitFor((m) => m.id === 77)).toMatchObject({ error: { code: -32600 } });
    expect((await client.request('ping')).result).toEqual({});
  });

  it('keeps the id type: a string id is answered with the same string', async () => {
    const client = shared;
    const response = await client.request('sessions/create', undefined, 'abc');
    expect(response.id).toBe('abc');
  });

  it('never answers notifications, known or unknown', async () => {
    const client = shared;
    await client.request('ping', {}, 'fence-before');
    const seen = client.received.length;
    client.notify('notifications/initialized');
    client.notify('notifications/no-such-thing', {});
    client.notify('sessions/create');
    await client.request('ping', {}, 'fence-after');
    expect(client.received.slice(seen)).toEqual([{ jsonrpc: '2.0', id: 'fence-after', result: {} }]);
  });

  it('answers a request sent before initialize (no crash, one response)', async () => {
    const client = await pool.start('session_server', [], false);
    const early = await client.request('sessions/create');
    expect(early.result?.session?.sessionId ?? early.error?.code).toBeDefined();
    expect((await client.request('ping')).result).toEqual({});
  });

  it('exits when stdin ends', async () => {
    const client = await pool.start('session_server');
    client.child.stdin.end();
    expect(await client.exited).toBe(0);
  });
});
