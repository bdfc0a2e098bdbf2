// Errors (draft §Errors): how a server says "this session does not exist", what a -32043
// carries, what malformed metadata gets, and what a restart does to old ids.
import type { SessionClient } from '../harness/session-client.js';
import type { Outcome, SessionMetadata, TranscriptEntry } from '../harness/types.js';
import { allowingRevocation, defineCheck, fail, skip, type CheckContext, type CheckDef, type Finding } from './check.js';
import {
  callProbe,
  describeOutcome,
  isObject,
  isToolError,
  newSession,
  quote,
  rejectionFix,
  showDifference,
  succeeded,
  useLiveSession,
} from './expect.js';
import { expectModelAgrees } from './model-findings.js';

export const SESS_ERR_1 = defineCheck({
  id: 'SESS-ERR-1',
  title: 'a request naming a never-issued session gets JSON-RPC error -32043, not an isError tool result',
  how: 'after a positive control (a live session works), calls the probe tool with a random never-issued session id; expects JSON-RPC error -32043',
  section: 'errors',
  spec: 'draft §Errors (Session not found); decision D1',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const notFound = ctx.profile.errors.sessionNotFound;
    await allowingRevocation(async () => {
      const live = await newSession(client);
      await useLiveSession(client, ctx, live, 'positive control', 'a session the server just created must be usable');
    });
    const unknown = ctx.random.unknownSessionId();
    const outcome = await callProbe(client, ctx, { sessionId: unknown });
    if (outcome.kind !== 'error' || outcome.error.code !== notFound) {
      fail({
        message: isToolError(outcome)
          ? `the unknown session was reported inside a successful tool result (isError: true), not as JSON-RPC error ${notFound}`
          : `a request naming the never-issued session ${unknown} did not get JSON-RPC error ${notFound}`,
        expected: `JSON-RPC error ${notFound} "Session not found" with data.sessionId ${quote(unknown)}`,
        actual: describeOutcome(outcome),
        fix: rejectionFix(outcome, ctx, notFound),
      });
    }
    await expectModelAgrees(ctx);
  },
});

/** The sessionId a request carried in its session metadata, if that was a string. */
function sentSessionId(request: any, metaKey: string): { carried: boolean; id?: string } {
  const meta = request?.params?._meta;
  if (!isObject(meta) || !(metaKey in meta)) return { carried: false };
  const value = meta[metaKey];
  return isObject(value) && typeof value.sessionId === 'string' ? { carried: true, id: value.sessionId } : { carried: false };
}

/** What is wrong with one -32043 error object (empty list: nothing). */
export function notFoundProblems(error: any, sent: string | undefined): { problem: string; fix: string }[] {
  const problems: { problem: string; fix: string }[] = [];
  if (!Number.isInteger(error?.code)) problems.push({ problem: `code ${quote(error?.code)} is not an integer`, fix: 'send the code as a JSON integer' });
  if (typeof error?.message !== 'string') {
    problems.push({ problem: `message ${quote(error?.message)} is not a string`, fix: 'send message: "Session not found"' });
  }
  const data = error?.data;
  if (!isObject(data) || !('sessionId' in data)) {
    problems.push({
      problem: `data.sessionId is missing (data: ${quote(data)})`,
      fix: 'add `data: { sessionId }` to the -32043 error, with the id the request sent',
    });
  } else if (typeof data.sessionId !== 'string') {
    problems.push({ problem: `data.sessionId ${quote(data.sessionId)} is not a string`, fix: 'put the id the request sent, as a string, in data.sessionId' });
  } else if (sent !== undefined && data.sessionId !== sent) {
    problems.push({
      problem: `data.sessionId is not the id the request sent: ${showDifference(sent, data.sessionId)}`,
      fix: 'copy the sessionId of the request into data.sessionId unchanged (no trimming, truncation or normalisation)',
    });
  }
  return problems;
}

/** Sends a few requests that should draw errors, so an observer has material when run alone. */
async function provokeErrors(ctx: CheckContext, client: SessionClient, unknownMethod: boolean): Promise<void> {
  const unknown = ctx.random.unknownSessionId();
  if (ctx.discovery.probe) await callProbe(client, ctx, { sessionId: unknown });
  await client.delete({ sessionId: ctx.random.unknownSessionId() });
  if (unknownMethod) await client.request(`conformance/unknown-${ctx.random.hex(8)}`, {}, null);
}

function entriesAt(ctx: CheckContext, seqs: number[]): TranscriptEntry[] {
  const wanted = new Set(seqs);
  return ctx.transcript.entries.filter((e) => wanted.has(e.seq));
}

export const SESS_ERR_2 = defineCheck({
  id: 'SESS-ERR-2',
  title: 'every -32043 error has an integer code, a string message and data.sessionId equal to the id the request sent',
  how: 'inspects every -32043 the server sent in the run: integer code, string message, data.sessionId equal to the id sent',
  section: 'errors',
  spec: 'draft §Errors (data.sessionId is required); whole run',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    await provokeErrors(ctx, await ctx.client(), false);
    const notFound = ctx.profile.errors.sessionNotFound;
    const found: { problem: string; fix: string; seqs: number[] }[] = [];
    const judged = new Set<number>();
    let seen = 0;
    for (const ex of ctx.transcript.exchanges) {
      if (ex.response?.error?.code !== notFound) continue;
      seen++;
      if (ex.responseSeq !== undefined) judged.add(ex.responseSeq);
      const sent = sentSessionId(ex.request, ctx.profile.metaKey);
      for (const p of notFoundProblems(ex.response.error, sent.id)) {
        const what = sent.carried ? `answer to ${ex.method} with sessionId ${quote(sent.id)}` : `answer to ${ex.method} without a sessionId`;
        found.push({ ...p, problem: `${what}: ${p.problem}`, seqs: [ex.requestSeq, ex.responseSeq ?? -1] });
      }
    }
    // Errors to lines the harness wrote raw (no exchange): the id sent is not known, the shape is.
    for (const e of ctx.transcript.entries) {
      const error = (e.json as any)?.error;
      if (e.dir !== 'in' || error?.code !== notFound || judged.has(e.seq)) continue;
      seen++;
      for (const p of notFoundProblems(error, undefined)) found.push({ ...p, problem: `answer on line ${e.seq}: ${p.problem}`, seqs: [e.seq] });
    }
    if (found.length > 0) {
      const first = found[0]!;
      fail({
        message: `${found.length} problem${found.length === 1 ? '' : 's'} in ${seen} ${notFound} error${seen === 1 ? '' : 's'} of the run; first: ${first.problem}`,
        expected: `{"code":${notFound},"message":"Session not found","data":{"sessionId":"<the id the request sent>"}}`,
        actual: found.slice(0, 5).map((f) => f.problem).join('; '),
        fix: first.fix,
        entries: entriesAt(ctx, found.slice(0, 5).flatMap((f) => f.seqs)),
      });
    }
    if (seen === 0) skip(`not applicable: no ${notFound} error was seen in the run, so there is no error to judge`);
    return { message: `all ${seen} ${notFound} errors were well formed` };
  },
});

const GENERIC_MESSAGES = /^(error|err|errors?!*|fail(ed|ure)?|unknown( error)?|null|undefined|none|n\/a|todo|invalid|bad|oops|message)$/i;

/** Why an error message would not tell a developer what went wrong (undefined: it would). */
export function whyNotDescriptive(message: string): string | undefined {
  const text = message.trim();
  if (text === '') return message === '' ? 'it is empty' : 'it is only whitespace';
  if (!/\p{L}/u.test(text)) return 'it has no words';
  if (text.length < 4) return 'it is too short to say anything';
  if (GENERIC_MESSAGES.test(text.replace(/[.!:]+$/, ''))) return 'it is a generic placeholder';
  return undefined;
}

export const SESS_ERR_3 = defineCheck({
  id: 'SESS-ERR-3',
  title: 'every error message the server sends is non-empty and descriptive',
  how: 'inspects every JSON-RPC error message of the run: non-empty and descriptive',
  section: 'errors',
  spec: 'draft §Errors (message "Session not found"); JSON-RPC 2.0 §5.1 (message: a short description); whole run',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    await provokeErrors(ctx, await ctx.client(), true);
    const found: { why: string; entry: TranscriptEntry; message: string; code: unknown }[] = [];
    let seen = 0;
    for (const entry of ctx.transcript.entries) {
      const error = (entry.json as any)?.error;
      // A non-string message is a wire-format fault (BASE-WIRE-*), not this check's.
      if (entry.dir !== 'in' || !isObject(error) || typeof error.message !== 'string') continue;
      seen++;
      const why = whyNotDescriptive(error.message);
      if (why) found.push({ why, entry, message: error.message, code: error.code });
    }
    if (found.length > 0) {
      const first = found[0]!;
      fail({
        message: `${found.length} of ${seen} error messages of the run say nothing useful; first: error ${quote(first.code)} with message ${quote(first.message)} (${first.why})`,
        expected: 'a message naming what went wrong, e.g. "Session not found" for -32043',
        actual: found.slice(0, 5).map((f) => `${quote(f.code)} ${quote(f.message)}`).join('; '),
        fix: 'give every JSON-RPC error a short message that says what went wrong (the JSON-RPC standard texts, or "Session not found" / "Session required")',
        entries: found.slice(0, 8).map((f) => f.entry),
      });
    }
    if (seen === 0) skip('not applicable: the server sent no JSON-RPC error with a string message in this run, so there is no message to judge');
    return { message: `all ${seen} error messages of the run were descriptive` };
  },
});

/** The malformed session metadata SESS-ERR-4 sends; `live` is a real id, so leniency would show. */
export function malformedShapes(live: string): { label: string; raw: unknown }[] {
  return [
    { label: 'sessionId missing', raw: {} },
    { label: 'sessionId is a number', raw: { sessionId: 123 } },
    { label: 'sessionId is null', raw: { sessionId: null } },
    { label: 'sessionId is an object', raw: { sessionId: { sessionId: live } } },
    { label: 'sessionId is an empty string', raw: { sessionId: '' } },
    { label: 'metadata is a string (a live id)', raw: live },
    { label: 'metadata is an array', raw: [{ sessionId: live }] },
    { label: 'metadata is null', raw: null },
  ];
}

export const SESS_ERR_4 = defineCheck({
  id: 'SESS-ERR-4',
  title: 'malformed session metadata on a session-only tool gets a JSON-RPC error, never success, and never crashes the server',
  how: 'calls a session-only tool once per malformed shape of session metadata (sessionId missing, a number, null, an object, an empty string; metadata not an object); each must get a JSON-RPC error and the server must keep serving',
  section: 'errors',
  spec: (p) =>
    `draft ${p.draft} §SessionMetadata (sessionId: string, required), derived. An isError tool result is not a JSON-RPC error: ` +
    (p.levels['SESS-ERR-1'] === 'MUST' ? 'a failure under this revision, where SESS-ERR-1 is a MUST (D1)' : 'a warning under this revision, where SESS-ERR-1 is not a MUST (D1)'),
  needs: ['sessions', 'sessionTool'],
  process: 'sacrificial',
  async run(ctx) {
    const client = await ctx.client();
    const tool = ctx.discovery.sessionTool!;
    const hardIsError = ctx.profile.levels['SESS-ERR-1'] === 'MUST';
    const lenient: Finding[] = [];
    await allowingRevocation(async () => {
      lenient.length = 0;
      const live = await newSession(client);
      const control = 'a session the server just created must be usable';
      await useLiveSession(client, ctx, live, 'positive control', control);
      for (const shape of malformedShapes(live.sessionId)) {
        const mark = ctx.transcript.nextSeq();
        const outcome = await client.callTool(tool.name, tool.args, { raw: shape.raw });
        // The exchange this shape caused, for the excerpt of a finding that names it.
        const answeredAt = client.peer.seqOf(outcome) ?? Number.MAX_SAFE_INTEGER;
        const exchange = ctx.transcript.entries.filter((e) => e.seq >= mark && e.seq <= answeredAt && e.check === ctx.id && e.dir !== 'stderr');
        const sent = `${tool.name} with session metadata ${quote(shape.raw)} (${shape.label})`;
        if (outcome.kind === 'timeout' || outcome.kind === 'exit' || client.peer.exited) {
          fail({
            message: `the server ${outcome.kind === 'timeout' ? 'stopped answering' : 'crashed'} on ${sent}`,
            expected: 'a JSON-RPC error (e.g. -32602 Invalid params), and the server keeps serving',
            actual: client.peer.exited ? `the target exited (code ${client.peer.exited.code}, signal ${client.peer.exited.signal})` : describeOutcome(outcome),
            fix: 'validate the session metadata (an object with a non-empty string sessionId) before using it, and answer -32602 when it is not',
          });
        }
        if (succeeded(outcome)) {
          fail({
            message: `the session-only tool succeeded on ${sent}`,
            expected: 'a JSON-RPC error (e.g. -32602 Invalid params)',
            actual: describeOutcome(outcome),
            entries: exchange,
            fix: 'treat only an object with a non-empty string sessionId as session metadata; reject anything else with -32602 instead of coercing or ignoring it',
          });
        }
        if (isToolError(outcome)) {
          lenient.push({
            message: `${sent} was rejected inside a successful tool result (isError: true), not as a JSON-RPC error`,
            expected: 'a JSON-RPC error (e.g. -32602 Invalid params)',
            actual: describeOutcome(outcome),
            fix: rejectionFix(outcome, ctx, -32602),
            soft: !hardIsError,
            entries: exchange,
          });
        }
        await useLiveSession(client, ctx, live, `after ${shape.label}`, 'a malformed request must not disturb other sessions or the server');
      }
    });
    if (lenient.length > 0) fail({ ...lenient[0]!, message: `${lenient.length} malformed shape(s) answered with isError results; first: ${lenient[0]!.message}` });
    await expectModelAgrees(ctx);
  },
});

export const SESS_ERR_5 = defineCheck({
  id: 'SESS-ERR-5',
  title: 'after the server process restarts, an old session id is unknown unless the server keeps sessions durably',
  how: 'restarts the target process and reuses a session id from before; reports whether it is still known (informational)',
  section: 'errors',
  spec: 'draft §Errors (-32043 for sessions the server does not know); informational',
  needs: ['sessions', 'probeTool'],
  // A stdio server's sessions live in its process: a new process of the same command is the
  // restart (as the transcripts of the originals do it, E5), so the session is made on a shared
  // process and reused on one new process. The restart starts the moment the session exists,
  // beside discovery (the longest wait of a run, begun as early as its meaning allows).
  process: 'restart',
  beforeDiscovery: true,
  async run(ctx) {
    const from = ctx.transcript.nextSeq(); // this attempt's lines only (a rerun starts anew)
    const first = await ctx.client();
    const { session, second } = await allowingRevocation(async (attempt) => {
      const live = await newSession(first);
      ctx.note(`${attempt > 1 ? 'again: ' : ''}starting a new target process now that session ${live.sessionId} exists; it is reused there`);
      const restarting = ctx.freshClient();
      restarting.catch(() => undefined); // awaited below, or closed with the check
      try {
        await ctx.discovered();
        await useLiveSession(first, ctx, live, 'positive control', 'a session the server just created must be usable');
      } catch (err) {
        // Revoked before the control (D12): the next attempt's restart follows its new session;
        // any other end (no probe tool, a failed control) needs no restart either.
        await restarting.then((c) => ctx.closeFresh(c), () => undefined);
        throw err;
      }
      return { session: live, second: await restarting };
    });
    const state = first.newestState(session.sessionId) ?? session.state;
    const reused = { sessionId: session.sessionId, ...(state !== undefined && { state }) };
    const outcome: Outcome = await callProbe(second, ctx, reused);
    const notFound = ctx.profile.errors.sessionNotFound;
    const details = { sessionId: session.sessionId, afterRestart: describeOutcome(outcome) };
    // The first process's lines, then the restart's: in time order the two interleave by how
    // the restart's start-up fell against the control call, and a rerun would show another order.
    const restart = second.peer.conn;
    const entries = ctx.transcript.forCheck(ctx.id).filter((e) => e.seq >= from).sort((a, b) => Number(a.conn === restart) - Number(b.conn === restart) || a.seq - b.seq);
    if (outcome.kind === 'error' && outcome.error.code === notFound) {
      return { message: `unknown after restart: the old id got ${notFound} (sessions live in the process's memory)`, details, entries };
    }
    if (succeeded(outcome)) {
      return { message: 'still works after restart: the server keeps sessions durably', details, entries };
    }
    return { message: `after restart the old id got ${describeOutcome(outcome)}`, details, entries };
  },
});

export const errorChecks: CheckDef[] = [SESS_ERR_1, SESS_ERR_2, SESS_ERR_3, SESS_ERR_4, SESS_ERR_5];
