// Shared by the robustness tests: fixture commands tagged with a unique marker, a scan of
// /proc for processes that carry it, and parsing of the reports the CLI wrote.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { ROOT, runCli, type CliRun } from '../conformance/run-cli.js';

export const FIXTURES = join(ROOT, 'test/fixtures/misbehaving');

export interface Tagged {
  command: string;
  marker: string;
}

/** A unique tag to put in a target's argv, so its processes can be found in /proc. */
export function newMarker(): string {
  return randomUUID();
}

/** `node <fixture> --marker <uuid>`: the marker lets the test find every process of this run. */
export function fixtureCommand(name: string): Tagged {
  const marker = newMarker();
  return { command: `"${process.execPath}" "${join(FIXTURES, name)}" --marker ${marker}`, marker };
}

/** Pids (other than this process) whose command line contains `marker`. */
export function processesWith(marker: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // exited while we looked
    }
    if (cmdline.includes(marker)) found.push({ pid: Number(entry), cmdline: cmdline.trim() });
  }
  // (A zombie's cmdline is empty, so only live processes match.)
  return found;
}

/**
 * Polls until no process carries `marker` or `ms` passed; returns what is left. Processes are
 * not ours to wait on (they belonged to the CLI), so there is no event: a short poll it is.
 */
export async function leftoverAfter(marker: string, ms = 2000): Promise<{ pid: number; cmdline: string }[]> {
  const deadline = performance.now() + ms;
  for (;;) {
    const left = processesWith(marker);
    if (left.length === 0 || performance.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SIGKILL whatever a failed test left behind, so one failure does not pollute the machine. */
export function killLeftovers(marker: string): void {
  for (const p of processesWith(marker)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export interface ReportedRun extends CliRun {
  junit?: any;
  junitPath: string;
  transcriptsDir: string;
}

/** Runs the CLI with a JSON report (run-cli's), a JUnit report and transcripts in a temp dir. */
export async function runWithReports(args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ReportedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'msc-robust-'));
  const junitPath = join(dir, 'report.xml');
  const transcriptsDir = join(dir, 'transcripts');
  const run = await runCli([...args, '--junit', junitPath, '--transcripts', transcriptsDir], opts);
  return { ...run, junit: existsSync(junitPath) ? parseJUnit(readFileSync(junitPath, 'utf8')) : undefined, junitPath, transcriptsDir };
}

/** Parses JUnit XML strictly enough to notice a broken document. */
export function parseJUnit(xml: string): any {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'testsuite' || name === 'testcase' });
  const doc = parser.parse(xml, true);
  if (!doc.testsuites) throw new Error(`JUnit report has no <testsuites> root: ${xml.slice(0, 200)}`);
  return doc;
}

/** Every <testcase> of a parsed JUnit document. */
export function junitCases(doc: any): any[] {
  return (doc.testsuites.testsuite ?? []).flatMap((s: any) => s.testcase ?? []);
}

/** Ids by status from a JSON report. */
export function statusOf(report: any, id: string): string | undefined {
  return report.checks.find((c: any) => c.id === id)?.status;
}

/**
 * A limiter for CLI runs inside one test file: at most `count` at a time, the rest queued in
 * order. The corpora run in the `timed` project (vitest.config.ts), with no other file beside
 * them; two runs at a time give each a core of its own, as it had alone (issue 15: one run at a
 * time left a core idle at the end of `npm test`).
 */
export function slots(count: number): <T>(work: () => Promise<T>) => Promise<T> {
  let free = count;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
