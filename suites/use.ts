// Using a session (draft §Use): the echo of a successful session-bearing request, the shape of
// every echo, what other methods do with session metadata, concurrency, and notifications.
import { SessionClient } from '../harness/session-client.js';
import type { Outcome, SessionMetadata, TranscriptEntry } from '../harness/types.js';
import { validate } from '../harness/validate.js';
import { allowingRevocation, defineCheck, fail, skip, SessionRevoked, type CheckContext, type CheckDef } from './check.js';
import {
  callProbe,
  describeOutcome,
  echoOf,
  isObject,
  newSession,
  quote,
  rejectionFix,
  showDifference,
  succeeded,
  useLiveSession,
} from './expect.js';
import { expectModelAgrees } from './model-findings.js';

// ---------------------------------------------------------------------------------------------
// Run-wide material, shared with the state and expiry sections.

export interface SeenMetadata {
  /** `echo`: `result._meta[key]` of a success; `create`: `result.session` of a create result. */
  where: 'echo' | 'create';
  /** The method the response answered, when the harness sent the request. */
  method?: string;
  value: unknown;
  entry: TranscriptEntry;
}

/** Every session metadata value in the target's success responses, in transcript order. */
export function sessionMetadataSeen(ctx: CheckContext): SeenMetadata[] {
  const methodBySeq = new Map<number, string>();
  for (const ex of ctx.transcript.exchanges) if (ex.responseSeq !== undefined) methodBySeq.set(ex.responseSeq, ex.method);
  const seen: SeenMetadata[] = [];
  for (const entry of ctx.transcript.entries) {
    if (entry.dir !== 'in' || !isObject(entry.json) || !isObject(entry.json.result)) continue;
    const result = entry.json.result;
    const method = methodBySeq.get(entry.seq);
    if (isObject(result._meta) && ctx.profile.metaKey in result._meta) {
      seen.push({ where: 'echo', method, value: result._meta[ctx.profile.metaKey], entry });
    }
    if (method === ctx.profile.methods.create && 'session' in result) {
      seen.push({ where: 'create', method, value: result.session, entry });
    }
  }
  return seen;
}

/**
 * Responses too long for the transcript to keep their JSON, that mention `text` and answer a
 * request of ordinary size (a server echoing a huge value the client sent is not the author of it).
 */
export function unparsedLongResponses(ctx: CheckContext, text: string): TranscriptEntry[] {
  const smallRequest = new Set<number>();
  for (const ex of ctx.transcript.exchanges) if (ex.responseSeq !== undefined && ex.request !== undefined) smallRequest.add(ex.responseSeq);
  return ctx.transcript.entries.filter(
    (e) => e.dir === 'in' && e.json === undefined && (e.truncated ?? 0) > 0 && smallRequest.has(e.seq) && e.text.includes(text),
  );
}

/**
 * Gives an observer material of its own when it runs alone (e.g. `--only SESS-EXP-1`): one
 * session and one call in it. Observers judge the whole run; this only keeps it from being empty.
 */
export async function provokeSessionTraffic(ctx: CheckContext): Promise<void> {
  const client = await ctx.client();
  const created = await client.create();
  if (created.session && ctx.discovery.probe) await callProbe(client, ctx, created.session);
}

/** A client on the same connection that remembers no state: it sends exactly the metadata it is given. */
export function forgetfulClient(client: SessionClient, ctx: CheckContext): SessionClient {
  return new SessionClient(client.peer, ctx.profile, ctx.id);
}

// ---------------------------------------------------------------------------------------------

/** Where a result put the session instead of `result._meta[key]`, if it did. */
function misplacedEcho(result: any, sentId: string, key: string): string | undefined {
  const looksLikeOurs = (v: unknown) => isObject(v) && v.sessionId === sentId;
  const meta = isObject(result?._meta) ? result._meta : {};
  for (const [name, value] of Object.entries(meta)) {
    if (name !== key && looksLikeOurs(value)) return `result._meta[${JSON.stringify(name)}]`;
  }
  if (looksLikeOurs(result?.session)) return 'result.session';
  if (looksLikeOurs(result?.structuredContent?.session)) return 'result.structuredContent.session';
  return undefined;
}

/**
 * D21: every other tool the survey called successfully inside a session echoes it too. Returns
 * a note for the pass message; fails naming the first tool whose success carried no echo.
 */
function judgeSurveyEchoPresence(ctx: CheckContext): string {
  const key = ctx.profile.metaKey;
  const calls = (ctx.discovery.survey?.calls ?? []).filter((c) => c.succeeded);
  const bare = calls.filter((c) => c.echoed === undefined || c.echoed === null);
  if (bare.length === 0) return calls.length === 0 ? '' : `; so do the successful results of ${calls.length} tool${calls.length === 1 ? '' : 's'} each called once inside a fresh session (${calls.map((c) => c.tool).join(', ')})`;
  const first = bare[0]!;
  const exchange = ctx.transcript.exchanges.find((e) => e.conn === first.conn && e.request?.id === first.requestId);
  fail({
    message: `the successful result of tool ${bare.map((c) => c.tool).join(', ')} inside a session carries no session metadata (the probe's does)`,
    expected: `result._meta[${JSON.stringify(key)}] = { sessionId: ${quote(first.sessionId)}, … } on the success of every tool called inside a session`,
    actual: exchange?.response ? quote(exchange.response.result, 300) : 'a successful result without _meta',
    fix: `add the echo in one place that every tool's result passes through (a request-handler wrapper), not in each tool`,
    entries: ctx.transcript.entries.filter((e) => exchange !== undefined && (e.seq === exchange.requestSeq || e.seq === exchange.responseSeq)),
  });
}

export const SESS_USE_1 = defineCheck({
  id: 'SESS-USE-1',
  title: 'a successful session-bearing tools/call carries the session in result._meta under the session key',
  how: 'creates a session, calls the probe tool in it and looks for result._meta[key] in the answer',
  section: 'use',
  spec: 'draft §Use (success echo: MUST in 2026-02-27, MAY in 2026-03-13)',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const key = ctx.profile.metaKey;
    return allowingRevocation(async () => {
      const session = await newSession(client);
      const outcome = await useLiveSession(client, ctx, session, 'session call', 'a session the server just created must be usable');
      const echo = echoOf(outcome, ctx);
      if (echo !== undefined && echo !== null) {
        const others = judgeSurveyEchoPresence(ctx);
        return { message: `the ${ctx.discovery.probe!.name} result echoes the session under _meta[${JSON.stringify(key)}]${others}` };
      }
      const elsewhere = misplacedEcho(outcome.kind === 'result' ? outcome.result : undefined, session.sessionId, key);
      fail({
        message: elsewhere
          ? `the result carries the session at ${elsewhere}, not under _meta[${JSON.stringify(key)}]`
          : `the successful ${ctx.discovery.probe!.name} result inside session ${session.sessionId} carries no session metadata`,
        expected: `result._meta[${JSON.stringify(key)}] = { sessionId: ${quote(session.sessionId)}, … }`,
        actual: describeOutcome(outcome),
        fix: elsewhere
          ? `move the echo from ${elsewhere} to result._meta[${JSON.stringify(key)}] (exactly that key)`
          : `add _meta[${JSON.stringify(key)}] = { sessionId, state?, expiresAt? } to every successful result of a request made inside a session`,
      });
    });
  },
});

export const SESS_USE_2 = defineCheck({
  id: 'SESS-USE-2',
  title: 'every echoed session metadata is a SessionMetadata object (sessionId string; state and expiresAt strings if present)',
  how: 'observes every echoed session metadata in the run and validates it against SessionMetadata',
  section: 'use',
  spec: 'draft §Wire format (SessionMetadata); whole run',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    await provokeSessionTraffic(ctx);
    const echoes = sessionMetadataSeen(ctx).filter((s) => s.where === 'echo');
    const bad = echoes
      .map((s) => ({ seen: s, check: validate('session-metadata', s.value) }))
      .filter((b) => !b.check.valid);
    if (bad.length === 0) {
      if (echoes.length === 0) skip('not applicable: the server echoed no session metadata (result._meta[key]) in this run, so there is no echo to judge');
      return { message: `all ${echoes.length} echoes are valid SessionMetadata` };
    }
    const first = bad[0]!;
    const problems = first.check.valid ? '' : first.check.text;
    fail({
      message: `${bad.length} of ${echoes.length} echoed session metadata values are not valid SessionMetadata`,
      expected: '{ sessionId: string, state?: string, expiresAt?: string } under result._meta[key]',
      actual: `${quote(first.seen.value)} in the answer to ${first.seen.method ?? 'a request'} (${problems.replace(/\n/g, '; ')})`,
      fix: 'send state and expiresAt as JSON strings (encode a counter or object into an opaque string token) and sessionId as a string',
      entries: bad.slice(0, 5).map((b) => b.seen.entry),
      details: { invalidEchoes: bad.length, echoes: echoes.length },
    });
  },
});

// ---------------------------------------------------------------------------------------------

type Reaction = string;

function reactionTo(outcome: Outcome, ctx: CheckContext, sentId: string): Reaction {
  switch (outcome.kind) {
    case 'result': {
      const echo = echoOf(outcome, ctx);
      if (echo === undefined) return 'ignore';
      return isObject(echo) && echo.sessionId === sentId ? 'echo' : `echo of another value ${quote(echo, 80)}`;
    }
    case 'error':
      return `error ${outcome.error.code}`;
    case 'timeout':
      return 'no response';
    case 'exit':
      return 'target exited';
  }
}

export const SESS_USE_3 = defineCheck({
  id: 'SESS-USE-3',
  title: 'report what the server does with session metadata on tools/list, ping and the other list methods',
  how: 'sends session metadata on tools/list, ping and the other list methods and reports echo / ignore / error (informational, D2)',
  section: 'use',
  spec: 'draft §Use; decision D2 (unspecified: reported, never failed)',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const caps = isObject(ctx.initialize?.capabilities) ? ctx.initialize.capabilities : {};
    const methods = ['tools/list', 'ping', ...(isObject(caps.resources) ? ['resources/list'] : []), ...(isObject(caps.prompts) ? ['prompts/list'] : [])];
    const live = await newSession(client);
    const unknown = ctx.random.unknownSessionId();
    const reactions: Record<string, { live: Reaction; unknown: Reaction }> = {};
    for (const method of methods) {
      const withLive = await client.request(method, {}, live);
      const withUnknown = await client.request(method, {}, { sessionId: unknown });
      reactions[method] = { live: reactionTo(withLive, ctx, live.sessionId), unknown: reactionTo(withUnknown, ctx, unknown) };
    }
    const summary = methods.map((m) => `${m}: live session → ${reactions[m]!.live}, unknown id → ${reactions[m]!.unknown}`).join('; ');
    return { message: summary, details: { reactions } };
  },
});

// ---------------------------------------------------------------------------------------------

const CONCURRENT_SESSIONS = 4;
const CALLS_PER_SESSION = 5;

export const SESS_USE_4 = defineCheck({
  id: 'SESS-USE-4',
  title: 'concurrent requests in different sessions each echo their own session, whatever the order of the responses',
  how: 'pipelines K sessions x M calls without waiting; each response must echo the session of its own request, in any order',
  section: 'use',
  spec: 'draft §Use; decision D11 (responses may come out of order)',
  needs: ['sessions', 'probeTool'],
  // Its burst of calls must not mix with other checks' traffic: neither disturbs the other's sessions.
  process: 'sacrificial',
  async run(ctx) {
    const client = await ctx.client();
    const echoed = await allowingRevocation(async () => {
      const sessions: SessionMetadata[] = await Promise.all(Array.from({ length: CONCURRENT_SESSIONS }, () => newSession(client)));
      for (const s of sessions) await useLiveSession(client, ctx, s, 'positive control', 'a session the server just created must be usable');
      // Every request goes out before any answer is awaited.
      const planned = sessions.flatMap((session, s) => Array.from({ length: CALLS_PER_SESSION }, (_, call) => ({ session, s, call })));
      const outcomes = await Promise.all(planned.map((p) => callProbe(client, ctx, p.session)));
      const mismatches: string[] = [];
      let echoed = 0;
      for (const [i, outcome] of outcomes.entries()) {
        const { session, s, call } = planned[i]!;
        if (outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound) {
          throw new SessionRevoked(session.sessionId, {
            message: `a concurrent call in session ${s + 1} was answered ${outcome.error.code} twice in a row, in sessions created moments before`,
            expected: 'every concurrent call succeeds in its own session',
            actual: describeOutcome(outcome),
            fix: 'look the session up per request; do not let one request see or drop another request\'s session',
          });
        }
        if (!succeeded(outcome)) {
          fail({
            message: `call ${call + 1} of session ${s + 1} did not succeed when ${planned.length} calls in ${CONCURRENT_SESSIONS} sessions were in flight`,
            expected: `a successful ${ctx.discovery.probe!.name} result inside session ${session.sessionId}`,
            actual: describeOutcome(outcome),
            fix: rejectionFix(outcome, ctx, ctx.profile.errors.sessionNotFound),
          });
        }
        const echo = echoOf(outcome, ctx);
        if (echo === undefined) continue; // whether there is an echo at all is SESS-USE-1's question
        echoed++;
        const got = isObject(echo) ? echo.sessionId : undefined;
        if (got === session.sessionId) continue;
        const owner = sessions.findIndex((o) => o.sessionId === got);
        mismatches.push(
          `call ${call + 1} of session ${s + 1} echoed ${owner >= 0 ? `session ${owner + 1}` : quote(got)}: ` +
            (typeof got === 'string' ? showDifference(session.sessionId, got) : `sessionId ${quote(got)}`),
        );
      }
      if (mismatches.length > 0) {
        fail({
          message: `${mismatches.length} of ${planned.length} concurrent responses echoed a session other than their request's`,
          expected: 'each response echoes the sessionId of the request it answers',
          actual: mismatches.slice(0, 4).join('; '),
          fix: 'keep the session per request (pass it down the call, or use AsyncLocalStorage/contextvars) instead of a shared "current session" variable',
          details: { sessions: CONCURRENT_SESSIONS, callsPerSession: CALLS_PER_SESSION, mismatches: mismatches.length, echoed },
        });
      }
      return echoed;
    });
    await expectModelAgrees(ctx);
    const total = CONCURRENT_SESSIONS * CALLS_PER_SESSION;
    if (echoed === 0) skip(`not applicable: all ${total} concurrent calls succeeded, but none echoed a session (result._meta[key]), so there is no echo to compare with its request (see SESS-USE-1)`);
    return { message: `all ${total} concurrent calls in ${CONCURRENT_SESSIONS} sessions succeeded; ${echoed} of them echoed a session, each its own` };
  },
});

// ---------------------------------------------------------------------------------------------

interface SeenNotification {
  method: string;
  params: any;
  seq: number;
}

export const SESS_USE_5 = defineCheck({
  id: 'SESS-USE-5',
  title: 'notifications the server sends never carry session metadata',
  how: 'collects the notifications the server sends during session-bearing calls, one of which asks for progress (params._meta.progressToken); none may carry session metadata',
  section: 'use',
  spec: 'draft 2026-03-13 §Use (notifications MUST NOT carry session metadata)',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    await allowingRevocation(async () => {
      const session = await newSession(client);
      for (let call = 0; call < 3; call++) {
        await useLiveSession(client, ctx, session, `session call ${call + 1}`, 'a session the server just created must be usable');
      }
      // A call that asks for progress (MCP's params._meta.progressToken, beside the session): a
      // server that reports progress answers with notifications/progress, and one that copies
      // the request's _meta into them sends the session along. Only those notifications are
      // judged here: the call's own outcome is not.
      const probe = ctx.discovery.probe!;
      await client.request('tools/call', { name: probe.name, arguments: probe.args, _meta: { progressToken: `${ctx.id}-progress` } }, session);
    });
    const key = ctx.profile.metaKey;
    const bySeq = new Map<number, SeenNotification>();
    for (const n of client.peer.notifications) bySeq.set(n.seq, n);
    for (const e of ctx.transcript.entries) {
      const m = e.json as any;
      if (e.dir === 'in' && isObject(m) && typeof m.method === 'string' && !('id' in m)) bySeq.set(e.seq, { method: m.method, params: m.params, seq: e.seq });
    }
    const all = [...bySeq.values()];
    const carrying = all.filter((n) => isObject(n.params?._meta) && key in n.params._meta);
    if (carrying.length === 0) {
      if (all.length === 0) skip('not applicable: the server sent no notifications in this run, so there is no notification to judge');
      return { message: `none of the ${all.length} notifications carries session metadata` };
    }
    const first = carrying[0]!;
    const seqs = new Set(carrying.map((n) => n.seq));
    fail({
      message: `${carrying.length} of ${all.length} notifications carry session metadata under params._meta[${JSON.stringify(key)}]`,
      expected: `notifications without params._meta[${JSON.stringify(key)}]`,
      actual: `${first.method} with params._meta[${JSON.stringify(key)}] = ${quote(first.params._meta[key])}`,
      fix: `leave the session out of notifications (${first.method}): session metadata belongs on requests and their results only`,
      entries: ctx.transcript.entries.filter((e) => seqs.has(e.seq)).slice(0, 5),
    });
  },
});

export const useChecks: CheckDef[] = [SESS_USE_1, SESS_USE_2, SESS_USE_3, SESS_USE_4, SESS_USE_5];
