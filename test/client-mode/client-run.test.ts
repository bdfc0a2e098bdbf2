// Client mode as a user runs it: a hostile or broken client becomes a verdict within its bound
// with nothing left running; usage errors are exit 2; every report format reads the client run;
// the rerun command reproduces a failure.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { runCli } from '../conformance/run-cli.js';
import { problems, rawClient, running } from './helpers.js';
import { validate } from '../../harness/validate.js';

describe.concurrent('client mode: hostile clients, usage, reports', () => {
  test('a client that hangs with its servers open and a detached process: CLI-RUN-1 fails at the deadline, nothing is left running', async () => {
    const pids = join(mkdtempSync(join(tmpdir(), 'msc-client-')), 'pids');
    const run = await runCli(['client', '--command', rawClient('hang-open', ['--pids', pids]), '--scenario', 'two-servers', '--timeout', '8000', '-q'], { timeoutMs: 50_000 });
    expect(problems(run.json)).toEqual({ 'CLI-RUN-1': ['two-servers:fail'] });
    expect(run.json.checks.find((c: any) => c.id === 'CLI-RUN-1').message).toMatch(/still running at the deadline of 8000 ms/);
    expect(run.code).toBe(1);
    // The bound: the deadline plus the shutdown, not the client's own (endless) time.
    expect(run.ms).toBeLessThan(8000 + 18_000);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started.length).toBe(4); // the client, its two servers, the detached process
    expect(started.filter(running)).toEqual([]);
  });

  test('a command the shell cannot run is "could not be started": exit 3', async () => {
    const run = await runCli(['client', '--command', 'no-such-client-command-xyz', '--scenario', 'demo', '-q']);
    expect(run.code).toBe(3);
    expect(run.json.fatal.kind).toBe('target-start');
    expect(run.json.checks.find((c: any) => c.id === 'CLI-RUN-1').status).toBe('fail');
  });

  test('a stale MCP_CONFORMANCE_SERVER_URL in the caller\'s environment does not redirect a stdio client', async () => {
    const run = await runCli(['client', '--reference', '--scenario', 'demo', '-q'], { env: { MCP_CONFORMANCE_SERVER_URL: 'http://127.0.0.1:9/nothing-here' } });
    expect(problems(run.json), run.stdout).toEqual({});
    expect(run.code).toBe(0);
  });

  test('--strict: the SHOULD of CLI-DELETE-1 fails the run', async () => {
    const lax = await runCli(['client', '--command', rawClient('never-delete'), '--scenario', 'demo', '-q']);
    expect(problems(lax.json)).toEqual({ 'CLI-DELETE-1': ['demo:warn'] });
    expect(lax.code).toBe(0);
    const strict = await runCli(['client', '--command', rawClient('never-delete'), '--scenario', 'demo', '--strict', '-q']);
    expect(strict.json.verdict).toBe('non-conformant');
    expect(strict.code).toBe(1);
    expect(strict.json.checks.find((c: any) => c.id === 'CLI-DELETE-1').rerun).toMatch(/--strict$/);
  });

  test('a client that closes its own stdout, then runs every step and exits 0, passes: its stdout is not the protocol', async () => {
    const run = await runCli(['client', '--command', `exec ${rawClient()} >&-`, '--scenario', 'demo', '-q']);
    expect(problems(run.json), run.stdout).toEqual({});
    expect(run.code).toBe(0);
  });

  test("garbage on the client's own stdout is not the protocol: still conformant", async () => {
    const run = await runCli(['client', '--command', rawClient('noisy'), '--scenario', 'demo', '-q']);
    expect(problems(run.json)).toEqual({});
    expect(run.code).toBe(0);
  });

  test('usage errors are exit 2 and name the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['client'], /--command/],
      [['client', '--command', 'x', '--scenario', 'nope'], /unknown scenario "nope"/],
      [['client', '--command', 'x', '--reference'], /either --command or --reference/],
      [['client', '--command', 'x', '--draft', '1999-01-01'], /unknown draft/],
      [['client', '--command', 'x', '--timeout', 'soon'], /--timeout/],
      [['--reference', 'session_server', '--only', 'CLI-STATE-1'], /CLI-\* ids judge MCP clients; run them with: mcp-session-conformance client/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  test('the JSON report fits report.schema.json; JUnit and Markdown read the client run: one suite per scenario, the client command as the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-client-'));
    const run = await runCli(['client', '--command', rawClient('mutate-state'), '--scenario', 'demo,no-capability', '--junit', join(dir, 'r.xml'), '--markdown', join(dir, 'r.md'), '-q']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`target: client: ${rawClient('mutate-state')}`);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(dir, 'r.xml'), 'utf8'));
    const suites = [xml.testsuites.testsuite].flat();
    expect(suites.map((s: any) => s['@_name'])).toEqual(['demo', 'no-capability']);
    const failed = [suites[0].testcase].flat().filter((c: any) => c.failure);
    expect(failed.map((c: any) => c['@_name'])).toEqual([expect.stringMatching(/^CLI-STATE-2 /)]);
    const report = validate('report', run.json);
    expect(report.valid, report.valid ? '' : report.text).toBe(true);
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(md).toMatch(/NOT CONFORMANT/);
    expect(md).toContain('| CLI-STATE-2 (demo) | MUST | fail |');
    expect(md).toContain('--scenario demo');
  });

  test('--transcripts records every message both ways, each client line with its connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-client-'));
    const run = await runCli(['client', '--command', rawClient(), '--scenario', 'two-servers', '--transcripts', dir, '-q']);
    expect(run.code).toBe(0);
    const entries = readFileSync(join(dir, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const fromClient = entries.filter((e) => e.dir === 'in');
    const toClient = entries.filter((e) => e.dir === 'out');
    // Two servers, nine steps each: 9 requests + 1 notification from the client per server, 9 answers.
    expect(new Set(fromClient.map((e) => e.conn))).toEqual(new Set([1, 2]));
    expect(fromClient).toHaveLength(20);
    expect(toClient).toHaveLength(18);
    expect(fromClient.every((e) => typeof JSON.parse(e.text).method === 'string')).toBe(true);
  });

  test("a failure's rerun command reproduces it", async () => {
    const first = await runCli(['client', '--command', rawClient('stale-state'), '--scenario', 'expiry', '-q']);
    const failed = first.json.checks.find((c: any) => c.status === 'fail');
    expect(failed.id).toBe('CLI-STATE-1');
    const words = failed.rerun.replace(/^npx mcp-session-conformance /, '');
    const args = [...words.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
    const again = await runCli([...args, '-q']);
    expect(problems(again.json)).toEqual({ 'CLI-STATE-1': ['expiry:fail'] });
  });

  test('list shows the CLI ids with their levels per draft', async () => {
    const run = await runCli(['list', '--json']);
    const cli = JSON.parse(run.stdout).clientChecks.filter((c: any) => c.id.startsWith('CLI-'));
    expect(Object.fromEntries(cli.map((c: any) => [c.id, c.level]))).toEqual({
      'CLI-RUN-1': 'MUST',
      'CLI-WIRE-1': 'MUST',
      'CLI-STATE-1': 'MUST',
      'CLI-STATE-2': 'MUST',
      'CLI-CREATE-1': 'MUST',
      'CLI-ERR-1': 'MUST',
      'CLI-DELETE-1': 'SHOULD',
      'CLI-BIND-1': 'MUST',
      'CLI-ID-1': 'MUST',
    });
    const text = await runCli(['list']);
    expect(text.stdout).toMatch(/CLI-BIND-1\s+MUST\s+client/);
    expect(text.stdout).toContain('Scenarios: demo, rotating-state, revoked, expiry, no-capability, two-servers');
  });
});
