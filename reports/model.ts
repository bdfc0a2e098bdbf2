// What every report writer agrees on: the order of sections, statuses and checks, the counts,
// and the wording of a verdict. One home, so the console, JSON, JUnit and Markdown reports
// never disagree about a number or an order.
import type { CheckResult, RunResult, Status } from '../runner/types.js';

/** Sections in the order of the requirement catalog; unknown sections follow, alphabetically. */
export const SECTION_ORDER: readonly string[] = [
  'capability',
  'create',
  'ids',
  'use',
  'state',
  'expiry',
  'errors',
  'required',
  'delete',
  'isolation',
  'base',
  'http',
];

/** Every status, in the order counts are listed (the Record makes the compiler demand each one). */
const ORDER: Record<Status, number> = { pass: 0, fail: 1, warn: 2, info: 3, skip: 4, untestable: 5, incomplete: 6, 'harness-error': 7 };
export const STATUSES: readonly Status[] = (Object.keys(ORDER) as Status[]).sort((a, b) => ORDER[a] - ORDER[b]);

/**
 * Statuses that make a check count as not passed: the target broke, could not be tested, was
 * not (fully) judged, or we broke.
 */
export function isProblem(status: Status): boolean {
  return status === 'fail' || status === 'untestable' || status === 'incomplete' || status === 'harness-error';
}

/** Statuses whose report carries the full explanation (message, expected, actual, fix, transcript, rerun). */
export function needsExplanation(status: Status): boolean {
  return isProblem(status) || status === 'warn';
}

/** Natural order of check ids, so SESS-CREATE-2 sorts before SESS-CREATE-10; ties fall back to code points. */
export function compareIds(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    // Odd indexes are the digit runs captured by the split.
    if (i % 2 === 1) {
      const diff = Number(pa[i]) - Number(pb[i]);
      if (diff !== 0) return diff;
    }
    return pa[i]! < pb[i]! ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortChecks(checks: readonly CheckResult[]): CheckResult[] {
  return [...checks].sort((x, y) => compareIds(x.id, y.id));
}

function compareSections(a: string, b: string): number {
  const ra = SECTION_ORDER.indexOf(a);
  const rb = SECTION_ORDER.indexOf(b);
  if (ra >= 0 && rb >= 0) return ra - rb;
  if (ra >= 0) return -1;
  if (rb >= 0) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sections present in these checks, in report order. */
export function orderedSections(checks: readonly CheckResult[]): string[] {
  return [...new Set(checks.map((c) => c.section))].sort(compareSections);
}

export interface SectionGroup {
  section: string;
  checks: CheckResult[];
}

/** Checks grouped by section (report order), each group sorted by id. */
export function groupBySection(checks: readonly CheckResult[]): SectionGroup[] {
  return orderedSections(checks).map((section) => ({
    section,
    checks: sortChecks(checks.filter((c) => c.section === section)),
  }));
}

/**
 * Counts recomputed from the checks rather than copied from `run.summary`, so every number a
 * report prints matches the cases it lists, whatever the caller filled in.
 */
export function countStatuses(checks: readonly CheckResult[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) counts[c.status] = (counts[c.status] ?? 0) + 1;
  return counts;
}

const PHRASES: Record<Status, (n: number) => string> = {
  fail: (n) => `${n} failed`,
  untestable: (n) => `${n} untestable`,
  'harness-error': (n) => `${n} harness error${n === 1 ? '' : 's'}`,
  incomplete: (n) => `${n} incomplete`,
  pass: (n) => `${n} passed`,
  warn: (n) => `${n} warning${n === 1 ? '' : 's'}`,
  info: (n) => `${n} info`,
  skip: (n) => `${n} skipped`,
};

/** Problems first, then the rest: "3 failed, 1 untestable, 38 passed, 2 warnings, 3 skipped". */
const PHRASE_ORDER: readonly Status[] = ['fail', 'untestable', 'incomplete', 'harness-error', 'pass', 'warn', 'info', 'skip'];

export function countPhrase(counts: Record<Status, number>, incidents = 0): string {
  const parts = PHRASE_ORDER.filter((s) => counts[s] > 0).map((s) => PHRASES[s](counts[s]));
  if (incidents > 0) parts.push(`${incidents} incident${incidents === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : '0 checks';
}

export function verdictLabel(verdict: RunResult['verdict']): string {
  if (verdict === 'conformant') return 'conformant';
  if (verdict === 'non-conformant') return 'NOT CONFORMANT';
  if (verdict === 'incomplete') return 'INCOMPLETE';
  return 'ERROR';
}

export type Incident = RunResult['incidents'][number];

/** An incident as plain lines (console, JUnit, Markdown). */
export function incidentLines(i: Incident): string[] {
  const out = [i.message, `Level: ${i.level} (a warning; fails the run under --strict)`, `Checks in flight: ${i.checks.join(', ')}`];
  if (i.exit) out.push(`Exit: code ${i.exit.code}, signal ${i.exit.signal}`);
  if (i.stderrTail.length > 0) out.push('Target stderr (last lines):', ...i.stderrTail.map((l) => `  ${l}`));
  return out;
}

export type ExpectedFailure = NonNullable<RunResult['expectedFailures']>[number];

export function expectedFailureFor(run: RunResult, id: string): ExpectedFailure | undefined {
  return run.expectedFailures?.find((e) => e.id === id);
}

/** For JSON.stringify: `details` are free-form, and a bigint there must not crash a report. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** `details` values as one-line text: strings as they are, everything else as JSON. */
export function detailText(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value, jsonReplacer);
  return json === undefined ? String(value) : json;
}

/** The command that explains a check (rule, levels, source, how it is tested, usual fix): named next to every failure. */
export function explainCommand(id: string): string {
  return `npx mcp-session-conformance explain ${id}`;
}

/**
 * A check's explanation as plain lines (no colour, no escaping): the body of a JUnit failure
 * and of a Markdown code fence. Transcripts are given whole; check authors keep them short.
 */
export function explanationLines(c: CheckResult): string[] {
  const out = [c.message];
  if (c.expected !== undefined) out.push(`Expected: ${c.expected}`);
  if (c.actual !== undefined) out.push(`Actual: ${c.actual}`);
  if (c.fix !== undefined) out.push(`Fix: ${c.fix}`);
  if (c.spec) out.push(`Spec: ${c.spec}`);
  if (c.transcript && c.transcript.length > 0) out.push('Transcript:', ...c.transcript.map((l) => `  ${l}`));
  const details = Object.entries(c.details ?? {});
  if (details.length > 0) out.push('Details:', ...details.map(([k, v]) => `  ${k}: ${detailText(v)}`));
  out.push(`Rerun: ${c.rerun}`);
  out.push(`Explain: ${explainCommand(c.id)}`);
  return out;
}
