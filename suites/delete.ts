// Delete (draft §Delete; decision D6): sessions/delete ends exactly the named session.
import type { SessionClient } from '../harness/session-client.js';
import type { Outcome, SessionMetadata } from '../harness/types.js';
import {
  SessionRevoked,
  allowingRevocation,
  defineCheck,
  fail,
  untestable,
  type CheckContext,
  type CheckDef,
} from './check.js';
import {
  callProbe,
  describeOutcome,
  isObject,
  isToolError,
  newSession,
  quote,
  rejectionFix,
  useLiveSession,
} from './expect.js';
import { notFoundProblems } from './errors.js';
import { expectModelAgrees } from './model-findings.js';

const CONTROL_FIX = 'a session the server just created must be usable';

/** Deletes a session the check just created; a -32043 there is revocation (D12). */
async function deleteLive(client: SessionClient, ctx: CheckContext, session: SessionMetadata): Promise<Outcome> {
  const outcome = await client.delete(session);
  if (outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound) {
    throw new SessionRevoked(session.sessionId, {
      message: `${ctx.profile.methods.delete} of a session the server had just created got ${ctx.profile.errors.sessionNotFound}, twice in a row`,
      expected: 'an object result ({})',
      actual: describeOutcome(outcome),
      fix: 'look the session up in the same store sessions/create adds it to',
    });
  }
  return outcome;
}

/** For checks that rely on delete working: a delete that does not is SESS-DELETE-1's failure. */
async function deleteOrUntestable(client: SessionClient, ctx: CheckContext, session: SessionMetadata): Promise<void> {
  const outcome = await deleteLive(client, ctx, session);
  if (outcome.kind !== 'result') untestable(`deleting a live session failed (${describeOutcome(outcome)}); see SESS-DELETE-1`);
}

export const SESS_DELETE_1 = defineCheck({
  id: 'SESS-DELETE-1',
  title: 'deleting a live session returns an object result ({})',
  how: 'creates a session and deletes it; the result must be an object',
  section: 'delete',
  spec: 'draft §Delete (result {}; extra keys tolerated)',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const outcome = await allowingRevocation(async () => deleteLive(client, ctx, await newSession(client)));
    if (outcome.kind !== 'result' || !isObject(outcome.result)) {
      fail({
        message:
          outcome.kind === 'result'
            ? `${ctx.profile.methods.delete} returned ${quote(outcome.result)}, not an object`
            : `${ctx.profile.methods.delete} of a live session did not succeed`,
        expected: 'result {} (an object; extra keys tolerated)',
        actual: describeOutcome(outcome),
        fix: outcome.kind === 'result' ? 'return an empty object {} as the delete result' : 'delete the named session and answer {}',
      });
    }
  },
});

export const SESS_DELETE_2 = defineCheck({
  id: 'SESS-DELETE-2',
  title: 'a deleted session is unknown afterwards: using it gets -32043',
  how: 'creates, deletes, then calls the probe tool in the deleted session; expects -32043',
  section: 'delete',
  spec: 'draft §Delete, §Errors (Session not found)',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const notFound = ctx.profile.errors.sessionNotFound;
    const session = await allowingRevocation(async () => {
      const live = await newSession(client);
      await useLiveSession(client, ctx, live, 'positive control', CONTROL_FIX);
      await deleteOrUntestable(client, ctx, live);
      return live;
    });
    const outcome = await callProbe(client, ctx, session);
    if (outcome.kind !== 'error' || outcome.error.code !== notFound) {
      fail({
        message:
          outcome.kind === 'result' && !isToolError(outcome)
            ? `the deleted session ${session.sessionId} still works`
            : `using the deleted session ${session.sessionId} did not get JSON-RPC error ${notFound}`,
        expected: `JSON-RPC error ${notFound} with data.sessionId ${quote(session.sessionId)}`,
        actual: describeOutcome(outcome),
        fix:
          outcome.kind === 'result' && !isToolError(outcome)
            ? `remove the session from the store on ${ctx.profile.methods.delete} so later requests naming it get ${notFound}`
            : rejectionFix(outcome, ctx, notFound),
      });
    }
    await expectModelAgrees(ctx);
  },
});

export const SESS_DELETE_3 = defineCheck({
  id: 'SESS-DELETE-3',
  title: 'deleting an unknown or already deleted session gets -32043 with data.sessionId',
  how: 'deletes a never-issued session and deletes one session twice; expects -32043 with data.sessionId',
  section: 'delete',
  spec: 'draft §Errors; decision D6 (2026-03-13 allows an idempotent {}: reported, not failed)',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    const notFound = ctx.profile.errors.sessionNotFound;
    const unknown = ctx.random.unknownSessionId();
    const first = await client.delete({ sessionId: unknown });
    const deleted = await allowingRevocation(async () => {
      const live = await newSession(client);
      await deleteOrUntestable(client, ctx, live);
      return live;
    });
    const again = await client.delete(deleted);
    const cases = [
      { what: `deleting the never-issued session ${unknown}`, id: unknown, outcome: first },
      { what: `deleting the already deleted session ${deleted.sessionId}`, id: deleted.sessionId, outcome: again },
    ];
    const idempotent = cases.every((c) => c.outcome.kind === 'result' && isObject(c.outcome.result));
    if (ctx.level === 'INFO' && idempotent) {
      return { message: `idempotent delete: both an unknown and an already deleted session got ${cases.map((c) => describeOutcome(c.outcome)).join(' / ')} (allowed by this revision, D6)` };
    }
    for (const c of cases) {
      const error = c.outcome.kind === 'error' ? c.outcome.error : undefined;
      if (error?.code !== notFound) {
        fail({
          message: `${c.what} did not get JSON-RPC error ${notFound}`,
          expected: `JSON-RPC error ${notFound} with data.sessionId ${quote(c.id)}`,
          actual: describeOutcome(c.outcome),
          fix:
            c.outcome.kind === 'result'
              ? `answer ${notFound} when ${ctx.profile.methods.delete} names a session the server does not hold (this revision does not allow an idempotent {})`
              : rejectionFix(c.outcome, ctx, notFound),
        });
      }
      const problem = notFoundProblems(error, c.id)[0];
      if (problem) {
        fail({
          message: `${c.what}: ${problem.problem}`,
          expected: `JSON-RPC error ${notFound} with data.sessionId ${quote(c.id)}`,
          actual: describeOutcome(c.outcome),
          fix: problem.fix,
        });
      }
    }
    await expectModelAgrees(ctx);
    return { message: `both an unknown and an already deleted session got ${notFound} with data.sessionId` };
  },
});

export const SESS_DELETE_4 = defineCheck({
  id: 'SESS-DELETE-4',
  title: 'sessions/delete without session metadata gets a JSON-RPC error, never success',
  how: 'sends sessions/delete without session metadata; expects a JSON-RPC error',
  section: 'delete',
  spec: 'draft §Delete (the session to end is named in _meta); decision D6',
  needs: ['sessions'],
  async run(ctx) {
    const client = await ctx.client();
    await allowingRevocation(async () => {
      const live = await newSession(client);
      await deleteOrUntestable(client, ctx, live);
    });
    const variants: { label: string; outcome: Outcome }[] = [
      // Malformed on purpose (the delete request schema requires the session): not a harness bug.
      { label: 'params omitted', outcome: await client.delete(null, { invalidOnPurpose: true }) },
      { label: 'params: {}', outcome: await client.request(ctx.profile.methods.delete, {}, null, { invalidOnPurpose: true }) },
    ];
    for (const v of variants) {
      if (v.outcome.kind === 'error') continue;
      fail({
        message: `${ctx.profile.methods.delete} without session metadata (${v.label}) ${v.outcome.kind === 'result' ? 'succeeded' : 'got no answer'}`,
        expected: `a JSON-RPC error, e.g. -32602 (Invalid params: no session named) or ${ctx.profile.errors.sessionNotFound} with data.sessionId ""`,
        actual: describeOutcome(v.outcome),
        fix:
          v.outcome.kind === 'result'
            ? `refuse ${ctx.profile.methods.delete} that names no session with a JSON-RPC error instead of treating it as a no-op`
            : 'answer every request within the timeout',
      });
    }
  },
});

export const SESS_DELETE_5 = defineCheck({
  id: 'SESS-DELETE-5',
  title: 'deleting one session leaves the other sessions working',
  how: 'creates sessions A and B, deletes A, then uses B; B must keep working',
  section: 'delete',
  spec: 'draft §Delete (ends the named session), derived',
  needs: ['sessions', 'probeTool'],
  // A server that breaks this revokes every session on its process: keep the damage to ours.
  process: 'sacrificial',
  async run(ctx) {
    const client = await ctx.client();
    await allowingRevocation(async () => {
      const a = await newSession(client);
      const b = await newSession(client);
      await useLiveSession(client, ctx, a, 'positive control (session A)', CONTROL_FIX);
      await useLiveSession(client, ctx, b, 'positive control (session B)', CONTROL_FIX);
      await deleteOrUntestable(client, ctx, a);
      await useLiveSession(
        client,
        ctx,
        b,
        `after deleting session A (${a.sessionId}), session B (${b.sessionId})`,
        `remove only the named session on ${ctx.profile.methods.delete}, not the whole store`,
      );
    });
    await expectModelAgrees(ctx);
  },
});

export const deleteChecks: CheckDef[] = [SESS_DELETE_1, SESS_DELETE_2, SESS_DELETE_3, SESS_DELETE_4, SESS_DELETE_5];
