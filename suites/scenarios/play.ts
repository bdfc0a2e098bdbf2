// Plays a reference scenario in a fresh session and says, per step, what was expected and
// what came back. Judging (pass / fail / soft) is the check's business.
import type { SessionClient } from '../../harness/session-client.js';
import type { Outcome, SessionMetadata } from '../../harness/types.js';
import { SessionRevoked, type CheckContext } from '../check.js';
import { describeOutcome, echoOf, isObject, isToolError, newSession, quote, showDifference } from '../expect.js';
import type { Expectation, Scenario, ScenarioStep } from './types.js';

export interface StepReport {
  /** 1-based step number. */
  n: number;
  label: string;
  ok: boolean;
  expected: string;
  actual: string;
  /** Why it differs, e.g. the first differing character. */
  difference?: string;
  /** Transcript seq of the response (to show the step's lines in a failure). */
  seq?: number;
}

export async function playScenario(client: SessionClient, ctx: CheckContext, scenario: Scenario): Promise<StepReport[]> {
  let session: SessionMetadata = await newSession(client);
  const created = session.sessionId;
  const reports: StepReport[] = [];
  const live = new Set<string>([created]);
  let used = false;
  for (const [i, step] of scenario.steps.entries()) {
    const outcome = await client.callTool(step.tool, step.args ?? {}, step.session === 'none' ? null : session);
    if (step.adoptsSession) {
      const named = echoOf(outcome, ctx);
      if (isObject(named) && typeof named.sessionId === 'string') {
        session = named as SessionMetadata;
        live.add(session.sessionId);
      } else if (outcome.kind === 'result') {
        reports.push({
          n: i + 1,
          label: step.label,
          ok: false,
          expected: `a result whose _meta[${quote(ctx.profile.metaKey)}] names the new session`,
          actual: `result._meta[${quote(ctx.profile.metaKey)}] is ${quote(named)}`,
        });
        break; // the rest of the scenario runs in a session we do not know
      }
    }
    if (step.session !== 'none' && !used) {
      revokedEarly(step, outcome, session, ctx);
      used = true;
    }
    reports.push({ ...judgeStep(i + 1, step, outcome, session.sessionId), seq: client.peer.seqOf(outcome) });
  }
  // Best effort: the scenario's sessions are no longer needed (the result is not judged here).
  for (const id of live) await client.delete({ sessionId: id });
  return reports;
}

/** The first call in a session created moments ago answered "not found": revocation (D12). */
function revokedEarly(step: ScenarioStep, outcome: Outcome, session: SessionMetadata, ctx: CheckContext): void {
  if ('rejected' in step.expect) return;
  if (outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound) {
    throw new SessionRevoked(session.sessionId, {
      message: `the scenario's first step in its session was answered ${ctx.profile.errors.sessionNotFound} in a session created moments before, twice in a row`,
      expected: `${step.label} succeeds inside session ${session.sessionId}`,
      actual: describeOutcome(outcome),
      fix: 'keep a session usable right after sessions/create returns it',
    });
  }
}

function judgeStep(n: number, step: ScenarioStep, outcome: Outcome, sessionId: string): StepReport {
  const base = { n, label: step.label };
  const expected = describeExpectation(step.expect, sessionId);
  if ('rejected' in step.expect) {
    // Any rejection passes: its form is judged by SESS-ERR-1 / SESS-DELETE-2 / SESS-REQ-1 alone (D15).
    const ok = outcome.kind === 'error' || isToolError(outcome);
    return { ...base, ok, expected, actual: describeOutcome(outcome) };
  }
  if (outcome.kind !== 'result' || outcome.result?.isError === true) {
    return { ...base, ok: false, expected, actual: describeOutcome(outcome) };
  }
  const text = textOf(outcome.result);
  const actual = JSON.stringify(text);
  if ('text' in step.expect) {
    const want = step.expect.text.replaceAll('{session}', sessionId);
    return want === text ? { ...base, ok: true, expected, actual } : { ...base, ok: false, expected, actual, difference: showDifference(want, text) };
  }
  const pattern = new RegExp(`^(?:${step.expect.pattern.replaceAll('{session}', escapeRegExp(sessionId))})$`);
  return { ...base, ok: pattern.test(text), expected, actual };
}

function describeExpectation(expect: Expectation, sessionId: string): string {
  if ('rejected' in expect) return 'a rejection: a JSON-RPC error or an isError result (the session was deleted)';
  if ('text' in expect) return `the text ${JSON.stringify(expect.text.replaceAll('{session}', sessionId))}`;
  return `a text matching /${expect.pattern.replaceAll('{session}', sessionId)}/`;
}

/** The text content of a tool result, joined as the demo script prints it. */
function textOf(result: any): string {
  if (!Array.isArray(result?.content)) return '';
  return result.content
    .filter((c: any) => c?.type === 'text' && typeof c.text === 'string')
    .map((c: any) => c.text as string)
    .join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
