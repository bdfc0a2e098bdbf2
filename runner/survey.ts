// The tool survey as the reports show it (decision D21; harness/tool-survey.ts): which tools the
// suite called inside a session of their own, how discovery classified each, what came back.
import type { Discovery } from '../harness/discovery.js';
import type { SurveyCall } from '../harness/tool-survey.js';
import { clip, isObject } from '../harness/values.js';
import type { ReportSurveyedTool, ReportToolSurvey } from '../schemas/types.js';

/** Surveyed tools listed at most (the rest are counted in `called`). */
const MAX_LISTED = 200;

export function summarizeSurvey(found: Discovery): ReportToolSurvey | undefined {
  const survey = found.survey;
  if (!survey) return undefined;
  const role = (name: string): ReportSurveyedTool['role'] =>
    found.sessionTool?.name === name ? 'session-only' : found.publicTool?.name === name ? 'public' : null;
  return {
    only: found.only ?? null,
    called: survey.calls.length,
    tools: survey.calls.slice(0, MAX_LISTED).map((call) => ({
      name: clip(call.tool, 200),
      destructive: call.destructive,
      role: role(call.tool),
      outcome: outcomeOf(call),
      echo: echoOf(call),
    })),
    notCalled: survey.notCalled.map((t) => ({ name: t.name, why: t.why })),
    notCalledCount: survey.notCalledCount,
  };
}

function outcomeOf(call: SurveyCall): ReportSurveyedTool['outcome'] {
  if (call.outcome === 'result') return call.succeeded ? 'success' : 'tool-error';
  return call.outcome === 'error' ? 'jsonrpc-error' : call.outcome;
}

function echoOf(call: SurveyCall): ReportSurveyedTool['echo'] {
  if (call.echoed === undefined || call.echoed === null) return 'none';
  if (!isObject(call.echoed) || typeof call.echoed.sessionId !== 'string') return 'malformed';
  return call.echoed.sessionId === call.sessionId ? 'own-session' : 'other-session';
}
