// The human report: a live line per finished check, then the whole run grouped by section, each
// problem explained where it is listed, and a summary whose last line CI logs can grep.
import type { CheckResult, RunResult } from '../runner/types.js';
import { painter, STATUS_STYLE, STATUS_SYMBOL, STATUS_WIDTH, visible, visibleLines, type Paint } from './ansi.js';
import {
  countPhrase,
  countStatuses,
  detailText,
  expectedFailureFor,
  explainCommand,
  groupBySection,
  incidentLines,
  needsExplanation,
  STATUSES,
  verdictLabel,
  type ExpectedFailure,
} from './model.js';

export { colorEnabled } from './ansi.js';
export { formatMatrix } from './matrix.js';

export interface ConsoleOptions {
  color: boolean;
  /** Messages for every check, info details, and whole transcripts instead of excerpts. */
  verbose?: boolean;
  /** Wall times per check and for the run. */
  timings?: boolean;
}

/** Longest transcript excerpt shown; longer ones keep their head and tail (request and outcome). */
const TRANSCRIPT_MAX = 12;
/** Longest transcript line shown before it is cut (lines are raw wire JSON). */
const LINE_MAX = 240;
const STDERR_TAIL = 10;
const INDENT = '      ';

function statusTag(paint: Paint, c: CheckResult): string {
  const tag = `${STATUS_SYMBOL[c.status]} ${c.status.padEnd(STATUS_WIDTH)}`;
  return paint(STATUS_STYLE[c.status], tag);
}

export function formatProgress(result: CheckResult, opts: { color: boolean }): string {
  const paint = painter(opts.color);
  return `${statusTag(paint, result)} ${result.id}  ${visible(result.title)}`;
}

function cut(line: string): string {
  const safe = visible(line);
  return safe.length > LINE_MAX ? `${safe.slice(0, LINE_MAX)}… (+${safe.length - LINE_MAX} chars)` : safe;
}

/** At most TRANSCRIPT_MAX lines: the first half shows what was sent, the last part what came back. */
export function transcriptExcerpt(lines: readonly string[], all = false): string[] {
  if (all || lines.length <= TRANSCRIPT_MAX) return lines.map(cut);
  const head = Math.ceil((TRANSCRIPT_MAX - 1) / 2);
  const tail = TRANSCRIPT_MAX - 1 - head;
  const omitted = lines.length - head - tail;
  return [
    ...lines.slice(0, head).map(cut),
    `… ${omitted} line${omitted === 1 ? '' : 's'} omitted …`,
    ...lines.slice(lines.length - tail).map(cut),
  ];
}

function labelled(paint: Paint, label: string, text: string): string[] {
  const [first = '', ...rest] = visibleLines(text);
  return [`${INDENT}${paint('bold', `${label}:`)} ${first}`, ...rest.map((l) => `${INDENT}  ${l}`)];
}

function expectedFailureNote(paint: Paint, ef: ExpectedFailure | undefined): string {
  if (!ef) return '';
  return ef.stillFails
    ? paint('dim', ' (expected failure)')
    : paint('yellow', ' (STALE expected failure: no longer fails)');
}

function explanation(paint: Paint, c: CheckResult, opts: ConsoleOptions): string[] {
  const out = labelled(paint, 'Message', c.message);
  if (c.expected !== undefined) out.push(...labelled(paint, 'Expected', c.expected));
  if (c.actual !== undefined) out.push(...labelled(paint, 'Actual', c.actual));
  if (c.fix !== undefined) out.push(...labelled(paint, 'Fix', c.fix));
  out.push(...labelled(paint, 'Spec', c.spec ? `${c.level} — ${c.spec}` : c.level));
  if (c.transcript && c.transcript.length > 0) {
    out.push(`${INDENT}${paint('bold', 'Transcript:')}`);
    for (const line of transcriptExcerpt(c.transcript, opts.verbose)) out.push(`${INDENT}  ${line}`);
  }
  out.push(...detailLines(paint, c));
  out.push(`${INDENT}${paint('bold', 'Rerun:')} ${visible(c.rerun)}`);
  out.push(`${INDENT}${paint('bold', 'Explain:')} ${explainCommand(c.id)}`);
  return out;
}

function detailLines(paint: Paint, c: CheckResult): string[] {
  const entries = Object.entries(c.details ?? {});
  if (entries.length === 0) return [];
  return [
    `${INDENT}${paint('bold', 'Details:')}`,
    ...entries.map(([k, v]) => `${INDENT}  ${visible(k)}: ${cut(detailText(v))}`),
  ];
}

function checkLines(paint: Paint, run: RunResult, c: CheckResult, idWidth: number, opts: ConsoleOptions): string[] {
  const ms = opts.timings && c.ms !== undefined ? paint('dim', ` (${Math.round(c.ms)} ms)`) : '';
  const ef = expectedFailureNote(paint, expectedFailureFor(run, c.id));
  const head = `  ${statusTag(paint, c)} ${c.id.padEnd(idWidth)}  ${visible(c.title)}${ms}${ef}`;
  if (needsExplanation(c.status)) return [head, ...explanation(paint, c, opts)];
  // A skip always says why; info and pass only speak up when asked to.
  if (c.status === 'skip') return [head, `${INDENT}${paint('dim', `Reason: ${visible(c.message)}`)}`];
  if (c.status === 'info' || opts.verbose) {
    return [head, `${INDENT}${visible(c.message)}`, ...detailLines(paint, c)];
  }
  return [head];
}

function summaryLines(paint: Paint, run: RunResult, opts: ConsoleOptions): string[] {
  const counts = countStatuses(run.checks);
  const out = [paint('bold', 'Summary')];
  out.push(`  ${STATUSES.map((s) => `${s} ${counts[s]}`).join(', ')}`);
  out.push(`  verdict: ${verdictLabel(run.verdict)}${run.strict ? ' (strict: warnings fail)' : ''}`);
  // Client mode draws its session ids from the OS (unguessable by contract): no seed to rerun with.
  if (run.kind !== 'client') out.push(`  seed: ${run.seed}`);
  const wall = opts.timings ? `, ${Math.round(run.stats.wallMs)} ms wall` : '';
  out.push(
    run.kind === 'client'
      ? `  stats: ${run.stats.targetStarts} server instance${run.stats.targetStarts === 1 ? '' : 's'} started by the client, ${run.stats.requestsSent} requests from the client${wall}`
      : `  stats: ${run.stats.targetStarts} target starts, ${run.stats.requestsSent} requests sent${wall}`,
  );
  if (run.fatal) out.push(paint('red', `  fatal (${run.fatal.kind}): ${visible(run.fatal.message)}`));
  if (run.stopped) out.push(paint('yellow', `  incomplete: ${visible(run.stopped)}; checks not judged are listed as incomplete`));
  for (const incident of run.incidents ?? []) {
    const [first = '', ...rest] = incidentLines(incident);
    out.push(paint('yellow', `  ! incident (${incident.kind}): ${visible(first)}`));
    for (const line of rest) out.push(`    ${cut(line)}`);
  }
  const discoveryNotes = run.discovery?.notes ?? [];
  if (discoveryNotes.length > 0 && (run.verdict !== 'conformant' || opts.verbose)) {
    out.push('  tool discovery:');
    for (const note of discoveryNotes) out.push(`    ${cut(note)}`);
  }
  if (run.verdict !== 'conformant' && run.stderrTail.length > 0) {
    const tail = run.stderrTail.slice(-STDERR_TAIL);
    out.push(`  target stderr (last ${tail.length} line${tail.length === 1 ? '' : 's'}):`);
    for (const line of tail) out.push(`    ${cut(line)}`);
  }
  const efs = run.expectedFailures ?? [];
  if (efs.length > 0) {
    out.push('  expected failures:');
    for (const ef of efs) {
      const state = ef.stillFails
        ? 'expected failure'
        : paint('yellow', 'STALE: listed as expected to fail but did not fail; remove it from the list');
      out.push(`    ${ef.id}  ${state} — ${visible(ef.reason)}`);
    }
  }
  return out;
}

/** The closing line: `conformant: 41 passed, 2 warnings, 3 skipped (seed 12345)`. */
export function summaryLine(run: RunResult): string {
  const seed = run.kind === 'client' ? '' : ` (seed ${run.seed})`;
  return `${verdictLabel(run.verdict)}: ${countPhrase(countStatuses(run.checks), (run.incidents ?? []).length)}${seed}`;
}

export function formatConsoleReport(run: RunResult, opts: ConsoleOptions): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  out.push(paint('bold', `${run.tool.name} ${run.tool.version}`));
  out.push(`target: ${visible(run.target)}`);
  out.push(`draft: ${run.draft}${run.kind === 'client' ? '' : `  seed: ${run.seed}`}${run.strict ? '  strict' : ''}`);
  const idWidth = Math.max(0, ...run.checks.map((c) => c.id.length));
  for (const group of groupBySection(run.checks)) {
    out.push('', paint('bold', group.section));
    for (const c of group.checks) out.push(...checkLines(paint, run, c, idWidth, opts));
  }
  // The last line stays uncoloured even with colour on, so log scrapers can match it.
  out.push('', ...summaryLines(paint, run, opts), '', summaryLine(run));
  return `${out.join('\n')}\n`;
}

/** One check's finding as the console report explains it (message, expected, actual, fix, transcript, rerun). */
export function formatFinding(c: CheckResult, opts: ConsoleOptions): string {
  return explanation(painter(opts.color), c, opts)
    .map((line) => line.replace(/^ {6}/, ''))
    .join('\n');
}
