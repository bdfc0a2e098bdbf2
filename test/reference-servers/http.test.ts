// Every reference server over Streamable HTTP (`--transport http --port N`): the same data-layer
// sessions as over stdio, the D25 header mirror, 202 for notifications, 405 for GET/DELETE
// without transport sessions, the SDK's own HTTP client, and a clean exit on SIGTERM. The
// transport-session variant refuses requests without its transport session (400) or with an
// unknown one (404). Real child processes, real sockets.
import { execFile } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpServer } from './http-server.js';
import { PROBES, CAPABILITIES } from './probes.js';
import { KEY, serverFile } from './raw-client.js';

const running: HttpServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    const exit = await server.stop();
    // SIGTERM is the ordinary way to stop an HTTP server: it closes and exits 0.
    expect(exit, server.stderr.join('')).toEqual({ code: 0, signal: null });
  }
});

function start(name: string, args: string[] = []): HttpServer {
  const server = new HttpServer(name, args);
  running.push(server);
  return server;
}

const inSession = (sessionId: string, state?: string) => ({ _meta: { [KEY]: { sessionId, ...(state !== undefined && { state }) } } });

describe.each(PROBES)('$server over Streamable HTTP', (probe) => {
  it('serves initialize, sessions and a tool call as JSON, mirroring the sessionId in Mcp-Session-Id', async () => {
    const server = start(probe.server);
    const init = await server.initialize();
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toMatch(/^application\/json/);
    expect(init.json.result.capabilities).toEqual(CAPABILITIES);
    expect(init.json.result.serverInfo.name).toBe(probe.serverInfoName);
    expect(init.headers.get('mcp-session-id'), 'no transport session is issued').toBeNull();

    const initialized = await server.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-protocol-version': '2025-11-25' });
    expect(initialized).toMatchObject({ status: 202, text: '' });

    const created = await server.request('sessions/create');
    const session = created.json.result.session;
    expect(session.sessionId).toMatch(/^sess-[0-9a-f]{32}$/);
    expect(created.headers.get('mcp-session-id')).toBe(session.sessionId);

    const call = await server.request('tools/call', { name: probe.tool, arguments: probe.args, ...inSession(session.sessionId, session.state) }, { 'mcp-session-id': session.sessionId });
    expect(call.status).toBe(200);
    expect(call.json.result.isError).toBe(false);
    expect(call.json.result._meta[KEY].sessionId).toBe(session.sessionId);
    expect(call.headers.get('mcp-session-id')).toBe(session.sessionId);
    expect(typeof call.json.result._meta[KEY].state === 'string').toBe(probe.issuesState);

    // The session lives in the process, not in a connection: a second session is separate.
    const other = (await server.request('sessions/create')).json.result.session;
    expect(other.sessionId).not.toBe(session.sessionId);

    // No session metadata in the answer, no header.
    const listed = await server.request('tools/list');
    expect(listed.json.result.tools.length).toBeGreaterThan(0);
    expect(listed.headers.get('mcp-session-id')).toBeNull();

    const unknown = await server.request('tools/call', { name: probe.tool, arguments: probe.args, ...inSession('sess-unknown') }, { 'mcp-session-id': 'sess-unknown' });
    expect(unknown.json.error).toEqual({ code: -32043, message: 'Session not found', data: { sessionId: 'sess-unknown' } });
    expect(unknown.headers.get('mcp-session-id')).toBeNull();

    const deleted = await server.request('sessions/delete', inSession(session.sessionId), { 'mcp-session-id': session.sessionId });
    expect(deleted.json.result).toEqual({});
    const after = await server.request('tools/call', { name: probe.tool, arguments: probe.args, ...inSession(session.sessionId) });
    expect(after.json.error.code).toBe(-32043);
  });
});

describe('HTTP details of a reference server', () => {
  it('answers GET and DELETE with 405, other paths with 404, bad JSON with -32700', async () => {
    const server = start('session_server');
    const url = await server.url;
    const get = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    await get.text();
    const del = await fetch(url, { method: 'DELETE' });
    expect(del.status).toBe(405);
    await del.text();
    const elsewhere = await fetch(url.replace(/\/mcp$/, '/other'), { method: 'POST', body: '{}' });
    expect(elsewhere.status).toBe(404);
    await elsewhere.text();
    const garbage = await server.post('{not json');
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.code).toBe(-32700);
  });

  it('keeps --draft over HTTP: 2026-03-13 answers a missing session with -32044', async () => {
    const server = start('session_server', ['--draft', '2026-03-13']);
    await server.initialize();
    const call = await server.request('tools/call', { name: 'session_probe', arguments: {} });
    expect(call.json.error).toEqual({ code: -32044, message: 'Session required' });
  });

  it('serves the SDK Client over its StreamableHTTPClientTransport', async () => {
    const server = start('session_required_server');
    const client = new Client({ name: 'interop-http', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(await server.url)));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['echo', 'whoami']);
    const created = await client.request({ method: 'sessions/create' }, z.looseObject({ session: z.looseObject({ sessionId: z.string() }) }));
    const result = await client.callTool({ name: 'echo', arguments: { text: 'over http' }, _meta: { [KEY]: { sessionId: created.session.sessionId } } });
    expect(result.content).toEqual([{ type: 'text', text: 'over http' }]);
    await client.close();
  });

  it('refuses a --port without --transport http, and a bad port', async () => {
    const cases = [['--port', '1234'], ['--transport', 'http'], ['--transport', 'http', '--port', 'x']];
    const runs = await Promise.all(
      cases.map(
        (args) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            execFile(process.execPath, [serverFile('session_server'), ...args], { timeout: 15_000 }, (error, _out, stderr) =>
              resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
            );
          }),
      ),
    );
    runs.forEach((run, i) => {
      expect(run.code, cases[i]!.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/usage:/);
    });
  });
});

describe('the transport-session variant (SDK stateful mode)', () => {
  it('issues Mcp-Session-Id at initialize, requires it (400 without, 404 unknown) and ends it on DELETE', async () => {
    const server = start('variants/transport-session-server');
    const init = await server.initialize();
    const transportSession = init.headers.get('mcp-session-id');
    expect(transportSession).toMatch(/^[0-9a-f-]{36}$/);
    const withIt = { 'mcp-session-id': transportSession! };
    expect((await server.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { ...withIt, 'mcp-protocol-version': '2025-11-25' })).status).toBe(202);

    const created = await server.request('sessions/create', undefined, withIt);
    const session = created.json.result.session;
    // The header names the transport session; the data-layer id is not mirrored over it (D25).
    expect(created.headers.get('mcp-session-id')).toBe(transportSession);
    const call = await server.request('tools/call', { name: 'session_probe', arguments: {}, ...inSession(session.sessionId) }, withIt);
    expect(call.json.result._meta[KEY].sessionId).toBe(session.sessionId);

    const without = await server.request('ping');
    expect(without.status).toBe(400);
    expect(without.json.result).toBeUndefined();
    const unknown = await server.request('ping', undefined, { 'mcp-session-id': 'not-issued' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.result).toBeUndefined();

    const url = await server.url;
    const ended = await fetch(url, { method: 'DELETE', headers: { ...withIt, 'mcp-protocol-version': '2025-11-25' } });
    expect(ended.status).toBe(200);
    expect((await server.request('ping', undefined, withIt)).status).toBe(404);
  });
});
