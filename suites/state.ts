// State (draft §Use, `state`; decision D8): the server's opaque token travels with the client,
// which sends back exactly the newest value. These checks chain it, omit it, forge it, fuzz it
// and measure it.
import type { Outcome, SessionMetadata } from '../harness/types.js';
import type { SessionClient } from '../harness/session-client.js';
import { allowingRevocation, defineCheck, fail, skip, SessionRevoked, type CheckContext, type CheckDef, type Finding, type Random } from './check.js';
import { callProbe, describeOutcome, isObject, isToolError, newSession, quote, rejectionFix, succeeded, useLiveSession } from './expect.js';
import { expectModelAgrees } from './model-findings.js';
import { forgetfulClient, provokeSessionTraffic, sessionMetadataSeen, unparsedLongResponses } from './use.js';

const CHAIN_LENGTH = 10;

export const SESS_STATE_1 = defineCheck({
  id: 'SESS-STATE-1',
  title: 'the server accepts its own newest state back: a chain of 10 calls, each sending the newest state, all succeed',
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
        const finding = {
          message: `call ${call} of ${CHAIN_LENGTH} was rejected although it sent back the newest state the server had issued`,
          expected: `a successful ${ctx.discovery.probe!.name} result inside session ${session.sessionId}`,
          actual: `${describeOutcome(outcome)}; state sent: ${sent === undefined ? '(none: the server issued none)' : quote(sent, 120)}`,
          fix: 'accept the token you issued last, exactly as issued (no use counter, no one-time tokens within a session)',
        };
        if (outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound) {
          throw new SessionRevoked(session.sessionId, finding);
        }
        fail(finding);
      }
      return tokens.size === 0
        ? 'the server issued no state; all 10 calls with {sessionId} alone succeeded'
        : `all ${CHAIN_LENGTH} calls succeeded; ${tokens.size} distinct state tokens were chained`;
    });
    await expectModelAgrees(ctx);
    return { message: note };
  },
});

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
  title: 'a tampered state token, or one taken from another session, is rejected',
  section: 'state',
  spec: 'draft §Use (state); decision D8 (protecting state is a SHOULD)',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    return allowingRevocation(async () => {
      const a = await newSession(client);
      const b = await newSession(client);
      // Two calls in A, one in B: tokens that count calls differ between the sessions.
      for (const s of [a, a, b]) await useLiveSession(client, ctx, s, 'positive control', 'a session the server just created must be usable');
      const ownA = client.newestState(a.sessionId);
      const ownB = client.newestState(b.sessionId);
      if (ownA === undefined || ownB === undefined) skip('not applicable: the server issued no state token, so there is nothing to tamper with');
      const forger = forgetfulClient(client, ctx);
      const accepted: string[] = [];
      const observed: Record<string, string> = {};
      const probes: { what: string; state: string }[] = [{ what: 'tampered state (one character changed)', state: flipCharacter(ownA, ctx.random) }];
      if (ownB !== ownA) probes.push({ what: "session B's state sent in session A", state: ownB });
      for (const probe of probes) {
        const mark = ctx.transcript.nextSeq();
        const outcome = await callProbe(forger, ctx, { sessionId: a.sessionId, state: probe.state });
        if (outcome.kind === 'exit' || outcome.kind === 'timeout') {
          fail(crashFinding(ctx, mark, outcome, probe.what, 'verify the token and answer a JSON-RPC error when it does not verify'));
        }
        observed[probe.what] = succeeded(outcome) ? 'accepted' : outcome.kind === 'error' ? `error ${outcome.error.code}` : 'isError result';
        if (succeeded(outcome)) accepted.push(`${probe.what}: ${describeOutcome(outcome)}`);
      }
      const identical = ownA === ownB ? ' (the two sessions were issued identical tokens, so the swap could not be tried: the token is not bound to its session)' : '';
      if (accepted.length > 0) {
        fail({
          message: `the server accepted ${Object.keys(observed).filter((w) => observed[w] === 'accepted').join(' and ')}${identical}`,
          expected: 'a JSON-RPC error for a state token the server did not issue to this session',
          actual: accepted.join('; '),
          fix: 'sign the state (e.g. HMAC over sessionId and payload with a server-side key) and reject a token whose signature fails or that names another session',
          details: { probes: observed },
        });
      }
      return { message: `forged state was rejected${identical}`, details: { probes: observed } };
    });
  },
});

const HOSTILE_STATES: { what: string; value: unknown }[] = [
  { what: 'an empty string', value: '' },
  { what: 'a 64 KiB string', value: 'A'.repeat(64 * 1024) },
  { what: 'a string that is not base64', value: '%%% not base64 ¿? ~~~' },
  { what: 'control characters', value: '\u0000\u0001\u0007\u001b\u007f\u0085' },
  { what: 'non-BMP characters', value: '\u{1F600}\u{1D11E}\u{10FFFF}' },
  { what: 'a number', value: 12345 },
  { what: 'an object', value: { forged: true, callCount: 999 } },
];

export const SESS_STATE_4 = defineCheck({
  id: 'SESS-STATE-4',
  title: 'hostile state values get exactly one response each and never crash or wedge the server',
  section: 'state',
  spec: 'draft §Use (state is opaque to the client, not trusted by the server); derived',
  needs: ['sessions', 'probeTool'],
  process: 'sacrificial',
  async run(ctx) {
    const client = await ctx.freshClient();
    const answers: Record<string, string> = {};
    const hostileIds = new Set<unknown>();
    for (const hostile of HOSTILE_STATES) {
      await allowingRevocation(async () => {
        const session = await newSession(client);
        await useLiveSession(client, ctx, session, 'positive control', 'a session the server just created must be usable');
        const mark = ctx.transcript.nextSeq();
        const outcome = await callProbe(client, ctx, { raw: { sessionId: session.sessionId, state: hostile.value } });
        hostileIds.add(outcome.id);
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
    return { message: `every hostile state got one response and the server kept serving`, details: { answers } };
  },
});

const STATE_LIMIT_BYTES = 4096;

export const SESS_STATE_5 = defineCheck({
  id: 'SESS-STATE-5',
  title: 'every state token stays under 4 KiB, so it fits in an HTTP header',
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
      return { message: tokens.length === 0 ? 'the server issued no state tokens in this run' : `the largest of ${tokens.length} state tokens is ${max} bytes` };
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
