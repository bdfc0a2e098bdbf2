// Session required (draft 2026-03-13 §Errors, -32044; decision D7): a session-only operation
// called without any session metadata must not succeed.
import { SessionRevoked, allowingRevocation, defineCheck, fail, type CheckDef, type Finding } from './check.js';
import { describeOutcome, isToolError, newSession, rejectionFix, succeeded } from './expect.js';

/** Three ways of carrying no session: no `_meta`, an empty `_meta`, `_meta` with only another key. */
export function withoutSession(name: string, args: unknown): { label: string; params: Record<string, unknown> }[] {
  return [
    { label: 'no _meta', params: { name, arguments: args } },
    { label: '_meta: {} (no session key)', params: { name, arguments: args, _meta: {} } },
    { label: '_meta with only an unrelated key', params: { name, arguments: args, _meta: { 'example.com/trace': 'conformance' } } },
  ];
}

export const SESS_REQ_1 = defineCheck({
  id: 'SESS-REQ-1',
  title: 'a session-only tool called without session metadata does not succeed (-32044 under 2026-03-13)',
  how: 'calls a session-only tool three ways without a session (no _meta, empty _meta, _meta with only another key); it must not succeed',
  section: 'required',
  spec: (p) =>
    p.errors.sessionRequired !== null
      ? `draft ${p.draft} §Errors (${p.errors.sessionRequired} Session required); decision D7`
      : `draft ${p.draft} §Use (a session-only operation needs the session; this revision defines no "session required" code), derived; decision D7 (any JSON-RPC error passes, an isError result warns)`,
  needs: ['sessions', 'sessionTool'],
  async run(ctx) {
    const client = await ctx.client();
    const tool = ctx.discovery.sessionTool!;
    const required = ctx.profile.errors.sessionRequired;
    const notFound = ctx.profile.errors.sessionNotFound;
    await allowingRevocation(async () => {
      const live = await newSession(client);
      const control = await client.callTool(tool.name, tool.args, live);
      if (control.kind === 'error' && control.error.code === notFound) {
        throw new SessionRevoked(live.sessionId, {
          message: `positive control: ${tool.name} got ${notFound} in a session the server had just created, twice`,
          expected: `a successful ${tool.name} result`,
          actual: describeOutcome(control),
          fix: 'a session the server just created must be usable',
        });
      }
      if (!succeeded(control)) {
        fail({
          message: `positive control: ${tool.name} did not succeed inside a live session`,
          expected: `a successful ${tool.name} result`,
          actual: describeOutcome(control),
          fix: 'a session-only tool must work inside a session the server just created',
        });
      }
    });

    const expected = required !== null ? `JSON-RPC error ${required} "Session required"` : 'a JSON-RPC error (any code: this revision defines no "session required" error)';
    let soft: Finding | undefined;
    for (const variant of withoutSession(tool.name, tool.args)) {
      const outcome = await client.request('tools/call', variant.params, null);
      const sent = `${tool.name} called without a session (${variant.label})`;
      if (outcome.kind === 'error') {
        if (required === null || outcome.error.code === required) continue;
        fail({
          message: `${sent} got JSON-RPC error ${outcome.error.code}, not ${required}`,
          expected,
          actual: describeOutcome(outcome),
          fix:
            outcome.error.code === notFound
              ? `answer ${required} "Session required" when a request carries no session metadata; ${notFound} is for an id the server does not know`
              : `answer ${required} "Session required" when a session-only operation is called without session metadata`,
        });
      }
      if (isToolError(outcome)) {
        const finding: Finding = {
          message: `${sent} was refused inside a successful tool result (isError: true), not as a JSON-RPC error`,
          expected,
          actual: describeOutcome(outcome),
          fix: rejectionFix(outcome, ctx, required ?? notFound),
        };
        // D7: under a revision without -32044 an isError refusal is a lesser failure (warning).
        if (required !== null) fail(finding);
        soft ??= { ...finding, soft: true };
        continue;
      }
      fail({
        message: succeeded(outcome) ? `${sent} succeeded` : `${sent} got no answer`,
        expected,
        actual: describeOutcome(outcome),
        fix: succeeded(outcome)
          ? `check for session metadata before the tool runs and refuse a missing session with ${expected} (an empty or unrelated _meta is no session)`
          : 'answer every request within the timeout',
      });
    }
    if (soft) fail(soft);
  },
});

export const requiredChecks: CheckDef[] = [SESS_REQ_1];
