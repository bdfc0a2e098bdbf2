// State (draft §Use, `state`; decision D8): the server's opaque token travels with the client,
// which sends back exactly the newest value. These checks chain it, omit it, forge it, fuzz it
// and measure it.
import type { Outcome, SessionMetadata } from '../harness/types.js';
import type { SessionClient } from '../harness/session-client.js';
import { allowingRevocation, defineCheck, fail, skip, SessionRevoked, type CheckContext, type CheckDef, type Finding, type Random } from './check.js';
import { callProbe, describeOutcome, hasLoneSurrogate, isObject, isToolError, newSession, quote, rejectionFix, succeeded, useLiveSession } from './expect.js';
import { expectModelAgrees } from './model-findings.js';
import { addData, difference, effectOf, genuineEffect, withHistory, type Effect } from './state-effect.js';
import { forgetfulClient, provokeSessionTraffic, sessionMetadataSeen, unparsedLongResponses } from './use.js';

const CHAIN_LENGTH = 10;

export const SESS_STATE_1 = defineCheck({
  id: 'SESS-STATE-1',
  title: 'the server accepts its own newest state back: a chain of 10 calls, each sending the newest state, all succeed',
  how: 'a chain of 10 probe calls in one session, each sending the newest state the server issued; all must succeed',
  section: 'state',
  spec: 'draft §Use (the client sends back the latest state); decision D8',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const note = await allowingRevocation(async () => {
      const session = await newSession(client);
      const tokens = new Set<string>();
      for (let call = 1; call <= CHAIN_LENGTH; call++) {
        const sent = client.newestState(session.sessionId);
        if (sent !== undefined) tokens.add(sent);
        const outcome = await callProbe(client, ctx, session);
        if (succeeded(outcome)) continue;
        const finding = chainBreak({ call, outcome, sent, probe: ctx.discovery.probe!.name, sessionId: session.sessionId, notFound: ctx.profile.errors.sessionNotFound });
        if (outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound) {
          throw new SessionRevoked(session.sessionId, finding);
        }
        fail(finding);
      }
      return tokens.size;
    });
    await expectModelAgrees(ctx);
    const unusable = client.unusable.some((u) => u.field === 'state') ? ' (only state that is not a string, which the client does not send back: see SESS-CREATE-1 / SESS-USE-2)' : '';
    if (note === 0) skip(`not applicable: the server issued no state token${unusable}, so there is no state to send back (all ${CHAIN_LENGTH} calls with {sessionId} alone succeeded; SESS-STATE-2 judges that)`);
    return { message: `all ${CHAIN_LENGTH} calls succeeded; ${note} distinct state tokens were chained` };
  },
});

/**
 * What SESS-STATE-1 says when call `call` of its chain did not succeed. A -32043 is shown only
 * when it ended the check's second session too (allowingRevocation): with a state token sent,
 * the server likely took its own token for a stranger's; with none (the server issued none), no
 * state was involved, and the finding says the sessions ended, not that a token was refused.
 */
export function chainBreak(at: { call: number; outcome: Outcome; sent: string | undefined; probe: string; sessionId: string; notFound: number }): Finding {
  const { call, outcome, sent } = at;
  const expected = `a successful ${at.probe} result inside session ${at.sessionId}`;
  if (sent === undefined && outcome.kind === 'error' && outcome.error.code === at.notFound) {
    return {
      message: `call ${call} of ${CHAIN_LENGTH} got ${at.notFound} (session not found) in a session the server had created moments before, and so did the check's first session: no state was involved (the server issued none)`,
      expected,
      actual: describeOutcome(outcome),
      fix: 'keep a session usable while its client is using it: a server may end a session at any time (D12), but one that ends every session between two calls moments apart cannot be used',
    };
  }
  return {
    message: `call ${call} of ${CHAIN_LENGTH} was rejected although it sent back the newest state the server had issued`,
    expected,
    actual: `${describeOutcome(outcome)}; state sent: ${sent === undefined ? '(none: the server issued none)' : quote(sent, 120)}`,
    fix: 'accept the token you issued last, exactly as issued (no use counter, no one-time tokens within a session)',
  };
}

/** The next valid call after a doubtful one: same session, or (if the server ended it) a new one. */
async function expectStillServing(client: SessionClient, ctx: CheckContext, session: SessionMetadata, after: string): Promise<string> {
  const next = await callProbe(client, ctx, session);
  if (succeeded(next)) return 'the next call in the session succeeded';
  const ended = next.kind === 'error' && next.error.code === ctx.profile.errors.sessionNotFound;
  if (!ended) {
    fail({
      message: `after ${after}, the next valid call in the same session failed`,
      expected: `a successful ${ctx.discovery.probe!.name} result with the newest state`,
      actual: describeOutcome(next),
      fix: 'a bad request must not damage the session or the server: reject that request alone and keep serving',
    });
  }
  // Ending a session that received a doubtful token is the server's right (D12); it must still serve.
  const fresh = await newSession(client);
  await useLiveSession(client, ctx, fresh, `after ${after}, a new session`, 'a bad request must not stop the server from serving new sessions');
  return 'the server ended the session and a new session works';
}

/** A probe that ended in an exit or a timeout; the transcript shows the lines from `fromSeq` on. */
function crashFinding(ctx: CheckContext, fromSeq: number, outcome: Outcome, what: string, fix: string): Finding {
  return {
    message: `${what}: ${outcome.kind === 'exit' ? 'the target exited' : 'no response came'}`,
    expected: 'exactly one response (any result or JSON-RPC error), and the server keeps serving',
    actual: describeOutcome(outcome),
    fix,
    entries: ctx.transcript.entries.filter((e) => e.seq >= fromSeq && (e.check === ctx.id || e.dir === 'event')).slice(0, 8),
  };
}

export const SESS_STATE_2 = defineCheck({
  id: 'SESS-STATE-2',
  title: 'a request without state works (or gets a JSON-RPC error) and never crashes the server; a server that issued no state works with {sessionId} alone',
  how: 'calls with {sessionId} and no state; the answer must be a success or a JSON-RPC error, and the server must keep serving',
  section: 'state',
  spec: 'draft §Use (state is optional); decision D8; derived',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    return allowingRevocation(async () => {
      const session = await newSession(client);
      await useLiveSession(client, ctx, session, 'positive control', 'a session the server just created must be usable');
      if (client.newestState(session.sessionId) === undefined) {
        await useLiveSession(client, ctx, session, 'a second call with {sessionId} alone', 'a server that issues no state must serve {sessionId} alone');
        return { message: 'the server issued no state; {sessionId} alone works' };
      }
      const mark = ctx.transcript.nextSeq();
      const bare = await callProbe(forgetfulClient(client, ctx), ctx, { sessionId: session.sessionId });
      if (bare.kind === 'exit' || bare.kind === 'timeout') {
        fail(crashFinding(ctx, mark, bare, 'a call that left out the state the server had issued', 'treat a missing state as "no state" (or answer a JSON-RPC error such as -32602); never assume it is there'));
      }
      const after = await expectStillServing(client, ctx, session, 'a call without state');
      if (isToolError(bare)) {
        fail({
          soft: true,
          message: 'a call without state was refused inside a successful tool result (isError: true), not as a JSON-RPC error',
          expected: 'success, or a JSON-RPC error',
          actual: describeOutcome(bare),
          fix: rejectionFix(bare, ctx, -32602),
        });
      }
      const how = bare.kind === 'error' ? `answered JSON-RPC error ${bare.error.code}` : 'was accepted';
      return { message: `a call without the issued state ${how}; ${after}` };
    });
  },
});

/** One character changed to another of the same kind, so the token stays well-formed. */
export function flipCharacter(token: string, random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  // Keep off the last two characters: base64 padding and unused low bits would hide the change.
  const last = Math.max(0, token.length - 3);
  const at = random.int(0, last);
  const c = token[at] ?? 'A';
  const i = alphabet.indexOf(c);
  const replacement = i >= 0 ? alphabet[(i + 1) % alphabet.length]! : c === 'x' ? 'y' : 'x';
  return token.slice(0, at) + replacement + token.slice(at + 1);
}

export const SESS_STATE_3 = defineCheck({
  id: 'SESS-STATE-3',
  title: 'a tampered state token, or one taken from another session, is rejected or changes nothing the server does',
  how: 'flips a character of a state token and swaps tokens between two sessions; judged by the effect: rejected, or nothing the server does changes (D22)',
  section: 'state',
  spec: 'draft §Use (state); decisions D8 (protecting state is a SHOULD) and D22 (judged by its effect)',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    return allowingRevocation(async () => {
      // Twins with the same history (two calls): A1 and A2 receive the forged tokens, C and E the
      // genuine ones. B has a history of its own (its data, one call), so its token differs.
      const [a1, a2, c, e, b] = [await newSession(client), await newSession(client), await newSession(client), await newSession(client), await newSession(client)];
      for (const s of [a1, a2, c, e]) await withHistory(client, ctx, s, 2);
      const dataTools = await addData(client, ctx, b);
      await withHistory(client, ctx, b, 1);
      const ownA = client.newestState(a1.sessionId);
      const ownB = client.newestState(b.sessionId);
      if (ownA === undefined || ownB === undefined) {
        const unusable = client.unusable.some((u) => u.field === 'state') ? ' (it issued state that is not a string: see SESS-CREATE-1 / SESS-USE-2)' : '';
        skip(`not applicable: the server issued no state token${unusable}, so there is nothing to tamper with`);
      }
      // Calibration: the same call in two twins. Equal answers make "no effect" observable.
      const [genuineC, genuineE] = [await genuineEffect(client, ctx, c), await genuineEffect(client, ctx, e)];
      const calibrated = genuineC.answer === genuineE.answer;
      const statesComparable = calibrated && genuineC.state === genuineE.state;
      const forger = forgetfulClient(client, ctx);
      const probes: { what: string; into: SessionMetadata; state: string; genuine: Effect }[] = [
        { what: 'tampered state (one character changed)', into: a1, state: flipCharacter(ownA, ctx.random), genuine: genuineC },
      ];
      if (ownB !== ownA) probes.push({ what: "another session's state", into: a2, state: ownB, genuine: genuineE });
      const observed: Record<string, string> = {};
      const effective: string[] = [];
      const harmless: string[] = [];
      for (const probe of probes) {
        const mark = ctx.transcript.nextSeq();
        const outcome = await callProbe(forger, ctx, { sessionId: probe.into.sessionId, state: probe.state });
        if (outcome.kind === 'exit' || outcome.kind === 'timeout') {
          fail(crashFinding(ctx, mark, outcome, probe.what, 'verify the token and answer a JSON-RPC error when it does not verify'));
        }
        if (!succeeded(outcome)) {
          observed[probe.what] = outcome.kind === 'error' ? `rejected: error ${outcome.error.code}` : 'rejected: isError result';
          continue;
        }
        const changed = calibrated ? difference(effectOf(outcome, ctx, probe.into.sessionId), probe.genuine, statesComparable) : 'the server\'s answers differ between two sessions with the same history, so whether the token changed anything cannot be told';
        observed[probe.what] = changed === undefined ? 'accepted, no effect' : `accepted: ${changed}`;
        if (changed === undefined) harmless.push(probe.what);
        else effective.push(`${probe.what}: ${describeOutcome(outcome)} — ${changed}`);
      }
      const identical = ownA === ownB ? ' (two sessions with different histories were issued identical tokens, so the swap could not be tried)' : '';
      const details = { probes: observed, dataTools, statesCompared: statesComparable };
      if (effective.length > 0) {
        fail({
          message: `the server accepted ${effective.map((x) => x.split(':')[0]).join(' and ')} and acted on it${identical}`,
          expected: 'a JSON-RPC error for a state token the server did not issue to this session, or no effect at all',
          actual: effective.join('; '),
          fix: 'sign the state (e.g. HMAC over sessionId and payload with a server-side key) and reject a token whose signature fails or that names another session',
          details,
        });
      }
      if (harmless.length > 0) {
        return {
          message: `the server accepted ${harmless.join(' and ')} but answered${statesComparable ? ' and issued state' : ''} exactly as with the genuine token: it ignores the incoming state (recomputing from its own store), so there is nothing to protect (D22)${identical}`,
          details,
        };
      }
      return { message: `forged state was rejected${identical}`, details };
    });
  },
});

const HOSTILE_STATES: { what: string; value: unknown }[] = [
  { what: 'an empty string', value: '' },
  { what: 'a 64 KiB string', value: 'A'.repeat(64 * 1024) },
  { what: 'a string that is not base64', value: '%%% not base64 ¿? ~~~' },
  { what: 'control characters', value: '\u0000\u0001\u0007\u001b\u007f\u0085' },
  { what: 'non-BMP characters', value: '\u{1F600}\u{1D11E}\u{10FFFF}' },
  { what: 'a lone surrogate ("\\ud800x", an unpaired UTF-16 escape)', value: '\ud800x' },
  { what: 'a number', value: 12345 },
  { what: 'an object', value: { forged: true, callCount: 999 } },
];

export const SESS_STATE_4 = defineCheck({
  id: 'SESS-STATE-4',
  title: 'hostile state values get exactly one response each and never crash or wedge the server',
  how: 'fuzzes state with hostile values (empty, 64 KiB, non-base64, control and non-BMP characters, a number, an object) while no other check runs: one response each, and the next valid call still works',
  section: 'state',
  spec: 'draft §Use (state is opaque to the client, not trusted by the server); derived',
  needs: ['sessions', 'probeTool'],
  process: 'sacrificial',
  async run(ctx) {
    const client = await ctx.freshClient();
    const answers: Record<string, string> = {};
    const hostileIds = new Set<unknown>();
    let dropped: string | undefined;
    for (const hostile of HOSTILE_STATES) {
      await allowingRevocation(async () => {
        const session = await newSession(client);
        await useLiveSession(client, ctx, session, 'positive control', 'a session the server just created must be usable');
        const mark = ctx.transcript.nextSeq();
        const outcome = await callProbe(client, ctx, { raw: { sessionId: session.sessionId, state: hostile.value } });
        hostileIds.add(outcome.id);
        if (outcome.kind === 'timeout' && hasLoneSurrogate(hostile.value)) {
          // D20: a parser may reject a line with an unpaired surrogate escape (RFC 8259 §8.2).
          // No answer while the server keeps serving is BASE-PARSE-1's finding, not this check's;
          // a wedged server fails below (the next valid call gets no answer).
          answers[hostile.what] = 'no answer (the line was dropped; judged by BASE-PARSE-1)';
          dropped = hostile.what;
          await expectStillServing(client, ctx, session, `state set to ${hostile.what} (which got no answer)`);
          return;
        }
        if (outcome.kind === 'exit' || outcome.kind === 'timeout') {
          fail(crashFinding(ctx, mark, outcome, `state set to ${hostile.what}`, 'validate the state (type, size, encoding) before decoding it, and answer -32602 for a bad one'));
        }
        answers[hostile.what] = outcome.kind === 'error' ? `error ${outcome.error.code}` : succeeded(outcome) ? 'accepted' : 'isError result';
        await expectStillServing(client, ctx, session, `state set to ${hostile.what}`);
      });
    }
    // Only extra answers to the hostile requests themselves count (BASE-ID-1 judges the rest).
    const bySeq = new Map(ctx.transcript.entries.filter((e) => e.conn === client.peer.conn).map((e) => [e.seq, e]));
    const repeated = ctx.transcript.violations.filter(
      (v) =>
        v.conn === client.peer.conn &&
        (v.kind === 'duplicate-response' || v.kind === 'unknown-id') &&
        hostileIds.has((bySeq.get(v.seq)?.json as { id?: unknown } | undefined)?.id),
    );
    if (repeated.length > 0) {
      fail({
        message: 'a request with a hostile state got more than one response',
        expected: 'exactly one response per request',
        actual: repeated.map((v) => v.detail).slice(0, 3).join('; '),
        fix: 'answer each request once, even when decoding its state fails half way',
        entries: ctx.transcript.entries.filter((e) => repeated.some((v) => v.seq === e.seq)),
      });
    }
    await expectModelAgrees(ctx);
    if (dropped) {
      return {
        message: `every hostile state but one got one response, and the server kept serving; the request with ${dropped} got no answer — RFC 8259 §8.2 leaves unpaired surrogates open, so that is judged by BASE-PARSE-1 (D20), not here`,
        details: { answers },
      };
    }
    return { message: `every hostile state got one response and the server kept serving`, details: { answers } };
  },
});

const STATE_LIMIT_BYTES = 4096;

export const SESS_STATE_5 = defineCheck({
  id: 'SESS-STATE-5',
  title: 'every state token stays under 4 KiB, so it fits in an HTTP header',
  how: 'measures every state token seen in the run against 4 KiB',
  section: 'state',
  spec: 'draft §Use (state); decision D14 (Streamable HTTP headers); whole run',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    await provokeSessionTraffic(ctx);
    const tokens = sessionMetadataSeen(ctx).filter((s) => isObject(s.value) && typeof s.value.state === 'string');
    const sized = tokens.map((s) => ({ seen: s, bytes: Buffer.byteLength((s.value as SessionMetadata).state!, 'utf8') }));
    const large = sized.filter((s) => s.bytes >= STATE_LIMIT_BYTES);
    const unreadable = unparsedLongResponses(ctx, '"state"');
    if (large.length === 0 && unreadable.length === 0) {
      const max = sized.reduce((m, s) => Math.max(m, s.bytes), 0);
      if (tokens.length === 0) skip('not applicable: the server issued no state token (as a string) in this run, so there is no token to measure');
      return { message: `the largest of ${tokens.length} state tokens is ${max} bytes` };
    }
    const biggest = large.reduce((m, s) => Math.max(m, s.bytes), 0);
    fail({
      message: large.length > 0
        ? `${large.length} of ${tokens.length} state tokens are ${STATE_LIMIT_BYTES} bytes or larger (largest: ${biggest} bytes)`
        : `${unreadable.length} responses carrying state were too long to keep (over ${ctx.transcript.limits.maxJsonChars} characters)`,
      expected: `state tokens under ${STATE_LIMIT_BYTES} bytes (UTF-8)`,
      actual: large.length > 0 ? `a ${biggest}-byte state token` : `a response line of ${unreadable[0]!.text.length + (unreadable[0]!.truncated ?? 0)} characters`,
      fix: 'keep bulky data on the server (keyed by the session) and put only a reference or a compact digest in state',
      entries: [...large.map((s) => s.seen.entry), ...unreadable].slice(0, 3),
      details: { tokens: tokens.length, largestBytes: biggest },
    });
  },
});

export const stateChecks: CheckDef[] = [SESS_STATE_1, SESS_STATE_2, SESS_STATE_3, SESS_STATE_4, SESS_STATE_5];
