// Decision D17: a check that found nothing to judge is `skip` with what was missing, never
// `pass`. A bare session server (no state, no expiresAt, no echo, no -32043, no notifications,
// no _meta copy on create) gives each observer nothing; the report must say so per check.
import { describe, expect, test } from 'vitest';
import { fixture } from '../harness/helpers.js';
import { runCli } from '../conformance/run-cli.js';

const NOTHING = [
  ['SESS-CREATE-6', /no result\._meta\[.*\] copy/],
  ['SESS-ERR-2', /no -32043 error was seen/],
  ['SESS-EXP-1', /no expiresAt/],
  ['SESS-ID-3', /no success response in the run echoed a session/],
  ['SESS-ID-4', /no echoed id to compare/],
  ['SESS-STATE-1', /issued no state token/],
  ['SESS-STATE-3', /issued no state token/],
  ['SESS-STATE-5', /issued no state token/],
  ['SESS-USE-2', /echoed no session metadata/],
  ['SESS-USE-4', /none echoed a session/],
  ['SESS-USE-5', /sent no notifications/],
] as const;

async function run(only: string[], env: Record<string, string> = {}) {
  const cli = await runCli(['--server', fixture('bare-sessions'), '--draft', '2026-03-13', '--only', only.join(','), '--seed', '1', '-q'], { timeoutMs: 60_000, env });
  expect(cli.json, `no JSON report; stderr: ${cli.stderr}`).toBeDefined();
  return cli.json.checks as { id: string; status: string; message: string }[];
}

describe.concurrent('checks with nothing to judge are skipped with what was missing (D17)', () => {
  test('observers and comparisons on a server that issues no state, no expiresAt and no echo', async () => {
    const checks = await run(NOTHING.map(([id]) => id));
    for (const [id, missing] of NOTHING) {
      const check = checks.find((c) => c.id === id)!;
      expect(check, id).toBeDefined();
      expect(`${id} ${check.status}`).toBe(`${id} skip`);
      expect(check.message, id).toMatch(/^not applicable: /);
      expect(check.message, id).toMatch(missing);
    }
  });

  test('SESS-ERR-3 on a server that never sends a JSON-RPC error', async () => {
    const [check] = await run(['SESS-ERR-3'], { FIXTURE_NO_ERRORS: '1' });
    expect(check).toMatchObject({ id: 'SESS-ERR-3', status: 'skip' });
    expect(check!.message).toMatch(/^not applicable: the server sent no JSON-RPC error/);
  });
});
