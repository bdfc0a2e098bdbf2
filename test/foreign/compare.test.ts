// The comparison behind the foreign corpus test must itself catch every kind of difference:
// a wrong exit code or verdict, a missing or extra fail/warn, a pinned status, a harness-error,
// an untestable, and a status whose level disagrees (D23).
import { describe, expect, it } from 'vitest';
import { differences, type Expectation } from './compare.js';

const want: Expectation = { exit: 1, verdict: 'non-conformant', fail: ['SESS-ERR-1'], warn: ['SESS-REQ-1'], status: { 'SESS-STATE-3': 'pass' }, why: 'test' };

function report(rows: [string, string, string][], verdict = 'non-conformant') {
  return { verdict, checks: rows.map(([id, status, level]) => ({ id, status, level, message: `${id} said so` })) };
}

const matching = report([
  ['SESS-ERR-1', 'fail', 'MUST'],
  ['SESS-REQ-1', 'warn', 'SHOULD'],
  ['SESS-STATE-3', 'pass', 'SHOULD'],
  ['SESS-ISO-2', 'skip', 'MUST'],
]);

describe('differences between a report and a foreign server expectation', () => {
  it('finds none when exit, verdict and every status match', () => {
    expect(differences('s', '2026-02-27', want, { code: 1, report: matching, stderr: '' })).toEqual([]);
  });

  it('names the exit code, the verdict and a missing report', () => {
    expect(differences('s', '2026-02-27', want, { code: 0, report: { ...matching, verdict: 'conformant' }, stderr: '' })).toEqual([
      's --draft 2026-02-27: exit code expected 1, actual 0',
      's --draft 2026-02-27: verdict expected non-conformant, actual conformant',
    ]);
    expect(differences('s', '2026-02-27', want, { code: 4, stderr: 'boom' })).toEqual([
      's --draft 2026-02-27: exit code expected 1, actual 4',
      's --draft 2026-02-27: no JSON report was written (stderr: boom)',
    ]);
  });

  it('names each id whose status differs, with level and message', () => {
    const got = report([
      ['SESS-ERR-1', 'pass', 'MUST'],
      ['SESS-REQ-1', 'warn', 'SHOULD'],
      ['SESS-STATE-3', 'warn', 'SHOULD'],
      ['SESS-ID-2', 'untestable', 'SHOULD'],
      ['BASE-WIRE-2', 'harness-error', 'MUST'],
    ]);
    expect(differences('s', '2026-02-27', want, { code: 1, report: got, stderr: '' })).toEqual([
      's --draft 2026-02-27: SESS-ERR-1 expected fail, actual pass (level MUST) — SESS-ERR-1 said so',
      's --draft 2026-02-27: SESS-STATE-3 expected pass, actual warn (level SHOULD) — SESS-STATE-3 said so',
      's --draft 2026-02-27: SESS-ID-2 expected pass, info or skip (tested), actual untestable (level SHOULD) — SESS-ID-2 said so',
      's --draft 2026-02-27: BASE-WIRE-2 expected never harness-error or incomplete on a foreign server, actual harness-error (level MUST) — BASE-WIRE-2 said so',
    ]);
  });

  it('holds status and level together (D23): warn only at SHOULD, fail only at MUST', () => {
    const got = report([
      ['SESS-ERR-1', 'fail', 'MUST'],
      ['SESS-REQ-1', 'warn', 'MUST'],
      ['SESS-STATE-3', 'pass', 'SHOULD'],
    ]);
    expect(differences('s', '2026-02-27', want, { code: 1, report: got, stderr: '' })).toEqual([
      's --draft 2026-02-27: SESS-REQ-1 is warn with level MUST; D23 wants level SHOULD for a warning — SESS-REQ-1 said so',
    ]);
  });
});
