// A Markdown summary for CI job pages ($GITHUB_STEP_SUMMARY): the verdict first, counts, a table
// of what did not pass, and a collapsed explanation per problem. Everything a target wrote is
// either escaped for table cells or placed in a code fence longer than any backtick run inside.
import type { CheckResult, RunResult } from '../runner/types.js';
import {
  countPhrase,
  countStatuses,
  explanationLines,
  expectedFailureFor,
  explainCommand,
  incidentLines,
  needsExplanation,
  sortChecks,
  STATUSES,
  verdictLabel,
} from './model.js';

const STDERR_TAIL = 10;

const VERDICT_ICON: Record<RunResult['verdict'], string> = {
  conformant: '✅',
  'non-conformant': '❌',
  incomplete: '⏸️',
  error: '⚠️',
};

/** Characters with meaning in GFM (and its inline HTML) that a target could smuggle in. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Text inside an HTML block (the `<summary>` line), where Markdown is not interpreted. */
export function escapeHtml(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n|\r/g, ' ');
}

/** Text for Markdown inline use (headings, paragraphs, table cells): one line, nothing interpreted. */
export function escapeInline(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/\r?\n|\r/g, '<br>');
}

/** A fenced block that no content can close early: the fence outgrows the longest backtick run. */
export function codeFence(text: string, info = 'text'): string {
  const clean = text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${clean}\n${fence}`;
}

/** A check's name in the report: its id, and in client mode the scenario it was judged in. */
function nameOf(run: RunResult, c: CheckResult): string {
  return run.kind === 'client' ? `${c.id} (${c.section})` : c.id;
}

function problemTable(run: RunResult, checks: CheckResult[]): string[] {
  const out = ['| id | level | status | message | fix |', '|---|---|---|---|---|'];
  for (const c of checks) {
    const ef = expectedFailureFor(run, c.id);
    const status = ef ? `${c.status} (${ef.stillFails ? 'expected failure' : 'stale expected failure'})` : c.status;
    out.push(
      `| ${escapeInline(nameOf(run, c))} | ${c.level} | ${escapeInline(status)} | ${escapeInline(c.message)} | ${escapeInline(c.fix ?? '')} |`,
    );
  }
  return out;
}

function problemDetails(run: RunResult, c: CheckResult): string[] {
  const [, ...rest] = explanationLines(c);
  // The rerun command gets its own fence so it can be copied whole.
  const body = rest.filter((l) => !l.startsWith('Rerun: ') && !l.startsWith('Explain: '));
  return [
    '<details>',
    `<summary><code>${escapeHtml(nameOf(run, c))}</code> ${c.status}: ${escapeHtml(c.title)}</summary>`,
    '',
    escapeInline(c.message),
    '',
    ...(body.length > 0 ? [codeFence(body.join('\n')), ''] : []),
    'Rerun:',
    '',
    codeFence(c.rerun, 'sh'),
    '',
    'Explain:',
    '',
    codeFence(explainCommand(c.id), 'sh'),
    '',
    '</details>',
  ];
}

function collapsedList(title: string, checks: CheckResult[]): string[] {
  if (checks.length === 0) return [];
  return [
    `<details><summary>${escapeHtml(title)} (${checks.length})</summary>`,
    '',
    ...checks.map((c) => `- \`${c.id.replace(/`/g, '')}\` ${escapeInline(c.title)}: ${escapeInline(c.message)}`),
    '',
    '</details>',
    '',
  ];
}

export function toMarkdown(run: RunResult): string {
  const counts = countStatuses(run.checks);
  const checks = sortChecks(run.checks);
  const problems = checks.filter((c) => needsExplanation(c.status));
  const out: string[] = [
    `## ${VERDICT_ICON[run.verdict]} ${escapeInline(run.tool.name)}: ${verdictLabel(run.verdict)}`,
    '',
    `${countPhrase(counts, (run.incidents ?? []).length)}. Target ${escapeInline(run.target)}, draft ${escapeInline(run.draft)}, ` +
      `${run.kind === 'client' ? 'client mode' : `seed ${run.seed}`}${run.strict ? ', strict (warnings fail)' : ''}.`,
    '',
    '| status | count |',
    '|---|---:|',
    ...STATUSES.map((s) => `| ${s} | ${counts[s]} |`),
    '',
  ];
  if (run.fatal) out.push(`**Fatal (${run.fatal.kind}):** ${escapeInline(run.fatal.message)}`, '');
  if (run.stopped) {
    out.push(`**Incomplete:** ${escapeInline(run.stopped)}. Checks that were not judged are listed as incomplete; findings made before the cut stay listed.`, '');
  }
  if ((run.incidents ?? []).length > 0) {
    out.push('### Run incidents', '');
    for (const i of run.incidents ?? []) {
      out.push('<details>', `<summary>${escapeHtml(i.kind)} (${i.level}): ${escapeHtml(i.checks.join(', '))}</summary>`, '');
      out.push(codeFence(incidentLines(i).join('\n')), '', '</details>', '');
    }
  }
  if (problems.length > 0) {
    out.push('### Checks that did not pass', '', ...problemTable(run, problems), '');
    for (const c of problems) out.push(...problemDetails(run, c), '');
  }
  out.push(...collapsedList('Skipped', checks.filter((c) => c.status === 'skip')));
  out.push(...collapsedList('Info', checks.filter((c) => c.status === 'info')));
  const efs = run.expectedFailures ?? [];
  if (efs.length > 0) {
    out.push('### Expected failures', '');
    for (const ef of efs) {
      const state = ef.stillFails ? 'expected failure' : '**stale**: did not fail, remove it from the list';
      out.push(`- \`${ef.id.replace(/`/g, '')}\` ${state}: ${escapeInline(ef.reason)}`);
    }
    out.push('');
  }
  const discoveryNotes = run.discovery?.notes ?? [];
  if (discoveryNotes.length > 0) {
    out.push(`<details><summary>Tool discovery (${discoveryNotes.length} note${discoveryNotes.length === 1 ? '' : 's'})</summary>`, '');
    out.push(...discoveryNotes.map((n) => `- ${escapeInline(n)}`), '', '</details>', '');
  }
  if (run.verdict !== 'conformant' && run.stderrTail.length > 0) {
    out.push('<details><summary>Target stderr (last lines)</summary>', '');
    out.push(codeFence(run.stderrTail.slice(-STDERR_TAIL).join('\n')), '', '</details>', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
