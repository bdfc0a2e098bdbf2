// What SESS-STATE-1 says when its chain of calls breaks (suites/state.ts chainBreak): a -32043
// in a server that issued no state is the sessions ending (D12), never a refused token.
import { describe, expect, test } from 'vitest';
import type { Outcome } from '../../harness/types.js';
import { chainBreak } from '../../suites/state.js';

const NOT_FOUND = -32043;
const errorOutcome = (code: number, message: string): Outcome => {
  const error = { code, message, data: { sessionId: 'tsl_abc' } };
  return { kind: 'error', id: 'x-8', error, message: { jsonrpc: '2.0', id: 'x-8', error } };
};
const at = (outcome: Outcome, sent: string | undefined) => ({ call: 8, outcome, sent, probe: 'turnstile_enter', sessionId: 'tsl_abc', notFound: NOT_FOUND });

describe('SESS-STATE-1: a broken chain is explained by what was sent', () => {
  test('session not found and no state issued: the sessions ended, no token is blamed', () => {
    const finding = chainBreak(at(errorOutcome(NOT_FOUND, 'Session not found'), undefined));
    expect(finding.message).toBe(
      "call 8 of 10 got -32043 (session not found) in a session the server had created moments before, and so did the check's first session: no state was involved (the server issued none)",
    );
    expect(finding.message).not.toMatch(/newest state/);
    expect(finding.actual).toContain('-32043');
    expect(finding.fix).toMatch(/D12/);
    expect(finding.fix).not.toMatch(/token/);
  });

  test('session not found with the newest state sent: the token is what the server refused', () => {
    const finding = chainBreak(at(errorOutcome(NOT_FOUND, 'Session not found'), 'r7.abcdef'));
    expect(finding.message).toBe('call 8 of 10 was rejected although it sent back the newest state the server had issued');
    expect(finding.actual).toContain('state sent: "r7.abcdef"');
    expect(finding.fix).toMatch(/token you issued last/);
  });

  test('another error without state: a rejection, with the state that was (not) sent', () => {
    const finding = chainBreak(at(errorOutcome(-32602, 'Invalid params'), undefined));
    expect(finding.message).toMatch(/was rejected although it sent back the newest state/);
    expect(finding.actual).toContain('state sent: (none: the server issued none)');
  });
});
