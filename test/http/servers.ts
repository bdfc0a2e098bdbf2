// Small Streamable HTTP servers for the HTTP tests: node:http on 127.0.0.1, port 0 (the kernel
// picks), a minimal MCP answer for the common methods, and a hook per test for the behaviour
// under test. Every request they receive is recorded (method, headers, body).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
  message?: any;
}

/** Return true when the hook answered the request itself. */
export type Hook = (message: any, res: ServerResponse, req: IncomingMessage, seen: Received) => boolean | void;

export interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export function mcpResult(message: any): any {
  if (message.method === 'initialize') {
    return { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'http-test', version: '1.0.0' } };
  }
  if (message.method === 'tools/list') return { tools: [] };
  return {};
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function sseEvent(message: unknown): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

/** A server answering every request as JSON, notifications and responses with 202, unless `hook` answered. */
export async function startServer(hook: Hook = () => false, opts: { sessionId?: string } = {}): Promise<TestServer> {
  const received: Received[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let message: any;
      try {
        message = JSON.parse(body);
      } catch {
        message = undefined;
      }
      const seen: Received = { method: req.method ?? '', headers: req.headers, body, message };
      received.push(seen);
      if (hook(message, res, req, seen)) return;
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      if (req.method === 'GET') return void res.writeHead(405).end();
      if (message === undefined) return sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      if (message.id === undefined || message.method === undefined) return void res.writeHead(202).end();
      const headers: Record<string, string> = message.method === 'initialize' && opts.sessionId ? { 'mcp-session-id': opts.sessionId } : {};
      sendJson(res, 200, { jsonrpc: '2.0', id: message.id, result: mcpResult(message) }, headers);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
