// The Streamable HTTP transport against small servers written here (node:http, 127.0.0.1, port
// 0): the lifecycle headers, JSON and SSE answers, D25's header, and hostile answers that must
// each end as a verdict within their bound — never a hang.
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ServerResponse } from 'node:http';
import { connect, type Connection } from '../../harness/mcp.js';
import { isLoopback } from '../../harness/http/resend.js';
import { Transcript } from '../../harness/transcript.js';
import { PROFILE } from '../harness/helpers.js';
import { sendJson, sseEvent, startServer, type Hook, type TestServer } from './servers.js';

const servers: TestServer[] = [];
const conns: Connection[] = [];
const timers: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(hook?: Hook, opts?: { sessionId?: string }): Promise<TestServer> {
  const server = await startServer(hook, opts);
  servers.push(server);
  return server;
}

async function connectHttp(server: TestServer, opts: { requestTimeout?: number; maxMessageBytes?: number } = {}) {
  const transcript = new Transcript();
  const result = await connect(
    { http: { url: server.url, headers: [['X-Api-Key', 'key-123']] }, startTimeout: 5000, requestTimeout: opts.requestTimeout ?? 5000, maxMessageBytes: opts.maxMessageBytes },
    { transcript, profile: PROFILE, conn: 1 },
  );
  if ('failed' in result) throw new Error(`did not connect: ${result.detail}`);
  conns.push(result);
  return { c: result, transcript };
}

const META = PROFILE.metaKey;
const openSse = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
};

describe('Streamable HTTP transport: the lifecycle', () => {
  test('POSTs each message with Accept for JSON and SSE; MCP-Protocol-Version and the transport session after initialize; 202 for notifications; DELETE at close', async () => {
    const server = await serve(undefined, { sessionId: 'transport-1' });
    const { c } = await connectHttp(server);
    const ping = await c.peer.request('ping', {});
    expect(ping.kind).toBe('result');
    const http = c.peer.http!;
    expect(http.transportSessionId()).toBe('transport-1');
    expect(http.protocolVersion()).toBe('2025-11-25');
    await vi.waitFor(() => expect(http.records.find((r) => r.method === 'GET')?.done).toBe(true), { timeout: 5000, interval: 20 });
    await c.close();

    const posts = server.received.filter((r) => r.method === 'POST');
    const [init, initialized, ...rest] = posts;
    expect(init!.message.method).toBe('initialize');
    expect(init!.headers.accept).toMatch(/application\/json/);
    expect(init!.headers.accept).toMatch(/text\/event-stream/);
    expect(init!.headers['content-type']).toBe('application/json');
    expect(init!.headers['mcp-session-id']).toBeUndefined();
    expect(init!.headers['mcp-protocol-version']).toBeUndefined();
    expect(init!.headers['x-api-key']).toBe('key-123');
    for (const later of [initialized!, ...rest]) {
      expect(later.headers['mcp-protocol-version']).toBe('2025-11-25');
      expect(later.headers['mcp-session-id']).toBe('transport-1');
    }
    expect(initialized!.message.method).toBe('notifications/initialized');
    expect(http.records.find((r) => r.rpcMethod === 'notifications/initialized')?.status).toBe(202);
    // The GET stream was asked for (this server answers 405: no stream, which is fine).
    const get = server.received.find((r) => r.method === 'GET');
    expect(get?.headers.accept).toBe('text/event-stream');
    const del = server.received.find((r) => r.method === 'DELETE');
    expect(del?.headers['mcp-session-id']).toBe('transport-1');
  });

  test('an SSE answer carrying a server request and a notification before the response: the peer answers the request by POST and gets its response', async () => {
    const server = await serve((message, res) => {
      if (message?.method !== 'tools/list') return false;
      openSse(res);
      res.write(sseEvent({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' }));
      res.write(sseEvent({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } }));
      res.end(sseEvent({ jsonrpc: '2.0', id: message.id, result: { tools: [] } }));
      return true;
    });
    const { c, transcript } = await connectHttp(server);
    const outcome = await c.peer.request('tools/list', {});
    expect(outcome.kind).toBe('result');
    expect(c.peer.notifications.map((n) => n.method)).toContain('notifications/message');
    await vi.waitFor(() => expect(server.received.some((r) => r.message?.id === 'srv-1' && 'result' in r.message)).toBe(true), { timeout: 5000, interval: 20 });
    const record = c.peer.http!.recordOf(outcome.id)!;
    expect(record.contentType).toMatch(/text\/event-stream/);
    expect(record.messages).toBe(3);
    const answered = transcript.entries.find((e) => e.dir === 'in' && (e.json as any)?.id === outcome.id);
    expect(answered?.http).toMatchObject({ via: 'sse', status: 200 });
  });

  test('an SSE stream closed before the response, its events carrying ids: resumed with GET and Last-Event-ID, the response arrives there', async () => {
    let pending: any;
    const server = await serve((message, res, req) => {
      if (message?.method === 'tools/list') {
        pending = message;
        openSse(res);
        // A priming event with an id and no data, then the server closes the stream (2025-11-25 polling).
        res.end('id: ev-1\nretry: 10\ndata:\n\n');
        return true;
      }
      if (req.method === 'GET' && req.headers['last-event-id'] === 'ev-1' && pending) {
        openSse(res);
        res.end(`id: ev-2\n${sseEvent({ jsonrpc: '2.0', id: pending.id, result: { tools: [] } })}`);
        return true;
      }
      return false;
    });
    const { c } = await connectHttp(server, { requestTimeout: 20_000 });
    const started = performance.now();
    const outcome = await c.peer.request('tools/list', {});
    expect(outcome.kind).toBe('result');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(server.received.some((r) => r.method === 'GET' && r.headers['last-event-id'] === 'ev-1')).toBe(true);
  });

  test('D25: without a transport session, a request carrying session metadata sends its sessionId as Mcp-Session-Id; one without carries none; an id that cannot be a header value is left out and noted', async () => {
    const server = await serve();
    const { c, transcript } = await connectHttp(server);
    const meta = (sessionId: string) => ({ _meta: { [META]: { sessionId } } });
    expect((await c.peer.request('tools/call', { name: 'x', arguments: {}, ...meta('sess-abc123') })).kind).toBe('result');
    expect((await c.peer.request('ping', {})).kind).toBe('result');
    expect((await c.peer.request('tools/call', { name: 'x', arguments: {}, ...meta('bad id') })).kind).toBe('result');
    const byMethod = server.received.filter((r) => r.method === 'POST' && r.message?.id !== undefined);
    const call = byMethod.find((r) => r.message.params?._meta?.[META]?.sessionId === 'sess-abc123');
    expect(call!.headers['mcp-session-id']).toBe('sess-abc123');
    expect(byMethod.find((r) => r.message.method === 'ping')!.headers['mcp-session-id']).toBeUndefined();
    const bad = byMethod.find((r) => r.message.params?._meta?.[META]?.sessionId === 'bad id');
    expect(bad!.headers['mcp-session-id']).toBeUndefined();
    expect(transcript.entries.some((e) => e.dir === 'event' && /cannot travel in an HTTP header/.test(e.text))).toBe(true);
  });
});

describe('Streamable HTTP transport: hostile answers end as verdicts within their bounds', () => {
  const hostile: { name: string; hook: Hook; detail: RegExp }[] = [
    { name: 'HTTP 500 with an HTML page', detail: /HTTP 500 with a body that is not JSON/, hook: (m, res) => m?.method === 'tools/list' && !!res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal error</body></html>') },
    { name: 'HTTP 404 with no body', detail: /HTTP 404 without a response/, hook: (m, res) => m?.method === 'tools/list' && !!res.writeHead(404).end() },
    { name: 'a redirect', detail: /redirected \(HTTP 307 to http:\/\/elsewhere\/mcp\)/, hook: (m, res) => m?.method === 'tools/list' && !!res.writeHead(307, { location: 'http://elsewhere/mcp' }).end() },
    {
      name: 'a connection closed mid-response',
      detail: /connection broke mid-response|no HTTP answer/,
      hook: (m, res) => {
        if (m?.method !== 'tools/list') return false;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"jsonrpc":"2.0","id":');
        setTimeout(() => res.socket?.destroy(), 20);
        return true;
      },
    },
    {
      name: 'an SSE stream that ends without the response',
      detail: /SSE stream ended before the response/,
      hook: (m, res) => {
        if (m?.method !== 'tools/list') return false;
        openSse(res);
        res.end(sseEvent({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'bye' } }));
        return true;
      },
    },
  ];

  test.each(hostile)('$name: the request ends at once, saying what happened', async ({ hook, detail }) => {
    const server = await serve(hook);
    const { c, transcript } = await connectHttp(server, { requestTimeout: 20_000 });
    const started = performance.now();
    const outcome = await c.peer.request('tools/list', {});
    expect(performance.now() - started).toBeLessThan(5000);
    expect(outcome.kind).toBe('timeout');
    expect(outcome.kind === 'timeout' && outcome.noAnswer).toMatch(detail);
    expect(transcript.entries.some((e) => e.dir === 'event' && detail.test(e.text))).toBe(true);
    // The connection still serves the next request.
    expect((await c.peer.request('ping', {})).kind).toBe('result');
  });

  test('each exchange has a connection of its own, closed after its answer (Connection: close): no idle connection of the suite can hold up a server that serves one connection at a time', async () => {
    const ports: number[] = [];
    const server = await serve((_m, _res, req) => {
      ports.push(req.socket.remotePort!);
      return false;
    });
    const { c } = await connectHttp(server);
    for (let i = 0; i < 3; i++) expect((await c.peer.request('ping', {})).kind).toBe('result');
    const together = await Promise.all([1, 2, 3].map(() => c.peer.request('ping', {})));
    expect(together.map((o) => o.kind)).toEqual(['result', 'result', 'result']);
    const posts = server.received.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(8); // initialize, initialized, 6 pings
    expect(posts.filter((p) => p.headers.connection !== 'close')).toEqual([]);
    expect(ports.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ports).size).toBe(ports.length);
  });

  test('a connection per exchange on loopback addresses only (a launched server, a local one); a remote server keeps pooled connections', () => {
    for (const url of ['http://127.0.0.1:{port}/mcp', 'http://127.0.0.1:8080/mcp', 'http://127.1.2.3/mcp', 'http://localhost:3000/mcp', 'http://LOCALHOST/mcp', 'http://[::1]:3000/mcp', 'https://api.localhost/mcp']) {
      expect(isLoopback(url), url).toBe(true);
    }
    for (const url of ['https://mcp.example.com/mcp', 'http://10.0.0.5:3000/mcp', 'http://128.0.0.1/mcp', 'http://127.0.0.1.example.com/mcp', 'not a url']) {
      expect(isLoopback(url), url).toBe(false);
    }
  });

  test('a connection the server closes as a request goes out on it (as at its keep-alive timeout): the request is sent again and answered', async () => {
    // The race every client that keeps connections alive has (the server closes an idle
    // connection just as the client reuses it), and a reset of a new connection. Here the server
    // closes the connection the first ping arrived on, unanswered.
    let dropped = 0;
    const server = await serve((m, _res, req) => {
      if (m?.method !== 'ping' || dropped > 0) return false;
      dropped++;
      req.socket.destroy();
      return true;
    });
    const { c, transcript } = await connectHttp(server);
    const outcome = await c.peer.request('ping', {});
    expect(outcome.kind).toBe('result');
    expect(server.received.filter((r) => r.message?.method === 'ping')).toHaveLength(2);
    expect(transcript.entries.some((e) => e.dir === 'event' && /POST ping \(id .*\): the connection closed before any answer \([^)]*(ECONNRESET|EPIPE)\)?\); sending it again/.test(e.text))).toBe(true);
  });

  test('a server that drops every connection a request arrives on: sent 3 times, then reported with the first error', async () => {
    const server = await serve((m, _res, req) => m?.method === 'tools/list' && (req.socket.destroy(), true));
    const { c, transcript } = await connectHttp(server, { requestTimeout: 20_000 });
    const started = performance.now();
    const outcome = await c.peer.request('tools/list', {});
    expect(performance.now() - started).toBeLessThan(5000);
    expect(outcome.kind === 'timeout' && outcome.noAnswer).toMatch(/^no HTTP answer: [^()]*\(?(ECONNRESET|EPIPE)\)?$/);
    expect(server.received.filter((r) => r.message?.method === 'tools/list')).toHaveLength(3);
    expect(transcript.entries.some((e) => e.dir === 'event' && /POST tools\/list \(id .*\): sent 3 times, never answered/.test(e.text))).toBe(true);
    expect((await c.peer.request('ping', {})).kind).toBe('result');
  });

  test('a JSON-RPC error in an HTTP 400 body is the answer', async () => {
    const server = await serve((m, res) => m?.method === 'tools/list' && (sendJson(res, 400, { jsonrpc: '2.0', id: m.id, error: { code: -32602, message: 'bad' } }), true));
    const { c } = await connectHttp(server);
    const outcome = await c.peer.request('tools/list', {});
    expect(outcome.kind === 'error' && outcome.error.code).toBe(-32602);
  });

  const stalls: { name: string; hook: Hook }[] = [
    { name: 'a stalled SSE stream (headers, then nothing)', hook: (m, res) => m?.method === 'tools/list' && (openSse(res), true) },
    {
      name: 'a never-ending SSE stream (keep-alive comments forever, no response)',
      hook: (m, res) => {
        if (m?.method !== 'tools/list') return false;
        openSse(res);
        timers.push(setInterval(() => res.write(': keep-alive\n\n'), 10));
        return true;
      },
    },
  ];

  test.each(stalls)('$name: the request times out at its deadline and close() ends the stream', async ({ hook }) => {
    const server = await serve(hook);
    const { c } = await connectHttp(server);
    const outcome = await c.peer.request('tools/list', {}, { timeout: 300 });
    expect(outcome).toMatchObject({ kind: 'timeout', ms: 300 });
    const started = performance.now();
    await c.close();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  test('a 50 MB SSE event is cut at --max-message-bytes: an oversized-line violation, the request ends, the harness keeps at most the bound', async () => {
    const server = await serve((m, res) => {
      if (m?.method !== 'tools/list') return false;
      openSse(res);
      const chunk = 'x'.repeat(1024 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 50 && !res.destroyed) {
          sent++;
          if (!res.write(sent === 1 ? `data: {"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"result":{"pad":"${chunk}` : chunk)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end('"}}\n\n');
      };
      res.on('error', () => undefined);
      more();
      return true;
    });
    const { c, transcript } = await connectHttp(server, { requestTimeout: 20_000, maxMessageBytes: 1024 * 1024 });
    const started = performance.now();
    const outcome = await c.peer.request('tools/list', {});
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(outcome.kind).toBe('timeout');
    expect(outcome.kind === 'timeout' && outcome.noAnswer).toMatch(/grew past 1048576 bytes/);
    const oversized = transcript.violations.filter((v) => v.kind === 'oversized-line');
    expect(oversized.length).toBe(1);
    expect(c.peer.http!.recordOf(outcome.id)!.bodyBytes).toBeLessThan(4 * 1024 * 1024);
  });

  test('a 2 MB JSON body over a 1 MiB bound: an oversized-line violation, not a parse', async () => {
    const server = await serve((m, res) => m?.method === 'tools/list' && (sendJson(res, 200, { jsonrpc: '2.0', id: m.id, result: { pad: 'y'.repeat(2 * 1024 * 1024) } }), true));
    const { c, transcript } = await connectHttp(server, { requestTimeout: 20_000, maxMessageBytes: 1024 * 1024 });
    const outcome = await c.peer.request('tools/list', {});
    expect(outcome.kind).toBe('timeout');
    expect(transcript.violations.filter((v) => v.kind === 'oversized-line').length).toBe(1);
  });

  test('a server that is not listening: initialize fails at once with the reason, no hang', async () => {
    const server = await serve();
    await server.close();
    servers.length = 0;
    const started = performance.now();
    const result = await connect({ http: { url: server.url, headers: [] }, startTimeout: 20_000, requestTimeout: 5000 }, { transcript: new Transcript(), profile: PROFILE, conn: 1 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect('failed' in result && result.detail).toMatch(/no answer to initialize: no HTTP answer: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
  });
});
