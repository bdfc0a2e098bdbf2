// The two session ids of Streamable HTTP: the transport session the server may issue at
// initialize (MCP 2025-11-25 §Session Management) and the data-layer session of the draft,
// whose sessionId the draft asks to mirror into Mcp-Session-Id (D14, D25).
import type { SessionMetadata } from '../../harness/types.js';
import { allowingRevocation, defineCheck, fail, skip, untestable } from '../check.js';
import { callProbe, describeOutcome, echoOf, isObject, newSession } from '../expect.js';
import { endpointOf, requireHttp, settledRecord, showRecord } from './common.js';

export const HTTP_SESSION_1 = defineCheck({
  id: 'HTTP-SESSION-1',
  title: 'a request without the transport session the server issued (Mcp-Session-Id) gets HTTP 400 or 404, not an answer',
  section: 'http',
  spec: 'MCP 2025-11-25 basic/transports §Session Management (servers that require a session id SHOULD answer requests without it with 400 Bad Request)',
  how: 'over Streamable HTTP, when the server issued Mcp-Session-Id at initialize: a control ping inside the transport session, then a raw POSTed ping without the header; expects HTTP 400 (or 404); skipped without a transport session or on stdio',
  async run(ctx) {
    requireHttp(ctx);
    const client = await ctx.client();
    const http = endpointOf(client);
    const session = http.transportSessionId();
    if (session === undefined) skip('not applicable: the server issued no transport session (no Mcp-Session-Id at initialize)');
    const control = await client.request('ping', {}, null);
    if (control.kind !== 'result') untestable(`the control ping inside the transport session did not succeed (${describeOutcome(control)})`);
    const message = { jsonrpc: '2.0', id: `${client.peer.idPrefix}-no-transport-session`, method: 'ping', params: {} };
    const headers = http.headersFor(message);
    delete headers['mcp-session-id'];
    const body = JSON.stringify(message);
    ctx.note(`raw POST without Mcp-Session-Id: ${body}`);
    const answer = await http.rawPost(body, headers, ctx.requestTimeout);
    ctx.note(`raw POST ping without Mcp-Session-Id → ${answer.status === undefined ? `no HTTP answer (${answer.problem})` : `HTTP ${answer.status}; ${answer.bodyBytes} body bytes`}`);
    if (answer.status === 400 || answer.status === 404) return { message: `answered HTTP ${answer.status} without the transport session` };
    fail({
      message: answer.status === undefined
        ? 'a request without the transport session got no HTTP answer'
        : answer.status < 300
          ? `a request without the transport session (${session}) was served (HTTP ${answer.status})`
          : `a request without the transport session got HTTP ${answer.status}, not 400 Bad Request`,
      expected: 'HTTP 400 Bad Request (or 404 Not Found): every request after initialize must carry the Mcp-Session-Id the server issued',
      actual: answer.status === undefined ? `no HTTP answer (${answer.problem})` : `HTTP ${answer.status}, ${answer.contentType ?? 'no Content-Type'}: ${answer.body.slice(0, 200)}`,
      fix: 'reject a request that lacks the Mcp-Session-Id header your server issued at initialize with 400 Bad Request (or drop transport sessions altogether)',
    });
  },
});

export const HTTP_MIRROR_1 = defineCheck({
  id: 'HTTP-MIRROR-1',
  title: 'over HTTP without a transport session, a response carrying session metadata mirrors its sessionId in Mcp-Session-Id',
  section: 'http',
  spec: 'draft §SEP-2243 HTTP Standardization (sessionId "should be included as Mcp-Session-Id"); decisions D14, D25',
  how: 'over Streamable HTTP without a transport session: creates a session and calls the probe tool with it (the harness sends the sessionId in Mcp-Session-Id, D25); the response carrying session metadata must set Mcp-Session-Id to that sessionId; not judged beside a transport session',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    requireHttp(ctx);
    const client = await ctx.client();
    const http = endpointOf(client);
    const transport = http.transportSessionId();
    if (transport !== undefined) {
      skip(`not judged (info, D25): the server runs transport sessions (Mcp-Session-Id ${transport} issued at initialize) beside data-layer sessions, so that header names the transport session`);
    }
    const { session, outcome } = await allowingRevocation(async () => {
      const live: SessionMetadata = await newSession(client);
      return { session: live, outcome: await callProbe(client, ctx, live) };
    });
    // No answer is "could not test", not "nothing to judge": the runner judges such a check again
    // on its own when other checks' requests were in flight (e.g. a burst of creates ahead of it).
    if (outcome.kind === 'timeout' || outcome.kind === 'exit') untestable(`the probe call with the new session got no response (${describeOutcome(outcome)})`);
    const record = await settledRecord(http, outcome.id, ctx.requestTimeout);
    if (!record) untestable('the HTTP exchange of the probe call was not recorded');
    if (record.sentSessionId !== session.sessionId) {
      skip(`the sessionId ${JSON.stringify(session.sessionId).slice(0, 60)} could not travel in the Mcp-Session-Id header (not visible ASCII), so there is nothing to mirror`);
    }
    const echo = echoOf(outcome, ctx);
    if (!isObject(echo) || typeof echo.sessionId !== 'string') {
      skip(`the response carried no session metadata to mirror (${describeOutcome(outcome)}); SESS-USE-1 judges the echo`);
    }
    if (record.responseSessionId === session.sessionId) return { message: `the response to ${ctx.discovery.probe?.name} carried Mcp-Session-Id: ${session.sessionId}` };
    fail({
      message: record.responseSessionId === undefined
        ? 'the response carrying session metadata has no Mcp-Session-Id header'
        : 'the response\'s Mcp-Session-Id header differs from the sessionId of its session metadata',
      expected: `Mcp-Session-Id: ${session.sessionId} on the HTTP response (the request carried it in the header and in _meta)`,
      actual: record.responseSessionId === undefined ? `no Mcp-Session-Id header (${showRecord(record)})` : `Mcp-Session-Id: ${record.responseSessionId}`,
      fix: 'when a request carries session metadata, set the response header Mcp-Session-Id to its sessionId',
    });
  },
});
