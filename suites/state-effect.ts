// SESS-STATE-3 judged by its effect (decision D22): a tampered or foreign state token matters
// only if it changes what the server does. Twin sessions with the same history give the answer
// and the new state a genuine token produces; the forged token's call is compared with that.
import type { SessionClient } from '../harness/session-client.js';
import type { Outcome, SessionMetadata } from '../harness/types.js';
import type { CheckContext } from './check.js';
import { callProbe, echoOf, isObject, succeeded, useLiveSession } from './expect.js';

/** What a call did, with the session's own id masked: the answer and the state it issued. */
export interface Effect {
  answer: string;
  state?: string;
}

export function effectOf(outcome: Outcome, ctx: CheckContext, ownId: string): Effect {
  const mask = (text: string) => text.split(ownId).join('<session>');
  if (outcome.kind !== 'result') return { answer: `${outcome.kind}` };
  const { _meta: _ignored, ...rest } = isObject(outcome.result) ? outcome.result : { value: outcome.result };
  const echo = echoOf(outcome, ctx);
  const state = isObject(echo) && typeof echo.state === 'string' ? mask(echo.state) : undefined;
  return { answer: mask(JSON.stringify(rest)), state };
}

/** Brings a session to the common history: `calls` probe calls. */
export async function withHistory(client: SessionClient, ctx: CheckContext, session: SessionMetadata, calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) await useLiveSession(client, ctx, session, 'positive control', 'a session the server just created must be usable');
}

/**
 * Gives a session data of its own: each tool the survey saw succeed inside a session, whose name
 * does not read destructive, is called once (a note, a stored value — whatever the tool keeps).
 * Failures are ignored: this only makes the session's state differ from a twin's.
 */
export async function addData(client: SessionClient, ctx: CheckContext, session: SessionMetadata): Promise<string[]> {
  const probe = ctx.discovery.probe?.name;
  const called: string[] = [];
  for (const call of ctx.discovery.survey?.calls ?? []) {
    if (!call.succeeded || call.destructive || call.tool === probe) continue;
    const outcome = await client.callTool(call.tool, call.args, session);
    if (succeeded(outcome)) called.push(call.tool);
  }
  return called;
}

/** A genuine call in the control twin: its effect is what the forged call is measured against. */
export async function genuineEffect(client: SessionClient, ctx: CheckContext, twin: SessionMetadata): Promise<Effect> {
  return effectOf(await callProbe(client, ctx, twin), ctx, twin.sessionId);
}

/** How a forged call's effect differs from the genuine one (undefined: no difference). */
export function difference(forged: Effect, genuine: Effect, statesComparable: boolean): string | undefined {
  if (forged.answer !== genuine.answer) return `the answer differs from the genuine token's (${clipText(forged.answer)} vs ${clipText(genuine.answer)})`;
  if (statesComparable && forged.state !== genuine.state) return `the new state differs from the one the genuine token brings (${clipText(String(forged.state))} vs ${clipText(String(genuine.state))})`;
  return undefined;
}

function clipText(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
