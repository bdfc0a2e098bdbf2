// The tool survey (decision D21): the echo must hold for every tool, not only the probe. Each
// tool the suite can call is called once inside a session of its own — tools whose names read
// harmless first, names that read destructive last — so a tool that mints, ends or rewrites a
// session while called inside one shows it. `--tool` restricts the survey to that tool. The
// checks judge what it saw: SESS-USE-1 (an echo on every success), SESS-ID-4 (the echo names
// the session the request named), SESS-ID-3 (byte for byte, from the transcript).
import type { SessionClient } from './session-client.js';
import type { Outcome } from './types.js';
import { clip, isObject } from './values.js';

export interface SurveyTool {
  name: string;
  args: Record<string, unknown>;
  /** The name reads destructive (reset, delete, clear…): checks do not call it for data. */
  destructive?: boolean;
}

export interface SurveyCall {
  tool: string;
  args: Record<string, unknown>;
  destructive: boolean;
  /** The session the call was made in (created for it, deleted after it). */
  sessionId: string;
  outcome: Outcome['kind'];
  /** A result that is not `isError: true`. */
  succeeded: boolean;
  /** `result._meta[key]` exactly as received (undefined: none). */
  echoed: unknown;
  /** The connection and JSON-RPC id of the call: its exchange in the transcript, for excerpts. */
  conn: number;
  requestId: unknown;
}

export interface ToolSurvey {
  calls: SurveyCall[];
  /** Tools that could not be surveyed, and why. */
  notes: string[];
  /** Listed tools the survey did not call, and why (the first MAX_NOT_CALLED; the rest counted). */
  notCalled: { name: string; why: string }[];
  notCalledCount: number;
}

/** Not-called tools named at most (a target may list 100,000 tools). */
export const MAX_NOT_CALLED = 200;

/** Records that the survey did not call `name`, and why. */
export function noteNotCalled(survey: ToolSurvey, name: string, why: string): void {
  if (survey.notCalled.length < MAX_NOT_CALLED) survey.notCalled.push({ name: clip(name, 200), why });
  survey.notCalledCount++;
}

/**
 * Calls each tool once inside a fresh session, in the order given (the caller puts harmless
 * names first and destructive ones last), and deletes the session afterwards — and the session a
 * tool named in its echo instead, if it did, since the tool may have minted it.
 */
export async function surveyTools(client: SessionClient, tools: SurveyTool[], opts: { deadline?: number } = {}): Promise<ToolSurvey> {
  const survey: ToolSurvey = { calls: [], notes: [], notCalled: [], notCalledCount: 0 };
  const key = client.profile.metaKey;
  const stopAt = (from: number, why: string) => {
    for (const rest of tools.slice(from)) noteNotCalled(survey, rest.name, why);
  };
  for (const [i, tool] of tools.entries()) {
    if (opts.deadline !== undefined && performance.now() > opts.deadline) {
      survey.notes.push(`discovery ran past its bound: the survey stopped after ${i} of ${tools.length} tools`);
      stopAt(i, 'the survey stopped before it: discovery ran past its bound');
      break;
    }
    const created = await client.create();
    if (!created.session) {
      // No session for one tool: none for the rest either, most likely; each try costs a timeout.
      survey.notes.push(`the survey stopped at tool ${clip(tool.name, 80)} (${i + 1} of ${tools.length}): sessions/create gave no session`);
      stopAt(i, 'the survey stopped before it: sessions/create gave no session');
      break;
    }
    const sessionId = created.session.sessionId;
    const outcome = await client.callTool(tool.name, tool.args, created.session);
    const result = outcome.kind === 'result' ? outcome.result : undefined;
    const echoed = isObject(result) && isObject(result._meta) ? result._meta[key] : undefined;
    survey.calls.push({
      tool: tool.name,
      args: tool.args,
      destructive: tool.destructive === true,
      sessionId,
      outcome: outcome.kind,
      succeeded: outcome.kind === 'result' && result?.isError !== true,
      echoed,
      conn: client.peer.conn,
      requestId: outcome.id,
    });
    if (outcome.kind === 'exit') {
      survey.notes.push(`the target exited when tool ${clip(tool.name, 80)} was called; the survey stopped there`);
      stopAt(i + 1, `the survey stopped before it: the target exited when tool ${clip(tool.name, 80)} was called`);
      break;
    }
    await client.delete({ sessionId });
    const other = isObject(echoed) ? echoed.sessionId : undefined;
    if (typeof other === 'string' && other !== sessionId) await client.delete({ sessionId: other });
  }
  return survey;
}
