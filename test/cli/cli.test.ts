// The CLI as users run it: a child process, its exit code, its reports parsed back.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { brokenServer, idsWithStatus, ROOT, runCli } from '../conformance/run-cli.js';

const reportSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateReport = ajv.compile(reportSchema);

function junitOf(path: string) {
  const xml = readFileSync(path, 'utf8');
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
}

describe.concurrent('CLI', () => {
  test('exit 0: a reference server is conformant; JSON validates and JUnit counts match it', async () => {
    // A generous --timeout: the two runs are compared byte for byte, and a request that timed out
    // on a loaded machine (then judged again on a process of its own) changes counts and starts.
    const same = ['--reference', 'session_required_server', '--seed', '3', '--timeout', '20000', '-q'];
    const probe = await runCli(same);
    const junitPath = join(probe.dir, 'junit.xml');
    const run = await runCli([...same, '--junit', junitPath]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(validateReport(run.json), JSON.stringify(validateReport.errors)).toBe(true);
    expect(run.json.verdict).toBe('conformant');
    expect(run.json.seed).toBe(3);
    const suites = junitOf(junitPath).testsuites;
    const json = run.json.summary;
    expect(Number(suites.tests)).toBe(run.json.checks.length);
    expect(Number(suites.failures)).toBe(json.fail + json.untestable);
    expect(Number(suites.errors)).toBe(json['harness-error']);
    expect(Number(suites.skipped)).toBe(json.skip);
    // Same seed, same target: the JSON reports diff clean, but for what the target itself
    // randomizes (its session ids) and the clock it reports (expiresAt). SESS-EXP-2 (informational)
    // reports how expiresAt moved over three quick calls: with whole-second times that reads
    // "moved forward" or "stayed the same" by where a second's boundary fell, so its movement is
    // masked too (making the check wait out a second would cost every run a second).
    const targetNoise = (report: unknown) =>
      JSON.stringify(report)
        .replace(/sess-[0-9a-f]{32}/g, 'sess-<id>')
        .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g, '<time>')
        .replace(/(over \d+ calls it )[^"]*?(?=")/g, '$1<movement>')
        .replace(/"movement":"[^"]*"/g, '"movement":"<movement>"');
    const differing = (a: any, b: any) =>
      [JSON.stringify(a.stats) === JSON.stringify(b.stats) ? '' : `stats ${JSON.stringify(a.stats)} vs ${JSON.stringify(b.stats)}`,
        ...a.checks.map((c: any, i: number) => (targetNoise(c) === targetNoise(b.checks[i]) ? '' : `${c.id}: ${targetNoise(c).slice(0, 400)} vs ${targetNoise(b.checks[i]).slice(0, 400)}`))]
        .filter(Boolean)
        .join('\n');
    expect(targetNoise(run.json), differing(run.json, probe.json)).toBe(targetNoise(probe.json));
    // SESS-ERR-5's excerpt shows the first process's lines, then the restart's: in time order they
    // interleave by how the restart's start-up fell, and the two reports above would differ.
    const err5: string[] = run.json.checks.find((c: any) => c.id === 'SESS-ERR-5').transcript;
    const restartAt = err5.findIndex((l) => l.startsWith('--- start:'));
    expect(restartAt, err5.join('\n')).toBeGreaterThan(0);
    expect(err5.slice(0, restartAt).some((l) => l.includes('"method":"initialize"')), err5.join('\n')).toBe(false);
    expect(err5.slice(restartAt).some((l) => l.includes('"method":"sessions/create"')), err5.join('\n')).toBe(false);
    // The first process's request ids (its create's prefix) appear before the restart only.
    const firstPrefix = /"id":"([0-9a-f]+)-\d+","method":"sessions\/create"/.exec(err5.join('\n'))?.[1];
    expect(firstPrefix, err5.join('\n')).toBeDefined();
    expect(err5.slice(restartAt).some((l) => l.includes(`"id":"${firstPrefix}-`)), err5.join('\n')).toBe(false);
  });

  test('exit 1: a broken server is non-conformant and its failures explain themselves', async () => {
    const junitPath = '/dev/null';
    const run = await runCli(['--server', brokenServer('base-unknown-method-invalid-params'), '--seed', '5', '-q', '--junit', junitPath]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.json.verdict).toBe('non-conformant');
    const failed = run.json.checks.find((c: any) => c.status === 'fail');
    expect(failed).toBeDefined();
    for (const key of ['expected', 'actual', 'fix', 'rerun']) expect(failed[key], key).toBeTruthy();
    expect(failed.transcript.length).toBeGreaterThan(0);
    expect(failed.rerun).toContain('--seed 5');
    expect(failed.rerun).toContain(`--only ${failed.id}`);
    expect(run.stdout).toContain('Fix');
  });

  test('exit 2: a usage error says what is wrong', async () => {
    const run = await runCli(['--no-such-flag']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-flag/);
    const missing = await runCli([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--server/);
  });

  test('exit 3: a target that cannot start is BASE-INIT-1 failing, with reports written', async () => {
    const run = await runCli(['--server', 'definitely-not-a-command-3f9a', '-q']);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(idsWithStatus(run.json, ['fail'])).toEqual(['BASE-INIT-1']);
    expect(run.json.fatal.kind).toBe('target-start');
    expect(run.stdout).toMatch(/not found/);
  });

  test('exit 4: an internal error of the suite is not blamed on the target', async () => {
    const run = await runCli(['--reference', 'session_server', '-q'], { env: { MCP_SESSION_CONFORMANCE_FAULT: 'internal' } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/internal error/);
  });

  test('list --json covers every check id of both profiles without running anything', async () => {
    for (const draft of ['2026-02-27', '2026-03-13']) {
      const run = await runCli(['list', '--json', '--draft', draft]);
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout);
      const listed = [...json.checks, ...json.clientChecks];
      const profile = JSON.parse(readFileSync(join(ROOT, 'suites/profiles', `${draft}.json`), 'utf8'));
      const ids = listed.filter((c: any) => c.level).map((c: any) => c.id).sort();
      expect(ids).toEqual(Object.keys(profile.levels).sort());
      for (const c of listed) expect(c.title && c.section).toBeTruthy();
    }
  });

  test('--only and --skip select checks; expected failures excuse known ones and flag stale ones', async () => {
    const only = await runCli(['--reference', 'session_server', '--only', 'SESS-DELETE', '--skip', 'SESS-DELETE-5', '-q']);
    expect(only.json.checks.map((c: any) => c.id)).toEqual(['SESS-DELETE-1', 'SESS-DELETE-2', 'SESS-DELETE-3', 'SESS-DELETE-4']);

    const server = brokenServer('base-unknown-method-invalid-params');
    const first = await runCli(['--server', server, '-q']);
    const failing = idsWithStatus(first.json, ['fail']);
    const file = join(first.dir, 'expected.txt');
    writeFileSync(file, failing.map((id) => `${id} known: tracked in our issue tracker`).join('\n'));
    const excused = await runCli(['--server', server, '-q', '--expected-failures', file]);
    expect(excused.code, excused.stdout).toBe(0);
    writeFileSync(file, `${failing.join('\n')}\nSESS-CREATE-1 no longer fails`);
    const stale = await runCli(['--server', server, '-q', '--expected-failures', file]);
    expect(stale.code).toBe(1);
  });

  test('--markdown writes a CI summary naming the failing checks', async () => {
    const path = join(tmpdir(), `msc-md-${process.pid}.md`);
    const run = await runCli(['--server', brokenServer('base-unknown-method-invalid-params'), '-q', '--markdown', path]);
    const md = readFileSync(path, 'utf8');
    for (const id of idsWithStatus(run.json, ['fail'])) expect(md).toContain(id);
  });

  test('--help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--server');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
