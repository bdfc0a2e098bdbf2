// Capability: whether the server says it speaks sessions, and what a server that does not
// answers when asked to create one. SESS-CAP-1 gates every other SESS check (need 'sessions').
import { defineCheck, fail, type CheckContext, type CheckDef } from './check.js';
import { describeOutcome, isObject, quote } from './expect.js';

/** Where a misplaced sessions capability sits, e.g. `capabilities.experimental.sessions`. */
function misplacedCapability(capabilities: unknown): string | undefined {
  if (!isObject(capabilities) || !isObject(capabilities.experimental)) return undefined;
  const key = Object.keys(capabilities.experimental).find((k) => /session/i.test(k));
  return key === undefined ? undefined : `capabilities.experimental[${JSON.stringify(key)}]`;
}

export const SESS_CAP_1 = defineCheck({
  id: 'SESS-CAP-1',
  title: 'the initialize result has capabilities.sessions as a JSON object',
  how: 'reads the initialize result of the first connection; gates every other SESS check (without the capability they are skipped as not applicable)',
  section: 'capability',
  spec: 'draft §Wire format (Capability)',
  async run(ctx: CheckContext) {
    const capabilities = ctx.initialize?.capabilities;
    const expected = 'capabilities.sessions is a JSON object (usually {}) at the top level of capabilities';
    if (!isObject(capabilities)) {
      fail({
        message: 'the initialize result has no capabilities object',
        expected,
        actual: `capabilities = ${quote(capabilities)}`,
        fix: 'answer initialize with a capabilities object that contains "sessions": {}',
      });
    }
    const value = capabilities.sessions;
    if (isObject(value)) return { message: `capabilities.sessions = ${quote(value)}` };
    const elsewhere = misplacedCapability(capabilities);
    if (value === undefined) {
      fail({
        message: elsewhere
          ? `the sessions capability is under ${elsewhere} instead of at the top level of capabilities`
          : 'the initialize result does not advertise capabilities.sessions',
        expected,
        actual: `capabilities = ${quote(capabilities, 300)}`,
        fix: elsewhere
          ? `put "sessions": {} at the top level of capabilities, not under experimental (the client-side experimental flag is a different thing); every other session check is skipped until then`
          : 'put "sessions": {} at the top level of the capabilities in the initialize result; every other session check is skipped until then',
      });
    }
    fail({
      message: `capabilities.sessions is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a JSON object`,
      expected,
      actual: `capabilities.sessions = ${quote(value)}`,
      fix: 'advertise sessions as an object: "sessions": {} (not true, a string or null)',
    });
  },
});

export const SESS_CAP_2 = defineCheck({
  id: 'SESS-CAP-2',
  title: 'a server without the sessions capability answers sessions/create with -32601',
  how: 'runs only when SESS-CAP-1 found no capability: sends sessions/create and expects JSON-RPC error -32601',
  section: 'capability',
  spec: (p) =>
    p.levels['SESS-CAP-2'] === 'INFO'
      ? `draft ${p.draft} names no answer for sessions/create on a server without the capability: reported (informational)`
      : `draft ${p.draft} §Errors (Method not found for sessions/create)`,
  needs: ['noSessions'],
  async run(ctx: CheckContext) {
    const client = await ctx.client();
    const code = ctx.profile.errors.methodNotFound;
    const { outcome } = await client.create();
    if (outcome.kind === 'error' && outcome.error.code === code) {
      return { message: `${ctx.profile.methods.create} was answered with ${code}` };
    }
    const accepted = outcome.kind === 'result';
    fail({
      message: accepted
        ? `the server does not advertise capabilities.sessions yet ${ctx.profile.methods.create} succeeded`
        : `${ctx.profile.methods.create} on a server without the capability was not answered with ${code}`,
      expected: `JSON-RPC error ${code} (Method not found)`,
      actual: describeOutcome(outcome),
      fix: accepted
        ? 'either advertise "sessions": {} at the top level of capabilities (the server does implement sessions), or answer -32601 to sessions/create'
        : `answer ${ctx.profile.methods.create} with JSON-RPC error ${code} when the server does not support sessions`,
    });
  },
});

export const capabilityChecks: CheckDef[] = [SESS_CAP_1, SESS_CAP_2];
