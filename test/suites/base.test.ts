// The base-protocol checks and SESS-ISO-2, run through the built CLI against real processes:
// a reference server passes them all; broken servers fail exactly the id their defect breaks.
import { describe, expect, test } from 'vitest';
import { brokenServer, idsWithStatus, runCli } from '../conformance/run-cli.js';

const BASE_IDS = ['BASE-ID-1', 'BASE-INIT-1', 'BASE-METHOD-1', 'BASE-NOTIF-1', 'BASE-PARSE-1', 'BASE-WIRE-1', 'BASE-WIRE-2'];

function check(report: any, id: string): any {
  return report.checks.find((c: any) => c.id === id);
}

describe.concurrent('base protocol checks', () => {
  test.each(['2026-02-27', '2026-03-13'])('the notebook reference server passes every BASE check and SESS-ISO-2 under %s', async (draft) => {
    const run = await runCli(['--reference', 'notebook_server', '--draft', draft, '--only', 'BASE,SESS-ISO-2', '--seed', '1', '-q']);
    expect(run.json, run.stderr).toBeDefined();
    const statuses = Object.fromEntries(run.json.checks.map((c: any) => [c.id, c.status]));
    expect(statuses).toEqual(Object.fromEntries([...BASE_IDS, 'SESS-ISO-2'].map((id) => [id, 'pass'])));
    expect(run.code).toBe(0);
  });

  test('a server that answers integer ids with string ids fails BASE-ID-1 only', async () => {
    const run = await runCli(['--server', brokenServer('base-id-stringified'), '--only', 'BASE', '--seed', '1', '-q']);
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual(['BASE-ID-1']);
    const failure = check(run.json, 'BASE-ID-1');
    expect(failure.actual).toMatch(/response id "\d+" does not match request id \d+ \(type differs\)/);
    expect(failure.fix).toMatch(/1 and "1" are different ids/);
    expect(run.code).toBe(1);
  });

  test('a notebook declared with --app whose clear reports the wrong count fails SESS-ISO-2 at that step only', async () => {
    const run = await runCli(['--server', brokenServer('iso-notebook-clear-count'), '--app', 'notebook_server', '--only', 'BASE,SESS-ISO-2', '--seed', '1', '-q']);
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual(['SESS-ISO-2']);
    const failure = check(run.json, 'SESS-ISO-2');
    expect(failure.expected).toBe('step 6 clear: the text "Notebook cleared (3 notes removed)."');
    expect(failure.actual).toContain('got "Notebook cleared (0 notes removed)."');
    expect(failure.transcript.join('\n')).toContain('notebook_clear');
  });

  test('a server that never answers initialize fails BASE-INIT-1 and nothing else runs', async () => {
    const run = await runCli(['--server', brokenServer('base-init-silent'), '--only', 'BASE', '--start-timeout', '1500', '-q']);
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual(['BASE-INIT-1']);
    expect(idsWithStatus(run.json, ['skip'])).toEqual(BASE_IDS.filter((id) => id !== 'BASE-INIT-1'));
    expect(run.code).toBe(3);
  });

  test('a server that stays silent on an unparseable line only warns on BASE-PARSE-1 (a SHOULD)', async () => {
    const run = await runCli(['--server', brokenServer('base-silent-parse-error'), '--only', 'BASE', '--seed', '1', '-q']);
    expect(idsWithStatus(run.json, ['warn'])).toEqual(['BASE-PARSE-1']);
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual([]);
    expect(check(run.json, 'BASE-PARSE-1').actual).toContain('notifications/message');
    expect(run.code).toBe(0);
  });
});
