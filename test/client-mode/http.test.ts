// client --transport http: the scripted servers behind Streamable HTTP (MCP_CONFORMANCE_SERVER_URL,
// and _2 in two-servers). The reference client (the SDK's HTTP transport) passes every scenario;
// broken clients still fail exactly their id; a client that never connects fails CLI-RUN-1.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../conformance/run-cli.js';
import { problems, rawClient } from './helpers.js';

const broken = (name: string) => `"${process.execPath}" "${join(ROOT, 'dist/reference-clients/broken', `${name}.js`)}"`;

describe.concurrent('client mode over Streamable HTTP', () => {
  for (const draft of ['2026-02-27', '2026-03-13']) {
    test(`the reference client passes every scenario under draft ${draft}`, async () => {
      const run = await runCli(['client', '--reference', '--transport', 'http', '--draft', draft, '-q'], { timeoutMs: 120_000 });
      expect(problems(run.json), run.stdout).toEqual({});
      expect(run.code).toBe(0);
      const two = run.json.checks.find((c: any) => c.section === 'two-servers' && c.id === 'CLI-BIND-1');
      expect(two.status).toBe('pass');
    });
  }

  test('a client that mutates the state fails CLI-STATE-2 only; one that leaks across servers fails CLI-BIND-1 only', async () => {
    const mutated = await runCli(['client', '--command', broken('state-mutated'), '--transport', 'http', '--scenario', 'rotating-state', '-q']);
    expect(problems(mutated.json)).toEqual({ 'CLI-STATE-2': ['rotating-state:fail'] });
    expect(mutated.json.checks.find((c: any) => c.status === 'fail').rerun).toMatch(/--scenario rotating-state --transport http/);
    const leak = await runCli(['client', '--command', broken('bind-leaks-across-servers'), '--transport', 'http', '--scenario', 'two-servers', '-q']);
    expect(problems(leak.json)).toEqual({ 'CLI-BIND-1': ['two-servers:fail'] });
  });

  test('a client that never sends a request fails CLI-RUN-1 naming the URL', async () => {
    const run = await runCli(['client', '--command', rawClient('no-connect'), '--transport', 'http', '--scenario', 'demo', '-q']);
    expect(problems(run.json)).toEqual({ 'CLI-RUN-1': ['demo:fail'] });
    expect(run.json.checks.find((c: any) => c.id === 'CLI-RUN-1').message).toMatch(/never sent a request to MCP_CONFORMANCE_SERVER_URL/);
  });

  test('--transport takes stdio or http', async () => {
    const run = await runCli(['client', '--command', 'x', '--transport', 'tcp']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--transport takes stdio or http/);
  });
});
