// The replay words a failing property check prints reproduce exactly that case: the CLI, run as
// a child process, fails the same check again with the same counterexample.
import { describe, expect, it } from 'vitest';
import { brokenServer, runCli } from '../conformance/run-cli.js';

/** The counterexample with the session ids and times masked (they differ run to run). */
function shape(steps: string[]): string[] {
  return steps.map((s) => s.replace(/sess-[0-9a-f]+/g, '<id>').replace(/\d{4}-\d\d-\d\dT[\d:.+]+Z?/g, '<time>').replace(/"state":"[^"]*"/g, '"state":…'));
}

const cases = [
  { server: 'prop-forgetful-delete', id: 'SESS-DELETE-2', draft: '2026-02-27', status: 'fail' },
  { server: 'prop-forgetful-delete', id: 'SESS-DELETE-2', draft: '2026-03-13', status: 'warn' },
  { server: 'prop-notebook-leak', id: 'SESS-ISO-1', draft: '2026-02-27', status: 'fail', app: 'notebook_server' },
];

describe.concurrent('replaying a property counterexample from the report', () => {
  it.each(cases)('$server: $id ($draft) replays with the words in details.replay', async ({ server, id, draft, status, app }) => {
    const target = ['--server', brokenServer(server, draft), '--draft', draft, ...(app ? ['--app', app] : [])];
    const first = await runCli([...target, '--seed', '5', '--only', id, '-q'], { timeoutMs: 90_000 });
    const found = first.json.checks.find((c: any) => c.id === id);
    expect(found.status, found.message).toBe(status);
    const details = found.details;
    expect(details).toMatchObject({ seed: expect.any(Number), path: expect.any(String), replayPath: expect.any(String) });
    expect(details.replay).toBe(`--seed 5 --only ${id} --replay ${details.replayArg}`);

    const again = await runCli([...target, ...details.replayArgs, '-q'], { timeoutMs: 90_000 });
    const replayed = again.json.checks.find((c: any) => c.id === id);
    expect(replayed.status).toBe(status);
    expect(replayed.details.replayArg).toBe(details.replayArg);
    expect(shape(replayed.details.counterexample)).toEqual(shape(details.counterexample));
    // Exactly the case: no new runs, no shrinking.
    expect(replayed.details.runs).toBe(1);
    expect(replayed.details.shrinks).toBe(0);
  });

  it('the same replay against the reference server passes (the defect, not the case, fails)', async () => {
    const first = await runCli(['--server', brokenServer('prop-forgetful-delete'), '--seed', '5', '--only', 'SESS-DELETE-2', '-q'], { timeoutMs: 90_000 });
    const args: string[] = first.json.checks[0].details.replayArgs;
    const reference = await runCli(['--reference', 'session_server', ...args, '-q'], { timeoutMs: 90_000 });
    expect(reference.json.checks.find((c: any) => c.id === 'SESS-DELETE-2').status).toBe('pass');
  });
});
