// Client mode judges each CLI id both ways: the fixture raw client passes every scenario, and each
// of its defects fails exactly the id it breaks (in every scenario where the defect shows).
//
// Cost: each scenario starts the client and its scripted servers. The first defect of each id runs
// every scenario (so it fails that id in exactly the scenarios listed, and nothing anywhere else);
// a further defect of the same id runs `--scenario` the first scenario it fails in plus a control
// scenario where it must pass everything (if one exists), and is held to the listed map there.
import { describe, expect, test } from 'vitest';
import { runCli } from '../conformance/run-cli.js';
import { problems, rawClient } from './helpers.js';

/** A full run is six scenarios one after another, five runs at a time here beside another file: at load ~15 on 2 cores some took over vitest's 60 s. */
const RUN_MS = 170_000;
const ALL = ['demo', 'rotating-state', 'revoked', 'expiry', 'no-capability', 'two-servers'];
const WITH_SESSIONS = ALL.filter((s) => s !== 'no-capability');
const fails = (id: string, scenarios: string[], status = 'fail') => ({ [id]: scenarios.map((s) => `${s}:${status}`) });

const DEFECTS: { defect: string; expected: Record<string, string[]> }[] = [
  { defect: 'mutate-state', expected: fails('CLI-STATE-2', WITH_SESSIONS) },
  { defect: 'mutate-id', expected: fails('CLI-STATE-2', WITH_SESSIONS) },
  { defect: 'omit-state', expected: fails('CLI-STATE-1', WITH_SESSIONS) },
  { defect: 'stale-state', expected: fails('CLI-STATE-1', WITH_SESSIONS) },
  { defect: 'create-meta', expected: fails('CLI-CREATE-1', WITH_SESSIONS) },
  { defect: 'use-deleted', expected: fails('CLI-ERR-1', WITH_SESSIONS) },
  { defect: 'keep-revoked', expected: fails('CLI-ERR-1', ['revoked']) },
  { defect: 'never-delete', expected: fails('CLI-DELETE-1', WITH_SESSIONS, 'warn') },
  { defect: 'leak', expected: fails('CLI-BIND-1', ['two-servers']) },
  { defect: 'reuse-ids', expected: fails('CLI-ID-1', ALL) },
  { defect: 'garbage', expected: fails('CLI-WIRE-1', ALL) },
  { defect: 'exit-1', expected: fails('CLI-RUN-1', ALL) },
  { defect: 'crash-midway', expected: fails('CLI-RUN-1', ALL) },
  { defect: 'no-connect', expected: fails('CLI-RUN-1', ALL) },
  // A client blind to the capability runs the steps without sessions: nothing else can be judged.
  { defect: 'blind', expected: fails('CLI-RUN-1', WITH_SESSIONS) },
];

/** `expected` kept to the entries of `scenarios`. */
function within(expected: Record<string, string[]>, scenarios: string[]): Record<string, string[]> {
  return Object.fromEntries(Object.entries(expected).map(([id, list]) => [id, list.filter((e) => scenarios.includes(e.split(':')[0]!))]));
}

const CASES = DEFECTS.map(({ defect, expected }, i) => {
  const id = Object.keys(expected)[0]!;
  if (DEFECTS.findIndex((d) => Object.keys(d.expected)[0] === id) === i) return { defect, expected, scenarios: ALL };
  const shown = expected[id]!.map((e) => e.split(':')[0]!);
  const control = ALL.find((s) => !shown.includes(s));
  const scenarios = control ? [shown[0]!, control] : [shown[0]!, shown[shown.length - 1]!];
  return { defect, expected: within(expected, scenarios), scenarios };
});

describe.concurrent('client mode: the fixture raw client', () => {
  for (const draft of ['2026-02-27', '2026-03-13']) {
    test(`passes every scenario under draft ${draft}, each CLI id judged or skipped with a reason`, async () => {
      const run = await runCli(['client', '--command', rawClient(), '--draft', draft, '-q'], { timeoutMs: RUN_MS });
      expect(problems(run.json), run.stdout).toEqual({});
      expect(run.code).toBe(0);
      expect(run.json.verdict).toBe('conformant');
      expect([...new Set(run.json.checks.map((c: any) => c.section))].sort()).toEqual([...ALL].sort());
      // Every scenario judges all nine ids; what had nothing to judge says what was missing.
      for (const s of ALL) expect(run.json.checks.filter((c: any) => c.section === s)).toHaveLength(9);
      for (const c of run.json.checks.filter((c: any) => c.status === 'skip')) expect(c.message).toMatch(/^nothing to judge in scenario [a-z-]+: \w/);
      // Ids that the plain scenarios can judge are judged there, not skipped.
      const demo = Object.fromEntries(run.json.checks.filter((c: any) => c.section === 'demo').map((c: any) => [c.id, c.status]));
      expect(demo).toMatchObject({ 'CLI-RUN-1': 'pass', 'CLI-STATE-1': 'pass', 'CLI-STATE-2': 'pass', 'CLI-CREATE-1': 'pass', 'CLI-ERR-1': 'pass', 'CLI-DELETE-1': 'pass', 'CLI-ID-1': 'pass', 'CLI-WIRE-1': 'pass', 'CLI-BIND-1': 'skip' });
      const two = run.json.checks.find((c: any) => c.section === 'two-servers' && c.id === 'CLI-BIND-1');
      expect(two.status).toBe('pass');
      expect(run.json.target).toBe(`client: ${rawClient()}`);
    }, RUN_MS + 10_000);
  }

  for (const { defect, expected, scenarios } of CASES) {
    const where = scenarios === ALL ? 'every scenario' : `scenarios ${scenarios.join(', ')}`;
    test(`--defect ${defect} fails exactly ${Object.keys(expected).join(', ')} (${where})`, async () => {
      const only = scenarios === ALL ? [] : scenarios.flatMap((s) => ['--scenario', s]);
      const run = await runCli(['client', '--command', rawClient(defect), ...only, '-q'], { timeoutMs: RUN_MS });
      expect([...new Set(run.json.checks.map((c: any) => c.section))].sort(), 'the selected scenarios ran').toEqual([...scenarios].sort());
      expect(problems(run.json), run.stdout).toEqual(expected);
      const blocking = Object.values(expected).flat().some((s) => s.endsWith(':fail'));
      expect(run.code).toBe(blocking ? 1 : 0);
      const failed = run.json.checks.filter((c: any) => c.status === 'fail' || c.status === 'warn');
      for (const c of failed) {
        // Failures explain themselves: expected, actual, fix, transcript, a rerun of the scenario.
        expect(c.expected && c.actual && c.fix, c.id).toBeTruthy();
        expect(c.transcript.length, c.id).toBeGreaterThan(0);
        expect(c.rerun).toBe(`npx mcp-session-conformance client --command '${rawClient(defect)}' --scenario ${c.section} --draft 2026-02-27`);
      }
    }, RUN_MS + 10_000);
  }
});
