// The suite's HTTP exchange (harness/http/request.ts, node:http instead of fetch()): what the
// transport relies on, against real servers on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { exchangeHttp } from '../../harness/http/request.js';
import { readBody } from '../../harness/http/read.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
}

const POST = (body: string, extra: Record<string, string> = {}) => ({ method: 'POST' as const, headers: { 'content-type': 'application/json', ...extra }, body });

describe('one HTTP exchange', () => {
  test('posts the body with its length, reads status, headers and body', async () => {
    const url = await serve((req, res) => {
      let got = '';
      req.on('data', (d) => (got += d));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'abc' });
        res.end(JSON.stringify({ got, length: req.headers['content-length'], connection: req.headers.connection }));
      });
    });
    const res = await exchangeHttp(url, POST('{"é":1}', { connection: 'close' }));
    expect([res.status, res.ok, res.headers.get('Content-Type'), res.headers.get('mcp-session-id'), res.headers.get('x-none')]).toEqual([200, true, 'application/json', 'abc', null]);
    expect(JSON.parse((await readBody(res.body, 1000)).text)).toEqual({ got: '{"é":1}', length: '8', connection: 'close' });
  });

  test('a redirect is not followed', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const res = await exchangeHttp(url, POST('{}'));
    expect([res.status, res.ok, res.headers.get('location')]).toEqual([307, false, '/elsewhere']);
    await res.body?.cancel();
  });

  test('nothing listening: rejects with the code', async () => {
    const url = await serve(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    await expect(exchangeHttp(url, POST('{}'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('the signal abandons an exchange waiting for its head, and a read in progress', async () => {
    const url = await serve((req, res) => {
      if (req.headers['x-head'] === 'yes') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
      }
    });
    const waiting = new AbortController();
    const head = exchangeHttp(url, { ...POST('{}'), signal: waiting.signal });
    setTimeout(() => waiting.abort(), 50);
    await expect(head).rejects.toMatchObject({ name: 'AbortError' });
    const reading = new AbortController();
    const res = await exchangeHttp(url, { ...POST('{}', { 'x-head': 'yes' }), signal: reading.signal });
    const read = readBody(res.body, 1000);
    setTimeout(() => reading.abort(), 50);
    expect((await read).error).toBe('the exchange was abandoned (deadline or shutdown)');
  });

  test('a connection reset after the head, before the body is read, is no uncaught error: the read reports it', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const res = await exchangeHttp(url, POST('{}'));
    await new Promise((r) => setTimeout(r, 200)); // the reset happens while nobody reads
    const read = await readBody(res.body, 1000);
    expect(read.error ?? 'ended').toMatch(/aborted|ECONNRESET|ended/);
  });
});
