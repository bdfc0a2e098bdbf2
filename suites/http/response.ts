// Streamable HTTP (MCP 2025-11-25 §Sending Messages to the Server): how the server answers what
// the client POSTs. A request: one JSON object (application/json) or an SSE stream
// (text/event-stream) carrying the response (MUST). A notification or response: 202 Accepted
// with no body when accepted (MUST).
import { defineCheck, fail, untestable } from '../check.js';
import { describeOutcome } from '../expect.js';
import { endpointOf, isJsonType, isSse, requireHttp, settledRecord, showRecord } from './common.js';
import type { HttpRecord } from '../../harness/http/types.js';

const SPEC = 'MCP 2025-11-25 basic/transports §Streamable HTTP, Sending Messages to the Server';

export const HTTP_RESP_1 = defineCheck({
  id: 'HTTP-RESP-1',
  title: 'a POSTed JSON-RPC request is answered with its response as application/json or as a text/event-stream',
  section: 'http',
  spec: `${SPEC} (the server MUST return Content-Type text/event-stream or application/json)`,
  how: 'over Streamable HTTP: a ping on the shared connection and the connection\'s initialize; each must come back HTTP 2xx as application/json or text/event-stream carrying its JSON-RPC response; skipped on stdio targets',
  async run(ctx) {
    requireHttp(ctx);
    const client = await ctx.client();
    const http = endpointOf(client);
    const ping = await client.request('ping', {}, null);
    const record = await settledRecord(http, ping.id, ctx.requestTimeout);
    const initialize = http.records.find((r) => r.rpcMethod === 'initialize');
    // The connection's initialize too, while its record is still kept (the oldest go first on a busy connection).
    const judged: [string, HttpRecord | undefined, boolean][] = [
      ...(initialize ? [['initialize', initialize, true] as [string, HttpRecord, boolean]] : []),
      ['ping', record, ping.kind === 'result' || ping.kind === 'error'],
    ];
    for (const [what, r, answered] of judged) {
      const typed = isJsonType(r?.contentType) || isSse(r?.contentType);
      if (r && r.status !== undefined && r.status >= 200 && r.status < 300 && typed && answered) continue;
      fail({
        message: !r || r.status === undefined
          ? `the ${what} request got no HTTP answer`
          : !answered
            ? `the ${what} request's HTTP answer did not carry its JSON-RPC response`
            : `the ${what} response came back as ${r.contentType ?? 'a body without Content-Type'} (HTTP ${r.status})`,
        expected: 'HTTP 200 with Content-Type application/json (one JSON-RPC response) or text/event-stream (an SSE stream whose events include the response)',
        actual: `${showRecord(r)}${what === 'ping' ? `; the request ended as: ${describeOutcome(ping)}` : ''}`,
        fix: 'answer each POSTed request with Content-Type: application/json and the JSON-RPC response as the body, or with Content-Type: text/event-stream and the response as an SSE event',
      });
    }
    return { message: judged.map(([what, r]) => `${what} answered as ${r?.contentType}`).join('; ') };
  },
});

export const HTTP_NOTIF_1 = defineCheck({
  id: 'HTTP-NOTIF-1',
  title: 'a POSTed notification is accepted with HTTP 202 and no body (or refused with an HTTP error status), never answered with 2xx content',
  section: 'http',
  spec: `${SPEC} (a notification or response the server accepts: MUST return 202 Accepted with no body)`,
  how: 'over Streamable HTTP: after a control ping, the harness\'s notifications/initialized and a raw POST of notifications/cancelled for the finished ping; each must get 202 with an empty body (an HTTP error status is a refusal the text allows); skipped on stdio targets',
  async run(ctx) {
    requireHttp(ctx);
    const client = await ctx.client();
    const http = endpointOf(client);
    const control = await client.request('ping', {}, null);
    if (control.kind !== 'result') untestable(`the control ping did not succeed (${describeOutcome(control)})`);
    // The harness's own notifications/initialized, and a cancellation of a request that already finished.
    const initialized = http.records.find((r) => r.rpcMethod === 'notifications/initialized');
    if (initialized) await http.settled(initialized, ctx.requestTimeout);
    const message = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: control.id, reason: 'conformance: the request already finished' } };
    const body = JSON.stringify(message);
    ctx.note(`raw POST ${body}`);
    const answer = await http.rawPost(body, http.headersFor(message), ctx.requestTimeout);
    ctx.note(`raw POST notifications/cancelled → ${answer.status === undefined ? `no HTTP answer (${answer.problem})` : `HTTP ${answer.status}${answer.contentType ? `; ${answer.contentType}` : ''}; ${answer.bodyBytes} body bytes`}`);
    type Seen = [method: string, status: number | undefined, bytes: number, type: string | undefined, problem: string | undefined];
    const seen: Seen[] = [
      ...(initialized ? [['notifications/initialized', initialized.status, initialized.bodyBytes, initialized.contentType, initialized.problem] as Seen] : []),
      ['notifications/cancelled', answer.status, answer.bodyBytes, answer.contentType, answer.problem],
    ];
    // The text's MUSTs: 202 without a body for what the server accepts, an HTTP error status for
    // what it cannot accept. A refusal obeys the letter: reported, never failed.
    const refusals: string[] = [];
    for (const [method, status, bytes, type, problem] of seen) {
      if (status === 202 && bytes === 0) continue;
      if (status !== undefined && status >= 400) {
        refusals.push(`${method} refused with HTTP ${status}`);
        continue;
      }
      fail({
        message: status === undefined
          ? `the ${method} notification got no HTTP answer`
          : `the ${method} notification got HTTP ${status}${bytes > 0 ? ` with a ${bytes}-byte body` : ''} instead of 202 without a body`,
        expected: 'HTTP 202 Accepted with an empty body',
        actual: status === undefined ? `no HTTP answer (${problem ?? 'unknown'})` : `HTTP ${status}, ${type ?? 'no Content-Type'}, ${bytes} body bytes${method === 'notifications/cancelled' && answer.body ? `: ${answer.body.slice(0, 200)}` : ''}`,
        fix: 'answer a POSTed notification (a message without id) with status 202 and no body; never answer it with a JSON-RPC message',
      });
    }
    const accepted = seen.filter(([, status]) => status === 202).map(([method]) => method);
    return { message: [accepted.length ? `${accepted.join(' and ')}: HTTP 202 without a body` : '', ...refusals].filter(Boolean).join('; ') };
  },
});
