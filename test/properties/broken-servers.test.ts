// Each prop- broken server is caught by the model that targets its defect, with a shrunk
// counterexample and the words that replay it; the reference server it is built from is not.
import { describe, expect, it } from 'vitest';
import { runModel } from './run-model.js';

describe.concurrent('the property checks catch the prop- broken servers', () => {
  it('prop-id-rewrite: the id rotates after three calls → SESS-ID-4 (and SESS-ID-3)', async () => {
    const { findings } = await runModel('broken/prop-id-rewrite', '2026-02-27', 1);
    expect(Object.keys(findings).sort()).toEqual(['SESS-ID-3', 'SESS-ID-4']);
    const steps = findings['SESS-ID-4']!.details!.counterexample as string[];
    expect(steps.at(-1)).toMatch(/\.r2.*VIOLATES SESS-ID-3, SESS-ID-4/);
    // Shrunk: one create and the four calls it takes to reach the rewrite.
    expect(steps.length).toBeLessThanOrEqual(6);
  });

  it('prop-echo-race: concurrent echoes name the last request\'s session → SESS-USE-4 only', async () => {
    const { findings } = await runModel('broken/prop-echo-race', '2026-02-27', 2);
    expect(Object.keys(findings)).toEqual(['SESS-USE-4']);
    const steps = findings['SESS-USE-4']!.details!.counterexample as string[];
    expect(steps.at(-1)).toMatch(/^concurrent batch/);
    expect(steps.filter((s) => s.startsWith('create'))).toHaveLength(2);
  });

  it('prop-forgetful-delete: a deleted session comes back on its second use → SESS-DELETE-2 only', async () => {
    const { findings } = await runModel('broken/prop-forgetful-delete', '2026-02-27', 3);
    expect(Object.keys(findings)).toEqual(['SESS-DELETE-2']);
    const details = findings['SESS-DELETE-2']!.details!;
    expect(details.counterexample).toEqual([
      expect.stringMatching(/^create s\d → id/),
      expect.stringMatching(/^delete s\d → success/),
      expect.stringMatching(/after its delete → error -32043$/),
      expect.stringMatching(/after its delete → success.*VIOLATES SESS-DELETE-2$/),
    ]);
    expect(details.reproducedOnNewProcess).toBe(true);
    expect(details.replayArgs).toEqual(['--seed', '3', '--only', 'SESS-DELETE-2', '--replay', details.replayArg]);
  });

  it('prop-notebook-leak: one session reads another\'s notes → SESS-ISO-1 fails with a replayable case', async () => {
    const { iso, findings } = await runModel('broken/prop-notebook-leak', '2026-02-27', 1, 25, 'notebook_server');
    expect(findings).toEqual({});
    expect(iso.status).toBe('fail');
    expect(iso.details?.reproducedOnNewProcess).toBe(true);
    expect(String(iso.details?.replayArg)).toMatch(/^SESS-ISO-1@-?\d+:[\d:]+:[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/);
    expect((iso.details?.counterexample as string[]).length).toBeGreaterThanOrEqual(2);
  });

  it('base-drops-lone-surrogate: a state line dropped unanswered while the server keeps serving is no SESS-STATE-4 finding (D20)', async () => {
    const run = await runModel('broken/base-drops-lone-surrogate', '2026-02-27', 4, 40);
    expect(run.loneSurrogateStates).toBeGreaterThan(0);
    expect(Object.keys(run.findings)).toEqual([]);
  });

  it('state-crash-lone-surrogate: a crash on that state still is a SESS-STATE-4 finding', async () => {
    const run = await runModel('broken/state-crash-lone-surrogate', '2026-02-27', 4, 40);
    expect(run.loneSurrogateStates).toBeGreaterThan(0);
    expect(Object.keys(run.findings)).toContain('SESS-STATE-4');
  });
});
