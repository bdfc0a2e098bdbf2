// BASE-ID-1: one response per request, with the request's id of the same JSON type and value.
// Probes integer and string ids (a numeric-looking string too), then judges every response of
// the whole run through the peer's violations.
import type { RequestId, Violation } from '../harness/types.js';
import { defineCheck, fail } from './check.js';
import { describeOutcome, quote } from './expect.js';

/** Violations that break the rule; a late answer after our own timeout is not one. */
const ID_KINDS: Violation['kind'][] = ['duplicate-response', 'id-type-mismatch', 'unknown-id'];

interface Probe {
  method: string;
  id: RequestId;
}

export const BASE_ID_1 = defineCheck({
  id: 'BASE-ID-1',
  title: 'each request gets exactly one response, whose id has the same type and value (integer and string ids)',
  how: 'over the whole run plus a dedicated probe with integer and string ids: exactly one response per request, with the same id type and value',
  section: 'base',
  spec: 'JSON-RPC 2.0 §5 (id: same value as the request); draft-sessions.md §4 (1 ≠ "1")',
  // Observe: after its own probes it judges every response of the run.
  phase: 'observe',
  async run(ctx) {
    const client = await ctx.client();
    const peer = client.peer;
    const probes: Probe[] = [
      { method: 'ping', id: peer.nextIntegerId() },
      { method: 'tools/list', id: peer.nextIntegerId() },
      // A string that reads as a number catches servers that parse ids into numbers.
      { method: 'ping', id: String(peer.nextIntegerId() + 7_000_000) },
      { method: 'ping', id: `conformance-${ctx.random.hex(10)}` },
    ];
    // Pipelined: a server that answers with the wrong id type leaves its requests pending until
    // the timeout, and this way that costs one timeout, not one per probe. The values all differ,
    // so no answer can be taken for another probe's.
    const outcomes = await Promise.all(probes.map((p) => client.request(p.method, {}, null, { id: p.id })));
    const unanswered = probes
      .map((probe, i) => ({ probe, outcome: outcomes[i]! }))
      .filter(({ outcome }) => outcome.kind !== 'result' && outcome.kind !== 'error');
    // Barrier: a duplicate of a probe's answer would arrive before the answer to this.
    await client.request('ping', {}, null);

    const violations = ctx.transcript.violations.filter((v) => ID_KINDS.includes(v.kind) && !v.detail.startsWith('late response'));
    if (violations.length === 0 && unanswered.length === 0) {
      return { message: `integer and string ids came back exactly; no duplicate, mistyped or unknown response id in the run` };
    }
    const seqs = new Set(violations.map((v) => v.seq));
    fail({
      message:
        violations.length > 0
          ? `${violations.length} response${violations.length === 1 ? '' : 's'} did not match a request id exactly (${[...new Set(violations.map((v) => v.kind))].join(', ')})`
          : `${unanswered.length} request${unanswered.length === 1 ? '' : 's'} with ${unanswered.map((u) => typeof u.probe.id).join('/')} ids got no response`,
      expected: 'exactly one response per request, whose id equals the request id in type and value (1 ≠ "1")',
      actual: [
        ...violations.slice(0, 5).map((v) => `connection ${v.conn}: ${v.detail}`),
        ...unanswered.map((u) => `${u.probe.method} with id ${quote(u.probe.id)}: ${describeOutcome(u.outcome)}`),
      ].join('\n'),
      fix: idFix(violations, unanswered.length > 0),
      entries: ctx.transcript.entries.filter((e) => seqs.has(e.seq)),
    });
  },
});

function idFix(violations: readonly Violation[], silent: boolean): string {
  const kinds = new Set(violations.map((v) => v.kind));
  if (kinds.has('id-type-mismatch')) return 'echo the request id exactly as received: do not turn numbers into strings or strings into numbers (1 and "1" are different ids)';
  if (kinds.has('duplicate-response')) return 'send exactly one response per request (check for a second write of the same reply, e.g. on both success and finally paths)';
  if (kinds.has('unknown-id')) return 'answer with the id of the request being answered; never invent or reuse ids';
  return silent ? 'answer every request, whatever the type of its id (string or integer)' : 'echo request ids exactly';
}
