// Shared probes and diagnostics for checks. Before adding a helper to a check file, look here.
import { describeOutcome, isToolError, succeeded } from '../harness/discovery.js';
import type { SessionClient } from '../harness/session-client.js';
import type { Outcome, SessionMetadata } from '../harness/types.js';
import { SessionRevoked, fail, untestable, type CheckContext, type Finding } from './check.js';
import { isObject } from '../harness/values.js';
export { isObject };

export { describeOutcome, isToolError, succeeded };

/** `result._meta[metaKey]` of a successful outcome, if any. */
export function echoOf(outcome: Outcome, ctx: CheckContext): unknown {
  if (outcome.kind !== 'result') return undefined;
  const meta = outcome.result?._meta;
  return meta && typeof meta === 'object' ? (meta as Record<string, unknown>)[ctx.profile.metaKey] : undefined;
}


export function errorCode(outcome: Outcome): number | undefined {
  return outcome.kind === 'error' ? outcome.error.code : undefined;
}

/** Creates a session for the check's own use; a server that cannot is judged by SESS-CREATE-1. */
export async function newSession(client: SessionClient): Promise<SessionMetadata> {
  const created = await client.create();
  if (!created.session) {
    untestable(`sessions/create did not return a session (${describeOutcome(created.outcome)}); see SESS-CREATE-1`);
  }
  return created.session;
}

/**
 * Calls the probe tool inside `session`. A -32043 on a session the check created moments ago
 * is revocation (D12): it throws SessionRevoked so `allowingRevocation` retries once.
 */
export async function callProbe(
  client: SessionClient,
  ctx: CheckContext,
  session: SessionMetadata | { raw: unknown } | null,
  args?: Record<string, unknown>,
): Promise<Outcome> {
  const probe = ctx.discovery.probe;
  if (!probe) untestable('no tool works inside a session');
  return client.callTool(probe.name, args ?? probe.args, session);
}

/** Calls the probe in a session the check believes live and requires success. */
export async function useLiveSession(
  client: SessionClient,
  ctx: CheckContext,
  session: SessionMetadata,
  what: string,
  fix: string,
): Promise<Outcome> {
  const outcome = await callProbe(client, ctx, session);
  if (outcome.kind === 'error' && outcome.error.code === ctx.profile.errors.sessionNotFound) {
    throw new SessionRevoked(session.sessionId, {
      message: `${what}: the server answered ${ctx.profile.errors.sessionNotFound} for a session it had just created, twice in a row`,
      expected: `the call succeeds inside session ${session.sessionId}`,
      actual: describeOutcome(outcome),
      fix,
    });
  }
  if (!succeeded(outcome)) {
    fail({
      message: `${what}: the call inside a live session did not succeed`,
      expected: `a successful ${ctx.discovery.probe?.name} result inside session ${session.sessionId}`,
      actual: describeOutcome(outcome),
      fix,
    });
  }
  return outcome;
}

/** Teaches the usual causes when a session rejection is not the JSON-RPC error the draft asks for. */
export function rejectionFix(outcome: Outcome, ctx: CheckContext, expectedCode: number): string {
  if (isToolError(outcome)) {
    return (
      `raise the rejection as a JSON-RPC error ${expectedCode} before the tool runs (in a low-level request handler): ` +
      `the Python SDK's FastMCP and the TypeScript SDK's McpServer wrap every exception raised inside a tool ` +
      `into a successful result with isError: true, which loses the code and data.sessionId`
    );
  }
  if (outcome.kind === 'error' && outcome.error.code === -32602) {
    return `answer ${expectedCode} ("Session not found") instead of -32602 Invalid params: the params are valid, the session is unknown`;
  }
  if (outcome.kind === 'error') return `answer JSON-RPC error ${expectedCode} instead of ${outcome.error.code}`;
  if (outcome.kind === 'result') return `check the session before running the request and answer JSON-RPC error ${expectedCode}`;
  return `answer every request, within the timeout, with JSON-RPC error ${expectedCode} for an unknown session`;
}

/** Shows two strings so that differing characters are visible (escapes, first difference marked). */
export function showDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const esc = (s: string) => JSON.stringify(s);
  return `expected ${esc(expected)}, got ${esc(actual)} (first difference at character ${i}: ${esc(expected.slice(i, i + 8))} vs ${esc(actual.slice(i, i + 8))})`;
}

export function quote(value: unknown, max = 200): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * True when `value` holds a string with an unpaired UTF-16 surrogate (e.g. "\ud800x"), which
 * goes on the wire as an escape. RFC 8259 §8.2 leaves the handling of such strings open: a parser
 * may reject the whole line (pydantic does), which BASE-PARSE-1 judges (decision D20).
 */
export function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (isObject(value)) return Object.entries(value).some(([k, v]) => hasLoneSurrogate(k) || hasLoneSurrogate(v));
  return false;
}

export type { Finding };
