// Connections (MCP 2025-11-25 §Streamable HTTP; RFC 9112 §9.3): an HTTP/1.1 client keeps its
// connections open between requests by default, and an MCP client may hold several at once
// (POSTs beside a GET stream, requests in flight together). A server that serves one connection
// at a time (Python's one-threaded `http.server` with HTTP/1.1 is the common case) keeps every
// other client waiting while one client's connection sits idle: the SDK clients' connection
// pools stall for their keep-alive timeout, or for ever. The suite itself closes each connection
// after its answer (harness/http/transport.ts), so such a server is judged on everything else;
// this check alone holds a connection open, to say so.
import { Agent, request, type IncomingMessage } from 'node:http';
import { Agent as TlsAgent, request as tlsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { within } from '../../harness/process-groups.js';
import { defineCheck, fail, skip, untestable } from '../check.js';
import { endpointOf, requireHttp } from './common.js';

const BODY_CAP = 4096;

interface KeptAnswer {
  status: number;
  body: string;
  socket: Socket;
}

/** Why the exchange on the kept-alive connection did not end; `status` once the answer had begun. */
class Unfinished extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/**
 * One POST on `agent`'s connection, read to its end within `ms` (a deadline on the whole
 * exchange: an SSE stream that sends comments for ever never goes idle); the connection stays
 * open if the server keeps it.
 */
function postKeepingConnection(url: string, headers: Record<string, string>, body: string, agent: Agent, ms: number): Promise<KeptAnswer> {
  return new Promise((resolve, reject) => {
    const send = new URL(url).protocol === 'https:' ? tlsRequest : request;
    const req = send(url, { method: 'POST', headers: { ...headers, connection: 'keep-alive' }, agent });
    let status: number | undefined;
    const timer = setTimeout(() => req.destroy(new Unfinished(status === undefined ? `no answer within ${ms} ms` : `HTTP ${status}, but its body did not end within ${ms} ms`, status)), ms);
    const settle = <T>(done: (value: T) => void) => (value: T) => {
      clearTimeout(timer);
      done(value);
    };
    const failed = settle((err: Error) => reject(err instanceof Unfinished ? err : new Unfinished(err.message, status)));
    req.on('error', failed);
    // The response lets go of its socket at its end (back to the agent, if kept): hold it here.
    let socket: Socket | undefined;
    req.on('socket', (s: Socket) => (socket = s));
    req.on('response', (res: IncomingMessage) => {
      status = res.statusCode;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < BODY_CAP) text += chunk.slice(0, BODY_CAP - text.length);
      });
      res.on('error', failed);
      res.on('end', settle(() => resolve({ status: res.statusCode ?? 0, body: text, socket: socket! })));
    });
    req.end(body);
  });
}

export const HTTP_CONN_1 = defineCheck({
  id: 'HTTP-CONN-1',
  title: 'a request on a second connection is answered while the client keeps its first connection open and idle',
  section: 'http',
  spec: 'MCP 2025-11-25 basic/transports §Streamable HTTP (a client may hold several connections at once: POSTs beside a GET stream, several SSE streams); RFC 9112 §9.3 (HTTP/1.1 connections persist by default). Serving one connection at a time breaks no MUST of the draft: a SHOULD, so a warning',
  how: 'over Streamable HTTP, after every other check (so holding a connection open disturbs none of them): POSTs a ping on a kept-alive connection and leaves that connection open and idle, then POSTs a ping on a second connection, which must be answered within --timeout while the first is still open; if it is not, closes the first and watches whether the answer follows. Skipped when the server closes the first connection itself (HTTP/1.0, Connection: close)',
  // Runs alone, after every active check (runner: observers one at a time): over --url every
  // check talks to this one server, and a connection held open here must not hold up theirs.
  phase: 'observe',
  async run(ctx) {
    requireHttp(ctx);
    const client = await ctx.client();
    const http = endpointOf(client);
    const ping = (suffix: string) => ({ jsonrpc: '2.0', id: `${client.peer.idPrefix}-conn-${suffix}`, method: 'ping', params: {} });
    const agent = new (new URL(http.url).protocol === 'https:' ? TlsAgent : Agent)({ keepAlive: true, maxSockets: 1 });
    try {
      const firstMessage = ping('first');
      ctx.note(`POST on a kept-alive connection (Connection: keep-alive): ${JSON.stringify(firstMessage)}`);
      let first: KeptAnswer;
      try {
        first = await postKeepingConnection(http.url, http.headersFor(firstMessage), JSON.stringify(firstMessage), agent, ctx.requestTimeout);
      } catch (err) {
        // An answer that began but never ended (an SSE stream left open) leaves no connection
        // idle to judge with: nothing to judge. No answer at all: could not test.
        if (err instanceof Unfinished && err.status !== undefined) skip(`not judged: the answer on the kept-alive connection never ended (${err.message}), so no connection could be left idle`);
        untestable(`the ping on the kept-alive connection got no answer (${(err as Error).message})`);
      }
      ctx.note(`→ HTTP ${first.status}, ${first.body.length} body characters; the connection is ${first.socket.destroyed ? 'closed' : 'kept open, idle'}`);
      // A server that closes the connection after its answer (HTTP/1.0, Connection: close) holds
      // nothing open between requests: nothing to judge. (Its FIN may take a moment to arrive.)
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (first.socket.destroyed) skip('not applicable: the server closed the connection after its answer (HTTP/1.0 or Connection: close), so an idle client connection cannot hold it up');
      let firstClosedAt: number | undefined;
      first.socket.once('close', () => (firstClosedAt = performance.now()));

      const secondMessage = ping('second');
      ctx.note(`POST on a second connection while the first stays open: ${JSON.stringify(secondMessage)}`);
      const sentAt = performance.now();
      let answeredAt: number | undefined;
      const second = http.rawPost(JSON.stringify(secondMessage), http.headersFor(secondMessage), 2 * ctx.requestTimeout).then((answer) => {
        answeredAt = performance.now();
        return answer;
      });
      const sinceSent = (at: number) => `${Math.round(at - sentAt)} ms`;
      if (await within(second, ctx.requestTimeout)) {
        const early = await second;
        if (early.status === undefined) untestable(`the ping on the second connection got no HTTP answer (${early.problem})`);
        if (firstClosedAt === undefined || answeredAt! <= firstClosedAt) {
          return { message: `answered HTTP ${early.status} on a second connection after ${sinceSent(answeredAt!)} while the first stayed open` };
        }
        // The server closed the idle connection itself (its keep-alive timeout) before it answered.
        skip(`not judged: the server closed the idle first connection after ${sinceSent(firstClosedAt)} and answered the second after ${sinceSent(answeredAt!)}; a slow answer and a server that waits for its idle connection look the same here`);
      }
      if (firstClosedAt !== undefined) {
        untestable(`the ping on the second connection got no answer within ${ctx.requestTimeout} ms (--timeout), though the server had closed the first connection after ${sinceSent(firstClosedAt)}`);
      }
      ctx.note(`no answer on the second connection within ${ctx.requestTimeout} ms (--timeout) while the first stayed open: closing the first`);
      const closedAt = performance.now();
      agent.destroy();
      const late = await second;
      if (late.status === undefined) {
        untestable(`the ping on the second connection got no answer, not even after the suite closed the first connection (${late.problem})`);
      }
      ctx.note(`→ HTTP ${late.status} on the second connection, ${sinceSent(answeredAt!)} after it was sent and ${Math.round(answeredAt! - closedAt)} ms after the first connection closed`);
      fail({
        message: 'the server answered a second connection only once the suite closed its first, idle one: it serves one connection at a time',
        expected: `the ping on the second connection answered within ${ctx.requestTimeout} ms (--timeout) while the first connection stays open (kept alive, idle)`,
        actual: `no answer for ${sinceSent(closedAt)} while the first connection stayed open; HTTP ${late.status} ${Math.round(answeredAt! - closedAt)} ms after the suite closed it`,
        fix: 'serve connections concurrently (a thread or task per connection: Python\'s ThreadingHTTPServer, an async server), or close each connection after its answer (Connection: close) so no idle client holds the server',
      });
    } finally {
      agent.destroy();
    }
  },
});
