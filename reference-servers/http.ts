// Streamable HTTP (MCP 2025-11-25) for the reference servers: `--transport http --port N` serves
// `http://127.0.0.1:N/mcp` with the SDK's StreamableHTTPServerTransport.
//
// - Stateless by default: no transport session (`sessionIdGenerator: undefined`). The SDK's
//   stateless transport serves one HTTP request only, so each POST gets a fresh SDK `Server` and
//   transport; the data-layer sessions live in the one runtime they all share (same behaviour
//   code as over stdio).
// - JSON responses (`enableJsonResponse`): the whole answer is known before the headers go out,
//   which lets a response carrying session metadata mirror its sessionId in `Mcp-Session-Id`
//   (decision D25). Notifications and responses the client posts get 202 (the SDK's answer).
// - GET → 405 (no server-initiated stream is offered); DELETE → 405 without transport sessions.
// - `transportSessions: 'enforce'` issues a 2025-11-25 transport session at initialize (the SDK's
//   stateful mode) and refuses requests without it (400) or with an unknown one (404); the mirror
//   is then off, as D25 says. `'ignore'` issues one and serves requests without it or with an
//   unknown one (a defect).

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { SESSION_META_KEY } from './session-meta.js';

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** One POST as the hooks see it. */
export interface HttpExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The parsed body: one JSON-RPC message (or a batch, or whatever JSON the client sent). */
  body: unknown;
}

/** HTTP-level behaviour; the defaults conform. Broken variants override one (see README.md). */
export interface HttpHooks {
  /** Transport sessions: none (default), issued and required, or issued and not required. */
  transportSessions?: 'none' | 'enforce' | 'ignore';
  /** The `Mcp-Session-Id` for a response carrying data-layer session `sessionId`; undefined: none. */
  mirror?: (sessionId: string) => string | undefined;
  /** Answers a POST whose body is not JSON (default: 400 with -32700 and id null). */
  unparseable?: (res: ServerResponse) => void;
  /** Sees every parsed POST first; returns true when it answered the request itself. */
  intercept?: (exchange: HttpExchange) => boolean;
  /** Last word on the status line's headers of every SDK-written response. */
  headers?: (status: number, headers: OutgoingHttpHeaders, exchange: HttpExchange) => OutgoingHttpHeaders;
  /**
   * 'one-at-a-time': serves one TCP connection until the client closes it (kept alive, no idle
   * timeout), the next waits unread: a one-threaded HTTP/1.1 server (HTTP-CONN-1).
   */
  connections?: 'concurrent' | 'one-at-a-time';
}

/** The data-layer sessionId a response carries: `result._meta[key]`, or a create's `result.session`. */
export function sessionIdOf(message: unknown): string | undefined {
  const result = (message as { result?: any } | null)?.result;
  if (result === null || typeof result !== 'object') return undefined;
  const meta = result._meta?.[SESSION_META_KEY] ?? result.session;
  return typeof meta?.sessionId === 'string' ? meta.sessionId : undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers?: OutgoingHttpHeaders): void {
  sendJson(res, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}

type Body = { ok: true; value: unknown } | { ok: false; status: number; code: number; message: string };

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, code: -32600, message: 'Request body too large' };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error' };
  }
}

const isInitialize = (body: unknown): boolean =>
  (Array.isArray(body) ? body : [body]).some((m) => (m as { method?: unknown } | null)?.method === 'initialize');

/** Lets `headers` (and the mirror) change what the SDK writes: it writes through `writeHead`. */
function finishHeaders(exchange: HttpExchange, hooks: HttpHooks, mirrored: () => string | undefined): void {
  const { res } = exchange;
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const given = (typeof rest[0] === 'string' ? rest[1] : rest[0]) as OutgoingHttpHeaders | undefined;
    let headers: OutgoingHttpHeaders = { ...given };
    const mirror = mirrored();
    if (mirror !== undefined) headers['mcp-session-id'] = mirror;
    if (hooks.headers) headers = hooks.headers(status, headers, exchange);
    return writeHead(status, headers);
  }) as typeof res.writeHead;
}

export interface HttpServing {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `makeServer()` instances over Streamable HTTP on 127.0.0.1:`port` (0: any free port).
 * `makeServer` builds an SDK Server on the shared runtime, not yet connected.
 */
export async function serveHttp(makeServer: () => Server, port: number, hooks: HttpHooks = {}): Promise<HttpServing> {
  const mode = hooks.transportSessions ?? 'none';
  const mirrorOf = hooks.mirror ?? ((sessionId: string) => sessionId);
  const live = new Map<string, StreamableHTTPServerTransport>();

  /** A stateless transport for this one request; its Server and transport end with the response. */
  async function oneShot(exchange: HttpExchange): Promise<void> {
    let carried: string | undefined;
    finishHeaders(exchange, hooks, () => (mode === 'none' && carried !== undefined ? mirrorOf(carried) : undefined));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const send = transport.send.bind(transport);
    transport.send = (message: JSONRPCMessage, options?: Parameters<typeof send>[1]) => {
      carried ??= sessionIdOf(message);
      return send(message, options);
    };
    const server = makeServer();
    await server.connect(transport);
    exchange.res.on('close', () => void server.close());
    await transport.handleRequest(exchange.req, exchange.res, exchange.body);
  }

  /** A transport session's own transport (the SDK's stateful mode), created at initialize. */
  async function stateful(exchange: HttpExchange): Promise<void> {
    finishHeaders(exchange, hooks, () => undefined);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => void live.set(id, transport),
      onsessionclosed: (id) => void live.delete(id),
    });
    await makeServer().connect(transport);
    await transport.handleRequest(exchange.req, exchange.res, exchange.body);
  }

  async function onPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (!body.ok && body.code === -32700 && hooks.unparseable) return hooks.unparseable(res);
    if (!body.ok) return rpcError(res, body.status, body.code, body.message);
    const exchange: HttpExchange = { req, res, body: body.value };
    if (hooks.intercept?.(exchange)) return;
    if (mode === 'none') return oneShot(exchange);
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const transport = live.get(id);
      if (!transport) return mode === 'ignore' ? oneShot(exchange) : rpcError(res, 404, -32001, 'Session not found');
      finishHeaders(exchange, hooks, () => undefined);
      return transport.handleRequest(req, res, body.value);
    }
    if (isInitialize(body.value)) return stateful(exchange);
    if (mode === 'ignore') return oneShot(exchange);
    return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
  }

  async function onDelete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = req.headers['mcp-session-id'];
    const transport = typeof id === 'string' ? live.get(id) : undefined;
    if (mode === 'none') return rpcError(res, 405, -32000, 'Method not allowed: no transport session', { Allow: 'POST' });
    if (!transport) return rpcError(res, typeof id === 'string' ? 404 : 400, -32000, 'Unknown or missing Mcp-Session-Id');
    return transport.handleRequest(req, res);
  }

  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const handled =
      path !== MCP_PATH
        ? Promise.resolve(rpcError(res, 404, -32000, `Not found: ${path} (the MCP endpoint is ${MCP_PATH})`))
        : req.method === 'POST'
          ? onPost(req, res)
          : req.method === 'DELETE'
            ? onDelete(req, res)
            : Promise.resolve(rpcError(res, 405, -32000, 'Method not allowed', { Allow: mode === 'none' ? 'POST' : 'POST, DELETE' }));
    handled.catch((error: Error) => {
      process.stderr.write(`[http] ${error.stack ?? error.message}\n`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
      else res.destroy();
    });
  });

  // One connection at a time: the listening socket is a TCP server whose connections wait unread
  // (pauseOnConnect) until the one being served closes; then the next is handed to `http`.
  let listener: TcpServer = http;
  const waiting: Socket[] = [];
  if (hooks.connections === 'one-at-a-time') {
    http.keepAliveTimeout = 0; // an idle connection stays open until the client closes it
    let serving: Socket | undefined;
    const next = () => {
      if (serving || waiting.length === 0) return;
      const socket = waiting.shift()!;
      serving = socket;
      socket.once('close', () => {
        serving = undefined;
        next();
      });
      http.emit('connection', socket);
      socket.resume();
    };
    listener = createTcpServer({ pauseOnConnect: true }, (socket) => {
      waiting.push(socket);
      next();
    });
  }

  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => resolve());
  });
  const address = listener.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}${MCP_PATH}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const transport of live.values()) void transport.close();
        for (const socket of waiting.splice(0)) socket.destroy();
        listener.close(() => resolve());
        if (listener !== http) http.close();
        http.closeAllConnections();
      }),
  };
}
