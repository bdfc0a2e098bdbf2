// `--reference broken/<name>`: a shipped broken server runs with what its manifest declares
// (the --app of its demonstrating entry), says up front what it must fail, and fails exactly that.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { idsWithStatus, ROOT, runCli } from '../conformance/run-cli.js';

const manifest = (file: string) => JSON.parse(readFileSync(join(ROOT, 'reference-servers/broken', file), 'utf8')) as any[];

describe.concurrent('--reference broken/<name>', () => {
  test('a server whose defect shows only under its --app: the manifest app is applied and its ids fail', async () => {
    const entry = manifest('manifest.isolation.json').find((e) => e.server === 'iso-memo-leak' && e.args?.includes('--app'));
    const run = await runCli(['--reference', 'broken/iso-memo-leak', '--seed', '3', '-q'], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(`must fail ${entry.mustFail.join(', ')}`);
    expect(run.stdout).toContain('declared as --app notebook_server');
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual([...entry.mustFail].sort());
    expect(run.json.target).toBe('reference:broken/iso-memo-leak');
    const failing = run.json.checks.find((c: any) => c.status === 'fail');
    expect(failing.rerun).toContain('--reference broken/iso-memo-leak');
  });

  test('a draft-specific entry: the one for the chosen draft is named', async () => {
    const entry = manifest('manifest.errors.json').find((e) => e.server === 'delete-no-op' && e.draft === '2026-03-13');
    const run = await runCli(['--reference', 'broken/delete-no-op', '--draft', '2026-03-13', '--only', 'SESS-DELETE', '-q'], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`fails nothing; warns ${entry.mustWarn.join(', ')}`);
    expect(idsWithStatus(run.json, ['warn'])).toEqual(entry.mustWarn);
  });

  test('an unknown name is a usage error with the nearest name', async () => {
    const run = await runCli(['--reference', 'broken/iso-memo-lek'], { timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean broken/iso-memo-leak?');
  });
});
