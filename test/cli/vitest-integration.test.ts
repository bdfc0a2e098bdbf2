// `mcp-session-conformance/vitest`: the example project in examples/vitest/ runs under its own
// vitest (spawned with `npx vitest run --reporter=json`, results parsed back) against a reference
// server — every check's test passes or is skipped, the warning is annotated — and against a
// broken server, where exactly the ids of its manifest fail, each with the finding as message.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brokenServer, CLI, ROOT } from '../conformance/run-cli.js';

const DRAFT = '2026-02-27';

/** A copy of the example with node_modules linking this package and the project's vitest. */
function exampleProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'msc-vitest-example-'));
  cpSync(join(ROOT, 'examples/vitest'), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/mcp-session-conformance'), 'dir');
  symlinkSync(join(ROOT, 'node_modules/vitest'), join(dir, 'node_modules/vitest'), 'dir');
  symlinkSync('../vitest/vitest.mjs', join(dir, 'node_modules/.bin/vitest'));
  return dir;
}

interface Assertion {
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
  meta?: { conformance?: { type: string; message: string } };
}

async function runExample(env: Record<string, string>): Promise<{ code: number | null; tests: Assertion[]; output: string }> {
  const dir = exampleProject();
  // The outer vitest's own variables would make the inner one think it runs inside a worker.
  const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const child = spawn('npx', ['vitest', 'run', '--reporter=json', '--outputFile=results.json'], {
    cwd: dir,
    env: { ...outer, NO_COLOR: '1', npm_config_update_notifier: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(results.testResults, output).toHaveLength(1);
  return { code, tests: results.testResults[0].assertionResults, output };
}

const planned = (): string[] =>
  (JSON.parse(execFileSync(process.execPath, [CLI, 'list', '--json', '--draft', DRAFT], { encoding: 'utf8' })).checks as { id: string; level: string | null }[])
    .filter((c) => c.level !== null)
    .map((c) => c.id);
const titled = (tests: Assertion[], status: Assertion['status']) => tests.filter((t) => t.status === status).map((t) => t.title).sort();

describe.concurrent('vitest integration (examples/vitest)', { timeout: 180_000 }, () => {
  test('a reference server: one test per check of the draft, none fails, the warning is annotated', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'msc-vitest-tmp-'));
    const run = await runExample({ SERVER_COMMAND: `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/client_notes_server.js')}"`, TMPDIR: tmp });
    expect(run.code, run.output).toBe(0);
    // The report's own directory is removed once read: runs leave nothing in the temp directory.
    expect(readdirSync(tmp).filter((name) => name.startsWith('msc-'))).toEqual([]);
    expect(run.tests.map((t) => t.title)).toEqual(planned());
    expect(titled(run.tests, 'failed')).toEqual([]);
    expect(titled(run.tests, 'passed').length).toBeGreaterThan(30);
    const skipped = titled(run.tests, 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    // client_notes_server does not refresh expiresAt: a SHOULD, so a passing, annotated test.
    const warned = run.tests.filter((t) => t.meta?.conformance?.type === 'warning');
    expect(warned.map((t) => t.title)).toEqual(['SESS-STATE-3']);
    expect(warned[0]!.status).toBe('passed');
    expect(warned[0]!.meta!.conformance!.message).toMatch(/^SHOULD not met: /);
  });

  test('the same server under strict: the warning is a failed test, as the CLI counts it', async () => {
    const run = await runExample({ SERVER_COMMAND: `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/client_notes_server.js')}"`, STRICT: '1' });
    expect(run.code, run.output).toBe(1);
    expect(titled(run.tests, 'failed')).toEqual(['SESS-STATE-3']);
  });

  test('a broken server: exactly the ids of its manifest fail, each message the finding', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'reference-servers/broken/manifest.base.json'), 'utf8')) as { server: string; mustFail: string[] }[];
    const entry = manifest.find((e) => e.server === 'base-empty-session-meta')!;
    const run = await runExample({ SERVER_COMMAND: brokenServer(entry.server, DRAFT) });
    expect(run.code, run.output).toBe(1);
    expect(run.tests.map((t) => t.title)).toEqual(planned());
    expect(titled(run.tests, 'failed')).toEqual([...entry.mustFail].sort());
    for (const t of run.tests.filter((x) => x.status === 'failed')) {
      const message = t.failureMessages.join('\n');
      expect(message).toContain(`${t.title} fail: `);
      for (const field of ['Expected:', 'Actual:', 'Fix:', 'Rerun:']) expect(message, t.title).toContain(field);
      expect(message).toContain(`--only ${t.title}`);
    }
  });
});
