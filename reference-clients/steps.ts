// The steps every client under test runs (those of the demo set's reference client), on one or
// two servers. With two servers each step runs on A, then on B, before the next step.

import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Side } from './connection.js';
import type { Defect } from './defects.js';
import { SESSION_KEY, sessionMetaOf, type SentSession } from './session-store.js';

const SESSION_NOT_FOUND = -32043;
const METHOD_NOT_FOUND = -32601;
const AnyResult = z.looseObject({});

export interface StepContext {
  sides: Side[];
  defect: Defect;
  timeoutMs: number;
  log: (line: string) => void;
}

type Step = (side: Side, index: number, ctx: StepContext) => Promise<void>;

function rpcCode(error: unknown): number | undefined {
  return error instanceof McpError ? error.code : undefined;
}

function withSession(params: Record<string, unknown>, session: SentSession | undefined): Record<string, unknown> {
  return session ? { ...params, _meta: { [SESSION_KEY]: session } } : params;
}

/** sessions/create, with no session metadata (unless the create-with-meta defect). -32601 → no sessions. */
async function create(side: Side, ctx: StepContext): Promise<void> {
  if (!side.hasSessions) return;
  const request: { method: string; params?: Record<string, unknown> } = { method: 'sessions/create' };
  if (ctx.defect === 'create-with-meta') {
    request.params = withSession({}, { sessionId: `client-chosen-${side.label}-${process.pid}` });
  }
  try {
    const result = await side.client.request(request, AnyResult, { timeout: ctx.timeoutMs });
    const session = sessionMetaOf(result.session);
    if (!session) throw new Error(`${side.label}: sessions/create answered without a usable result.session`);
    side.sessions.adopt(session);
    ctx.log(`${side.label}: created session ${session.sessionId}`);
  } catch (error) {
    if (rpcCode(error) !== METHOD_NOT_FOUND) throw error;
    side.hasSessions = false;
    ctx.log(`${side.label}: sessions/create → -32601, going on without sessions`);
  }
}

/** The session a request to this side carries (the leak defect swaps in the first server's). */
function sessionFor(side: Side, index: number, note: string, ctx: StepContext): SentSession | undefined {
  if (ctx.defect === 'leaks-across-servers' && index > 0 && note === 'after-recreate') {
    const foreign = ctx.sides[0]!.sessions.sessionId;
    if (foreign !== undefined) return { sessionId: foreign };
  }
  return side.sessions.outgoing();
}

/** session_probe with the current session (or none). A -32043 drops that session; a new one is created. */
function probe(note: string, opts: { noSession?: boolean } = {}): Step {
  return async (side, index, ctx) => {
    const session = opts.noSession ? undefined : sessionFor(side, index, note, ctx);
    const params = withSession({ name: 'session_probe', arguments: { note } }, session);
    try {
      const result = await side.client.request({ method: 'tools/call', params }, AnyResult, { timeout: ctx.timeoutMs });
      const meta = typeof result._meta === 'object' && result._meta !== null ? (result._meta as Record<string, unknown>)[SESSION_KEY] : undefined;
      side.sessions.absorb(sessionMetaOf(meta));
      ctx.log(`${side.label}: probe "${note}" ok`);
    } catch (error) {
      const code = rpcCode(error);
      if (code === undefined) throw error;
      ctx.log(`${side.label}: probe "${note}" → error ${code} (expected when the scenario causes it)`);
      if (code === SESSION_NOT_FOUND && session && side.sessions.revoked(session.sessionId)) {
        ctx.log(`${side.label}: dropped revoked session ${session.sessionId}`);
        await create(side, ctx);
      }
    }
  };
}

/** sessions/delete of the current session; whatever the answer, the session is gone afterwards. */
const deleteCurrent: Step = async (side, _index, ctx) => {
  const session = side.sessions.outgoing();
  if (!session) return;
  side.sessions.forget();
  if (ctx.defect === 'never-deletes') return;
  try {
    await side.client.request({ method: 'sessions/delete', params: withSession({}, session) }, AnyResult, { timeout: ctx.timeoutMs });
    ctx.log(`${side.label}: deleted session ${session.sessionId}`);
  } catch (error) {
    const code = rpcCode(error);
    if (code === undefined) throw error;
    ctx.log(`${side.label}: sessions/delete → error ${code}`);
  }
};

const STEPS: Step[] = [
  (side, _i, ctx) => create(side, ctx),
  probe('first turn'),
  probe('second turn'),
  deleteCurrent,
  probe('after-delete', { noSession: true }),
  (side, _i, ctx) => create(side, ctx),
  probe('after-recreate'),
  deleteCurrent,
];

/** Runs steps 2–9 (initialize was done by connect) on every side, interleaved step by step. */
export async function runSteps(ctx: StepContext): Promise<void> {
  for (const step of STEPS) {
    for (const [index, side] of ctx.sides.entries()) await step(side, index, ctx);
  }
}
