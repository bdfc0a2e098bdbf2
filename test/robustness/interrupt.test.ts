// Ctrl-C in the middle of a run: the CLI stops promptly with the conventional code, writes the
// reports of what finished — saying `incomplete`, never conformant (D17) — and leaves no target
// process behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, test } from 'vitest';
import { CLI, ROOT } from '../conformance/run-cli.js';
import { fixtureCommand, junitCases, killLeftovers, leftoverAfter, parseJUnit, processesWith } from './helpers.js';

/** A progress line names a check id (e.g. "PASS SESS-CAP-1  …"). */
const PROGRESS = /\b(SESS|BASE)-[A-Z]+-\d+\b/;
/** The CLI gives its shutdown hooks ~2 s; then it kills the targets and exits regardless. */
const EXIT_BOUND_MS = 3000;

const SIGNALS: { signal: NodeJS.Signals; code: number }[] = [
  { signal: 'SIGINT', code: 130 },
  { signal: 'SIGTERM', code: 143 },
];

describe('interrupting a run', () => {
  test.each(SIGNALS)('$signal after the first progress line → exit $code, reports written, nothing left', async ({ signal, code }) => {
    const { command, marker } = fixtureCommand('slow.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'msc-interrupt-'));
    const jsonPath = join(dir, 'report.json');
    const junitPath = join(dir, 'report.xml');
    const markdownPath = join(dir, 'report.md');
    // stdout is a pipe: progress lines appear only with --progress, on stderr.
    const child = spawn(
      process.execPath,
      [CLI, '--server', command, '--json', jsonPath, '--junit', junitPath, '--markdown', markdownPath, '--timeout', '500', '--seed', '1', '--progress'],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const closed = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('close', (code, sig) => resolve({ code, signal: sig })),
    );
    // Safety net only: a CLI that ignores the interrupt must fail the test, not hang it.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      const firstProgress = await new Promise<string | null>((resolve) => {
        const lines = createInterface({ input: child.stderr });
        lines.on('line', (line) => {
          if (PROGRESS.test(line)) resolve(line);
        });
        lines.once('close', () => resolve(null));
      });
      expect(firstProgress, `no progress line before the CLI ended; stderr: ${stderr}`).not.toBeNull();
      // The report on stdout lists no check before the run ends: progress went to stderr.
      expect(stdout).not.toMatch(PROGRESS);

      const sentAt = performance.now();
      child.kill(signal);
      const exit = await closed;
      const exitMs = performance.now() - sentAt;
      console.log(`${signal}: CLI exited ${Math.round(exitMs)} ms after the signal (code ${exit.code})`);

      expect(exit.code, stderr).toBe(code);
      expect(exitMs).toBeLessThan(EXIT_BOUND_MS);

      expect(existsSync(jsonPath), 'JSON report written on interrupt').toBe(true);
      const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
      expect(report.checks.length).toBeGreaterThan(0);
      // What finished is reported; what the interrupt cut short is incomplete, and so is the run.
      expect(report.verdict).toBe('incomplete');
      expect(report.stopped).toMatch(/interrupted/);
      expect(report.checks.some((c: any) => c.status !== 'incomplete')).toBe(true);
      expect(report.checks.some((c: any) => c.status === 'incomplete' && /interrupted/.test(c.message))).toBe(true);
      expect(report.checks.filter((c: any) => /interrupted/.test(c.message) && c.status !== 'incomplete')).toEqual([]);
      expect(report.summary.incomplete).toBeGreaterThan(0);
      expect(report.checks.filter((c: any) => c.status === 'harness-error')).toEqual([]);
      // The console report printed on the way out says so too.
      expect(stdout).toMatch(/^INCOMPLETE: .*\d+ incomplete/m);
      expect(stdout).not.toMatch(/^conformant/m);

      expect(existsSync(junitPath), 'JUnit report written on interrupt').toBe(true);
      const cases = junitCases(parseJUnit(readFileSync(junitPath, 'utf8')));
      expect(cases.length).toBe(report.checks.length);
      // An unjudged check never counts as passed in JUnit.
      const incompleteIds = report.checks.filter((c: any) => c.status === 'incomplete').map((c: any) => c.id);
      for (const c of cases.filter((c: any) => incompleteIds.some((id: string) => String(c['@_name'] ?? c.name).startsWith(`${id} `)))) {
        expect(c.failure, JSON.stringify(c)).toBeDefined();
      }
      const markdown = readFileSync(markdownPath, 'utf8');
      expect(markdown.split('\n')[0]).toMatch(/INCOMPLETE/);
      expect(markdown).not.toMatch(/✅/);

      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      clearTimeout(guard);
      child.kill('SIGKILL');
      killLeftovers(marker);
    }
  });
});

/**
 * Ctrl-C while the CLI still waits for the first initialize answer (start timeout 20 s). The
 * event to wait for is the target's own process appearing; it is not our child, so: a poll.
 */
async function interruptDuringStart(): Promise<{ code: number | null; exitMs: number; jsonPath: string; marker: string }> {
  const { command, marker } = fixtureCommand('never-initializes.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'msc-interrupt-start-'));
  const jsonPath = join(dir, 'report.json');
  const child = spawn(process.execPath, [CLI, '--server', command, '--json', jsonPath, '--start-timeout', '20000', '-q'], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const isTarget = (p: { pid: number; cmdline: string }) => p.pid !== child.pid && p.cmdline.includes('never-initializes.mjs') && !p.cmdline.includes(CLI);
    const deadline = performance.now() + 20_000;
    while (!processesWith(marker).some(isTarget) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(processesWith(marker).some(isTarget), 'the target never started').toBe(true);
    const sentAt = performance.now();
    child.kill('SIGINT');
    const code = await closed;
    return { code, exitMs: performance.now() - sentAt, jsonPath, marker };
  } finally {
    clearTimeout(guard);
    child.kill('SIGKILL');
  }
}

describe('interrupting a run while the target starts', () => {
  test('SIGINT during the initialize wait → exit 130 within 3 s, nothing left', async () => {
    const { code, exitMs, marker } = await interruptDuringStart();
    try {
      console.log(`SIGINT during start: CLI exited ${Math.round(exitMs)} ms after the signal (code ${code})`);
      expect(code).toBe(130);
      expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  });

  // The pool aborts targets that are still starting, so the run ends at once and reports.
  test('SIGINT during the initialize wait still writes the JSON report, saying incomplete', async () => {
    const { jsonPath, marker } = await interruptDuringStart();
    killLeftovers(marker);
    expect(existsSync(jsonPath)).toBe(true);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(report.verdict).toBe('incomplete');
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.every((c: any) => c.status === 'incomplete')).toBe(true);
  });
});
