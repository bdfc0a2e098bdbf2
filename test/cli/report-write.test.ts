// A report that cannot be written after the run (its directory gone or replaced, its path now a
// directory) is a clear one-line error and exit 6, never a stack trace: the other reports are
// still written and nothing is left running. Real CLI runs; the target itself breaks the path
// when it starts, so the path was fine when the CLI checked it before the run.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { runCli } from '../conformance/run-cli.js';
import { FIXTURES, killLeftovers, leftoverAfter, newMarker } from '../robustness/helpers.js';

/** A conformant target that first runs `sabotage` (a shell command) each time it starts. */
function sabotaging(sabotage: string): { command: string; marker: string } {
  const marker = newMarker();
  return { command: `${sabotage} && exec "${process.execPath}" "${join(FIXTURES, 'conformant.mjs')}" --marker ${marker}`, marker };
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

describe.concurrent('a report that cannot be written after the run', () => {
  test('--json whose directory is replaced by a file during the run: exit 6, the message names it, JUnit and Markdown written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-report-write-'));
    const out = join(dir, 'out');
    const json = join(out, 'report.json');
    const junit = join(dir, 'junit.xml');
    const markdown = join(dir, 'report.md');
    const { command, marker } = sabotaging(`rm -rf '${out}' && : > '${out}'`);
    try {
      const run = await runCli(['--server', command, '--seed', '1', '-q', '--json', json, '--junit', junit, '--markdown', markdown]);
      expect(run.code, run.stdout + run.stderr).toBe(6);
      expectNoStackTrace(run.stderr);
      expect(run.stderr).toContain(`--json ${json}: could not write the report (a file is where its directory should be`);
      expect(run.stderr).toMatch(/a report could not be written \(exit 6\); the run's verdict: conformant/);
      expect(statSync(out).isFile()).toBe(true); // the file in the way was left alone
      const suites = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(junit, 'utf8')).testsuites;
      expect(Number(suites.tests)).toBeGreaterThan(0);
      expect(Number(suites.failures)).toBe(0);
      expect(readFileSync(markdown, 'utf8')).toMatch(/conformant/);
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  });

  test('--junit whose path became a directory during the run: exit 6, the JSON report written and complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-report-write-'));
    const junit = join(dir, 'junit.xml');
    const json = join(dir, 'report.json');
    const { command, marker } = sabotaging(`mkdir -p '${junit}'`);
    try {
      const run = await runCli(['--server', command, '--seed', '1', '-q', '--json', json, '--junit', junit]);
      expect(run.code, run.stdout + run.stderr).toBe(6);
      expectNoStackTrace(run.stderr);
      expect(run.stderr).toContain(`--junit ${junit}: could not write the report (is a directory)`);
      expect(existsSync(json)).toBe(true);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      expect(report.verdict).toBe('conformant');
      expect(report.checks.length).toBeGreaterThan(0);
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  });
});
