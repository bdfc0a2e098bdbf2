// The HTML report: one self-contained page a person opens to see a run. Verdict and counts on
// top, a filter by status, checks grouped by section, every problem explained where it is listed
// (message, expected, actual, fix, transcript excerpt with the whole exchange behind <details>,
// the rerun command with a copy button; property-based cases also seed, path and --replay).
// Everything a target wrote is escaped and capped (html-text.ts); the page loads nothing.
import type { CheckResult, RunResult, Status } from '../runner/types.js';
import { CSP, SCRIPT, STYLE } from './html-assets.js';
import { capLines, esc, HTML_LIMITS, shellWord, text } from './html-text.js';
import {
  countPhrase,
  countStatuses,
  detailText,
  expectedFailureFor,
  explainCommand,
  groupBySection,
  incidentLines,
  isProblem,
  needsExplanation,
  STATUSES,
  verdictLabel,
} from './model.js';

export interface HtmlOptions {
  /** Include wall times (run and per check); off, two runs of the same target give the same bytes. */
  timings?: boolean;
}

/** Lines of the transcript shown before the <details> that holds all of them. */
const EXCERPT = 8;

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Details a property-based failure shows in its own rows (seed, path, steps, replay command). */
const SHOWN_WITH_REPLAY = ['seed', 'path', 'counterexample', 'replay', 'replayArgs'];

/** Element ids count up through one rendering, so no id comes from the target's text. */
class Ids {
  private n = 0;
  next(prefix: string): string {
    return `${prefix}-${++this.n}`;
  }
}

function pre(lines: readonly string[]): string {
  return `<pre>${capLines(lines).map((l) => esc(l)).join('\n')}</pre>`;
}

/** A command in a <pre> with a button that copies exactly its text. */
function command(ids: Ids, cmd: string): string {
  const id = ids.next('cmd');
  return `<div class="cmd"><pre id="${id}">${text(cmd)}</pre><button class="copy" type="button" data-copy="${id}" title="Copy the command">Copy</button></div>`;
}

function row(label: string, html: string): string {
  return `<dt>${esc(label)}</dt><dd>${html}</dd>`;
}

/** The lines that show the problem, with the check's whole exchange one click away. */
function transcript(c: CheckResult): string {
  const lines = c.transcript ?? [];
  const whole = c.exchange ?? lines;
  // The last lines: the check's excerpt ends where the problem showed.
  const excerpt = lines.length <= EXCERPT ? lines : [`… ${whole.length - (EXCERPT - 1)} earlier lines in the whole exchange …`, ...lines.slice(lines.length - (EXCERPT - 1))];
  if (whole === excerpt) return pre(excerpt);
  return `${pre(excerpt)}<details class="exchange"><summary>Whole exchange (${whole.length} lines)</summary>${pre(whole)}</details>`;
}

/** A property-based counterexample: seed, path and the command that replays exactly it. */
function counterexample(ids: Ids, c: CheckResult): string {
  const d = c.details ?? {};
  if (typeof d.replayArg !== 'string') return '';
  const out = [];
  if (d.seed !== undefined) out.push(row('Seed', text(detailText(d.seed))));
  if (d.path !== undefined) out.push(row('Path', `<code>${text(detailText(d.path))}</code>`));
  if (Array.isArray(d.counterexample) && d.counterexample.length > 0) {
    out.push(row('Counterexample', pre(d.counterexample.map((step, i) => `${i + 1}. ${detailText(step)}`))));
  }
  out.push(row('Replay', command(ids, `${c.rerun} --replay ${shellWord(d.replayArg)}`)));
  return out.join('');
}

function details(c: CheckResult): string {
  const entries = Object.entries(c.details ?? {}).filter(([k]) => !(typeof c.details?.replayArg === 'string' && SHOWN_WITH_REPLAY.includes(k)));
  if (entries.length === 0) return '';
  const list = entries.map(([k, v]) => row(k, text(detailText(v)))).join('');
  return row('Details', `<details><summary>${plural(entries.length, 'fact')}</summary><dl>${list}</dl></details>`);
}

function explanation(ids: Ids, c: CheckResult): string {
  const out = [row('Message', text(c.message))];
  if (c.expected !== undefined) out.push(row('Expected', text(c.expected)));
  if (c.actual !== undefined) out.push(row('Actual', text(c.actual)));
  if (c.fix !== undefined) out.push(row('Fix', text(c.fix)));
  out.push(row('Spec', text(c.spec ? `${c.level} — ${c.spec}` : c.level)));
  if ((c.transcript ?? c.exchange ?? []).length > 0) out.push(row('Transcript', transcript(c)));
  out.push(counterexample(ids, c));
  out.push(details(c));
  out.push(row('Explain', `<code>${text(explainCommand(c.id))}</code>`));
  out.push(row('Rerun', command(ids, c.rerun)));
  return `<dl>${out.join('')}</dl>`;
}

function checkHtml(ids: Ids, run: RunResult, c: CheckResult, anchor: string, opts: HtmlOptions): string {
  const ef = expectedFailureFor(run, c.id);
  const efNote = ef ? ` <span class="ef">${ef.stillFails ? 'expected failure' : 'STALE expected failure: no longer fails'}</span>` : '';
  const ms = opts.timings && c.ms !== undefined ? ` <span class="level">${Math.round(c.ms)} ms</span>` : '';
  const head =
    `<div class="head"><span class="badge">${esc(c.status)}</span><span class="id mono">${text(c.id, 200)}</span>` +
    `<span class="title">${text(c.title)}${efNote}</span><span class="level">${esc(c.level)}</span>${ms}</div>`;
  let body = '';
  if (needsExplanation(c.status)) body = explanation(ids, c);
  else if (c.status === 'skip') body = `<p class="note">Reason: ${text(c.message)}</p>`;
  else if (c.status === 'info') body = `<p class="note">${text(c.message)}</p>${details(c) ? `<dl>${details(c)}</dl>` : ''}`;
  return `<article class="check s-${esc(c.status)}" id="${anchor}" data-status="${esc(c.status)}" data-id="${text(c.id, 200)}">${head}${body}</article>`;
}

function toolbar(counts: Record<Status, number>, total: number): string {
  const problems = STATUSES.filter((s) => isProblem(s) || s === 'warn').reduce((n, s) => n + counts[s], 0);
  const button = (filter: string, label: string, n: number) =>
    `<button type="button" data-filter="${filter}" aria-pressed="false">${label}<span class="n">${n}</span></button>`;
  return [
    '<nav class="toolbar nojs" aria-label="Filter by status">',
    button('all', 'all', total),
    button('problems', 'problems', problems),
    ...STATUSES.filter((s) => counts[s] > 0).map((s) => button(s, s, counts[s])),
    `<span class="shown" id="shown"></span>`,
    '</nav>',
  ].join('');
}

/** One link per check that did not pass (or warned), so a long run's failures are a click away. */
function problemLinks(checks: CheckResult[], anchors: Map<CheckResult, string>): string {
  const bad = checks.filter((c) => needsExplanation(c.status));
  if (bad.length === 0) return '';
  const links = bad.map((c) => `<a class="s-${esc(c.status)}" href="#${anchors.get(c)}"><span class="badge">${esc(c.status)}</span> <span class="mono">${text(c.id, 200)}</span></a>`);
  return `<nav class="problems" aria-label="Checks that did not pass">${links.join(' ')}</nav>`;
}

/** Run-level notices: fatal, cut short, incidents, discovery notes, stale expected failures, stderr. */
function notices(run: RunResult): string[] {
  const out: string[] = [];
  if (run.fatal) out.push(`<div class="notice bad"><b>Fatal (${esc(run.fatal.kind)}):</b> ${text(run.fatal.message)}</div>`);
  if (run.stopped) out.push(`<div class="notice"><b>Incomplete:</b> ${text(run.stopped)}. Checks that were not judged are listed as incomplete.</div>`);
  for (const i of run.incidents ?? []) {
    const [first = '', ...rest] = incidentLines(i);
    out.push(`<div class="notice"><b>Incident (${esc(i.kind)}):</b> ${text(first)}${pre(rest)}</div>`);
  }
  const efs = run.expectedFailures ?? [];
  if (efs.length > 0) {
    const items = efs.map((e) => `<li><code>${text(e.id, 200)}</code> ${e.stillFails ? 'expected failure' : '<b>stale</b>: did not fail, remove it from the list'}: ${text(e.reason)}</li>`);
    out.push(`<div class="notice"><b>Expected failures</b><ul>${items.join('')}</ul></div>`);
  }
  const notes = run.discovery?.notes ?? [];
  if (notes.length > 0) {
    out.push(`<details class="notice"><summary>Tool discovery (${plural(notes.length, 'note')})</summary>${pre(notes)}</details>`);
  }
  if (run.verdict !== 'conformant' && run.stderrTail.length > 0) {
    out.push(`<details class="notice"><summary>Target stderr (last lines)</summary>${pre(run.stderrTail.slice(-HTML_LIMITS.stderr))}</details>`);
  }
  return out;
}

export function toHtml(run: RunResult, opts: HtmlOptions = {}): string {
  const ids = new Ids();
  const counts = countStatuses(run.checks);
  const label = verdictLabel(run.verdict);
  const stats = `${plural(run.stats.targetStarts, 'target start')}, ${plural(run.stats.requestsSent, 'request')} sent${opts.timings ? `, ${Math.round(run.stats.wallMs)} ms wall` : ''}`;
  const groups = groupBySection(run.checks);
  const anchors = new Map(groups.flatMap((g) => g.checks).map((c, i) => [c, `check-${i + 1}`]));
  const sections = groups.map((g) => {
    const problems = g.checks.filter((c) => isProblem(c.status)).length;
    return (
      `<section class="group" data-section="${text(g.section, 200)}"><h2>${text(g.section, 200)} <span class="n">${plural(g.checks.length, 'check')}` +
      `${problems > 0 ? `, ${problems} not passed` : ''}</span></h2>${g.checks.map((c) => checkHtml(ids, run, c, anchors.get(c)!, opts)).join('')}</section>`
    );
  });
  const l = HTML_LIMITS;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(label)}: ${text(run.target, 200)} — ${esc(run.tool.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1><span class="verdict v-${esc(run.verdict)}" id="verdict">${esc(label)}</span> <span>${esc(run.tool.name)} ${esc(run.tool.version)}</span></h1>
<p class="counts" id="counts">${esc(countPhrase(counts, (run.incidents ?? []).length))}</p>
<p class="meta">Target <code>${text(run.target)}</code> · draft ${text(run.draft, 100)} · seed ${run.seed}${run.strict ? ' · strict (warnings fail)' : ''} · ${stats}</p>
${problemLinks(groups.flatMap((g) => g.checks), anchors)}
${notices(run).join('\n')}
${toolbar(counts, run.checks.length)}
</header>
<main>
${sections.join('\n')}
</main>
<footer>Written by ${esc(run.tool.name)} ${esc(run.tool.version)}. This page is self-contained: it loads nothing and its policy forbids any request.
Text from the target is shown as sent, with control characters and bidirectional overrides written as \\uXXXX; long texts are cut in the middle
(fields past ${l.field} characters, transcript lines past ${l.line}, transcripts past ${l.lines} lines, the last ${l.stderr} stderr lines).
Every line the run recorded, uncut: --transcripts &lt;dir&gt;.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
