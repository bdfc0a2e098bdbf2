// SESS-STATE-3 can pass: a server that signs its state passes it, and a server doing everything
// the draft asks gets no warning at all — so the warnings the demo servers get are earned.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { idsWithStatus, ROOT, runCli } from './run-cli.js';

const server = `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/variants/signed-state-server.js')}"`;

describe.concurrent('a server that protects its state', () => {
  test.each(['2026-02-27', '2026-03-13'])('passes SESS-STATE-3 and warns nothing under %s', async (draft) => {
    const run = await runCli(['--server', `${server} --draft ${draft}`, '--draft', draft, '--seed', '21', '-q']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.checks.find((c: any) => c.id === 'SESS-STATE-3').status).toBe('pass');
    expect(idsWithStatus(run.json, ['warn', 'fail', 'untestable', 'harness-error'])).toEqual([]);
  });

  test('the unsigned reference session_server warns SESS-STATE-3 on the same probes', async () => {
    const run = await runCli(['--reference', 'session_server', '--only', 'SESS-STATE-3', '--seed', '21', '-q']);
    const check = run.json.checks.find((c: any) => c.id === 'SESS-STATE-3');
    expect(check.status).toBe('warn');
    expect(check.fix).toMatch(/sign/i);
  });
});
