// `explain <id>` as text: the rule, its level per draft, where it comes from, how it is tested,
// the usual fix and what a failure looks like. A pure function of the explanation.
import type { Explanation } from '../runner/explain.js';
import { painter } from './ansi.js';

const LABEL = 12;

function field(label: string, text: string): string[] {
  const [first = '', ...rest] = text.split('\n');
  return [`${`${label}:`.padEnd(LABEL)}${first}`, ...rest.map((l) => `${' '.repeat(LABEL)}${l}`)];
}

function levelsText(e: Explanation): string {
  return Object.entries(e.levels)
    .map(([draft, level]) => `${draft} ${level ?? '— (not part of this draft)'}`)
    .join(' · ');
}

/** One source when every draft cites the same; otherwise one line per draft. */
function sourcesText(e: Explanation): string {
  const distinct = [...new Set(Object.values(e.sources))];
  if (distinct.length <= 1) return distinct[0] ?? '—';
  return Object.entries(e.sources)
    .map(([draft, source]) => `${draft}: ${source}`)
    .join('\n');
}

function exampleLines(e: Explanation): string[] {
  const x = e.example;
  if (!x) {
    const informational = Object.values(e.levels).every((l) => l === null || l === 'INFO');
    return [
      'What a failure looks like:',
      e.section === 'client'
        ? '  see a broken client of the suite fail it (reference-clients/broken/manifest.json names which), e.g. in a checkout: node dist/cli/bin.js client --command "node dist/reference-clients/broken/<name>.js"'
        : informational
          ? '  nothing fails it: an informational check reports what it saw and never fails.'
          : '  no broken server of the suite fails this check yet.',
    ];
  }
  const out = [`What a failure looks like (broken server ${x.server}, draft ${x.draft}):`, `  ${x.status} (${x.level}): ${x.message}`];
  if (x.expected !== null) out.push(`  Expected: ${x.expected}`);
  if (x.actual !== null) out.push(`  Actual: ${x.actual}`);
  if (x.fix !== null) out.push(`  Fix: ${x.fix}`);
  if (x.transcript.length > 0) out.push('  Transcript:', ...x.transcript.map((l) => `    ${l}`));
  out.push('  Reproduce it in a checkout of the suite (after npm run build):', `    ${x.command}`);
  return out;
}

export function formatExplanation(e: Explanation, opts: { color: boolean }): string {
  const paint = painter(opts.color);
  const out = [
    paint('bold', `${e.id} — ${e.title}`),
    '',
    ...field('Section', e.section),
    ...field('Level', levelsText(e)),
    ...field('Source', sourcesText(e)),
  ];
  if (e.decisions.length > 0) out.push(...field('Decisions', `${e.decisions.join(', ')} (the decisions the suite follows where the draft is silent)`));
  out.push(...field('How tested', e.how ?? '—'));
  out.push(...field('Usual fix', e.fix ?? '—'));
  out.push('', ...exampleLines(e));
  out.push('', e.section === 'client'
    ? `Run it: npx mcp-session-conformance client --command "<client command>" (every CLI-* id is judged in each scenario; --scenario <name> narrows)`
    : `Run only this check: npx mcp-session-conformance --server "<command>" --only ${e.id}`);
  return `${out.join('\n')}\n`;
}
