// Base JSON-RPC rules probed directly: notifications get no answer, unknown methods get
// -32601, an unparseable line gets -32700 with id null and the server keeps serving.
import type { HttpRecord } from '../harness/http/types.js';
import type { SessionClient } from '../harness/session-client.js';
import type { Outcome, TranscriptEntry } from '../harness/types.js';
import { QUEUED } from '../harness/service-queue.js';
import { kindOf } from '../harness/wire.js';
import { defineCheck, fail, untestable, type CheckContext } from './check.js';
import { describeOutcome, isToolError, quote } from './expect.js';
import { showRecord } from './http/common.js';

/** A ping that must succeed before the probe means anything (positive control). */
async function control(client: SessionClient, what: string): Promise<Outcome> {
  const outcome = await client.request('ping', {}, null);
  if (outcome.kind !== 'result') untestable(`${what}: the control ping did not succeed (${describeOutcome(outcome)})`);
  return outcome;
}

function responsesIn(entries: readonly TranscriptEntry[]): TranscriptEntry[] {
  return entries.filter((e) => e.dir === 'in' && (kindOf(e.json) === 'success' || kindOf(e.json) === 'error'));
}

export const BASE_NOTIF_1 = defineCheck({
  id: 'BASE-NOTIF-1',
  title: 'notifications, known and unknown, are never answered',
  how: 'sends known and unknown notifications, then a ping as a marker; nothing may answer the notifications',
  section: 'base',
  spec: 'JSON-RPC 2.0 §4.1 Notification; MCP 2025-11-25 §Base protocol (draft-sessions.md §4)',
  // Alone on its process: every response on the connection then answers one of this check's requests.
  process: 'sacrificial',
  async run(ctx) {
    const client = await ctx.freshClient();
    const finished = await control(client, 'notifications');
    const mark = ctx.transcript.nextSeq();
    const sent = [
      { method: 'notifications/cancelled', params: { requestId: finished.id, reason: 'conformance: the request already finished' } },
      { method: 'notifications/roots/list_changed', params: {} },
      { method: 'notifications/conformance-unknown', params: { note: 'an unknown notification' } },
    ];
    for (const n of sent) client.peer.notify(n.method, n.params, { check: ctx.id });
    // Barrier: the answer to a later request comes after anything said about the notifications.
    const barrier = await client.request('ping', {}, null);
    if (barrier.kind !== 'result') {
      fail({
        message: 'the server stopped answering after it received notifications',
        expected: `a ping result after ${sent.map((n) => n.method).join(', ')}`,
        actual: describeOutcome(barrier),
        fix: 'ignore notifications you do not handle; never let one end or block the connection',
      });
    }
    const strays = responsesIn(ctx.transcript.forConn(client.peer.conn, mark)).filter((e) => (e.json as any).id !== barrier.id);
    if (strays.length === 0) return { message: `no answer to ${sent.length} notifications (${sent.map((n) => n.method).join(', ')})` };
    fail({
      message: `the server answered ${strays.length === 1 ? 'a notification' : `${strays.length} times to notifications`}`,
      expected: `no response to ${sent.map((n) => n.method).join(', ')} (a message without an id is never answered)`,
      actual: strays.slice(0, 3).map((e) => quote(e.text, 200)).join('\n'),
      fix: 'answer only messages that carry an id; for an unknown notification do nothing (no -32601, no result)',
      entries: strays,
    });
  },
});

export const BASE_METHOD_1 = defineCheck({
  id: 'BASE-METHOD-1',
  title: 'a request for an unknown method gets JSON-RPC error -32601 (Method not found)',
  how: 'sends sessions/list and a random method name; expects -32601',
  section: 'base',
  spec: 'JSON-RPC 2.0 §5.1; MCP 2025-11-25 §Base protocol (draft-sessions.md §4)',
  async run(ctx) {
    const client = await ctx.client();
    await control(client, 'unknown methods');
    const code = ctx.profile.errors.methodNotFound;
    const known = new Set(Object.values(ctx.profile.methods));
    // sessions/list looks like part of the extension but is in no revision; the other is surely unknown.
    const methods = ['sessions/list', `conformance/${ctx.random.hex(12)}`].filter((m) => !known.has(m));
    const wrong: { method: string; outcome: Outcome }[] = [];
    for (const method of methods) {
      const outcome = await client.request(method, {}, null);
      if (!(outcome.kind === 'error' && outcome.error.code === code)) wrong.push({ method, outcome });
    }
    if (wrong.length === 0) return { message: `${methods.join(' and ')} were answered ${code}` };
    fail({
      message: `${wrong.map((w) => w.method).join(' and ')} did not get ${code} Method not found`,
      expected: `JSON-RPC error ${code} for ${methods.join(' and ')}`,
      actual: wrong.map((w) => `${w.method}: ${describeOutcome(w.outcome)}`).join('\n'),
      fix: methodFix(wrong[0]!.outcome, code),
    });
  },
});

function methodFix(outcome: Outcome, code: number): string {
  if (outcome.kind === 'error' && outcome.error.code === -32602) {
    return (
      `answer ${code} for a method you do not implement: -32602 (Invalid params) is what the Python SDK's server ` +
      `answers when it validates an unknown method against its known-request union before routing; route unknown methods to ${code}`
    );
  }
  if (outcome.kind === 'error') return `use code ${code} (Method not found) for unknown methods, not ${outcome.error.code}`;
  if (outcome.kind === 'result') {
    return `answer unknown methods with error ${code}; a ${isToolError(outcome) ? 'tool-style error' : 'success'} result claims the method exists`;
  }
  return `answer every request, an unknown method with error ${code}, within the timeout`;
}

/** Garbage the check sends: a line cut off mid-object, and text that is not JSON at all. */
const GARBAGE = ['{"jsonrpc":"2.0","id":2,"method":', 'not json'];

export const BASE_PARSE_1 = defineCheck({
  id: 'BASE-PARSE-1',
  title: 'an unparseable line gets error -32700 with id null, and the server keeps serving',
  how: 'writes a line cut off mid-object and a line that is not JSON; expects -32700 with id null (over Streamable HTTP: an HTTP 4xx status, or -32700 with id null), then a valid request must still be served',
  section: 'base',
  spec: 'JSON-RPC 2.0 §5 (Parse error, id null); MCP stdio transport (draft-sessions.md §4: SHOULD on stdio); over Streamable HTTP, MCP 2025-11-25 §Sending Messages to the Server (input the server cannot accept: an HTTP error status such as 400, its body MAY be a JSON-RPC error without id)',
  // Garbage may crash or wedge the target: never on a shared process. First: the SDKs' stdio
  // transports send no -32700, so on real servers this check ends badly more than any other.
  process: 'sacrificial',
  firstTurn: true,
  async run(ctx) {
    const client = await ctx.freshClient();
    const prompt = promptness();
    await prompt.time(control(client, 'parse errors'));
    const how: string[] = [];
    for (const line of GARBAGE) {
      const mark = ctx.transcript.nextSeq();
      const http = client.peer.http;
      client.peer.sendRaw(line, { check: ctx.id });
      // Over HTTP the line is one POST of its own: its record is the newest, made as it was sent.
      const record = http?.records.at(-1)?.posted === 'raw' ? http.records.at(-1) : undefined;
      const after = await prompt.time(client.request('ping', {}, null));
      if (http && record) await http.settled(record, ctx.requestTimeout);
      const answer = await waitingAlone(ctx, client.peer.waitForMessage(isParseError, http ? 0 : ctx.requestTimeout, mark), prompt.ms());
      how.push(judgeParse(ctx, client, line, mark, after, answer?.message, record));
    }
    const lone = await probeLoneSurrogate(ctx, client, prompt.ms());
    const answered = [...new Set(how)];
    return { message: `${GARBAGE.length} unparseable lines each got ${answered.join(' or ')}; the server kept serving; ${lone}` };
  },
});

/** A `_meta` key no server knows, carrying the odd string. */
const PROBE_KEY = 'dev.mcp-session-conformance/probe';

/**
 * Decision D20: a ping whose params carry an unpaired surrogate escape ("\ud800x"). RFC 8259
 * §8.2 leaves such strings open, so a parser may accept the line (any answer) or reject it — and
 * then -32700 with id null is due, as for any line that does not parse. No answer at all, while
 * the server keeps serving, is this check's finding (a SHOULD), reported here once; the checks
 * that send such values (SESS-STATE-4) leave it to this one.
 */
async function probeLoneSurrogate(ctx: CheckContext, client: SessionClient, promptMs: number): Promise<string> {
  const mark = ctx.transcript.nextSeq();
  const outcome = await waitingAlone(ctx, client.request('ping', { _meta: { [PROBE_KEY]: '\ud800x' } }, null), promptMs);
  if (outcome.kind === 'result' || outcome.kind === 'error') return 'a ping carrying an unpaired surrogate escape ("\\ud800x") was answered';
  const rejected = await client.peer.waitForMessage(isParseError, 0, mark);
  const entries = () => ctx.transcript.forConn(client.peer.conn, mark);
  if (outcome.kind === 'exit') {
    fail({
      message: 'the server exited on a line carrying an unpaired surrogate escape ("\\ud800x")',
      expected: 'an answer to the line (it is grammatical JSON), or -32700 with id null if the parser rejects it; the server keeps serving',
      actual: describeOutcome(outcome),
      fix: 'catch parse errors per line (RFC 8259 §8.2 lets a parser reject unpaired surrogates), answer -32700 with id null and keep reading',
      entries: entries(),
    });
  }
  const after = await client.request('ping', {}, null);
  if (after.kind !== 'result') {
    fail({
      message: 'the server stopped serving after a line carrying an unpaired surrogate escape ("\\ud800x")',
      expected: 'the next request (ping) is answered',
      actual: describeOutcome(after),
      fix: 'catch parse errors per line, answer -32700 with id null and keep reading; one line must not end the connection',
      entries: entries(),
    });
  }
  if (rejected?.message?.error?.code === -32700) return 'a ping carrying an unpaired surrogate escape was rejected with -32700';
  // Over Streamable HTTP an HTTP 4xx status is the rejection (see judgeParse).
  const record = client.peer.http?.recordOf(outcome.id);
  if (record?.status !== undefined && record.status >= 400 && record.status < 500) return `a ping carrying an unpaired surrogate escape was rejected with HTTP ${record.status}`;
  fail({
    message: 'a ping carrying an unpaired surrogate escape ("\\ud800x") got no answer, neither a response nor -32700 (the server kept serving)',
    expected: 'a response to the ping, or {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}} if the parser rejects the line',
    actual: `nothing within ${outcome.ms} ms${outcome.queued ? QUEUED : ''}; the next ping was answered`,
    fix: 'when the JSON parser rejects a line (pydantic rejects strings with unpaired surrogates, RFC 8259 §8.2), answer -32700 with id null instead of dropping it silently — a client waits for that request until its timeout',
    entries: entries(),
  });
}

/**
 * How long a prompt answer takes here: four times the slowest ping round trip so far, within
 * 100..1000 ms (a loaded machine answers slower; a late answer is still awaited, see waitingAlone).
 */
function promptness() {
  let slowest = 0;
  return {
    async time<T>(pending: Promise<T>): Promise<T> {
      const started = performance.now();
      const value = await pending;
      slowest = Math.max(slowest, performance.now() - started);
      return value;
    },
    ms: () => Math.min(1000, Math.max(100, 4 * slowest)),
  };
}

/**
 * Waits for `pending`. If it is not there within `promptMs`, the rest is a wait of up to
 * --timeout for an answer that may never come (most SDK stdio transports send no -32700): the
 * check keeps its process to itself meanwhile, and the next sacrificial check starts on a new one.
 */
async function waitingAlone<T>(ctx: CheckContext, pending: Promise<T>, promptMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const prompt = await Promise.race([pending.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), promptMs)))]);
  clearTimeout(timer);
  if (!prompt) await ctx.keepProcess?.();
  return pending;
}

function isParseError(message: any): boolean {
  return kindOf(message) === 'error' && message.id === null;
}

/** How the line was answered (for the pass message), or a finding. */
function judgeParse(ctx: CheckContext, client: SessionClient, line: string, mark: number, after: Outcome, answer: any, record?: HttpRecord): string {
  const entries = ctx.transcript.forConn(client.peer.conn, mark);
  if (after.kind !== 'result') {
    fail({
      message: `the server stopped serving after the unparseable line ${quote(line)}`,
      expected: 'the next request (ping) is answered',
      actual: describeOutcome(after),
      fix: 'catch JSON parse errors per line, answer -32700 and keep reading; one bad line must not end the connection',
      entries,
    });
  }
  if (answer?.error?.code === -32700) return '-32700 with id null';
  if (client.peer.http) {
    // Streamable HTTP: an HTTP error status is the transport's answer to input the server cannot
    // accept; a JSON-RPC error body is optional there (express's JSON parser answers an HTML 400).
    if (record?.status !== undefined && record.status >= 400 && record.status < 500) return `HTTP ${record.status}`;
    fail({
      message: `the unparseable POST body ${quote(line)} got ${record?.status === undefined ? 'no HTTP answer' : `HTTP ${record.status}`}, neither a 4xx status nor -32700`,
      expected: 'an HTTP 4xx status (400 Bad Request), its body optionally {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
      actual: showRecord(record),
      fix: 'answer a POST whose body is not JSON with 400 Bad Request (and, if you like, a JSON-RPC -32700 error with id null as the body)',
      entries,
    });
  }
  const said = entries.filter((e) => e.dir === 'in' && (e.json as any)?.id !== after.id).map((e) => quote(e.text, 200));
  fail({
    message: answer
      ? `the unparseable line ${quote(line)} got error ${quote(answer.error?.code)} instead of -32700`
      : `the unparseable line ${quote(line)} got no -32700 error with id null`,
    expected: '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
    actual: said.length > 0 ? said.join('\n') : 'nothing',
    fix: answer
      ? 'use -32700 (Parse error) for a line that is not JSON; -32600 is for valid JSON that is not a request'
      : 'read stdin lines yourself and answer -32700 with id null to a line that does not parse (the SDKs\' stdio transports only report it to onerror, and the Python SDK sends a log notification instead)',
    entries,
  });
}
