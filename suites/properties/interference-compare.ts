// Comparing what session B was answered alone with what it was answered next to session A
// (SESS-ISO-1, decision D16). Pure functions: an answer becomes a list of tokens with session
// ids and obviously volatile values (times, UUIDs, epoch numbers) masked; two runs of B alone
// teach which further tokens vary by themselves (random values); the run next to A must match
// that template everywhere else.
import type { Outcome } from '../../harness/types.js';

/** One answer as compared: its outcome in words, and the raw text (to look for crossed data in). */
export interface Answer {
  /** `result: …`, `isError: …`, `error <code>: …`; session ids masked. */
  text: string;
  raw: string;
}

/** Where an answer's tokens may vary by themselves; `null`: the answer is not stable enough to compare. */
export type Template = (string | undefined)[] | null;

const VOLATILE: [RegExp, string][] = [
  // RFC 3339 / ISO 8601 date-times and dates, clock times.
  [/\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Epoch seconds / milliseconds: equal in two quick runs, different a second later.
  [/\b1\d{9}(?:\d{3})?(?:\.\d+)?\b/g, '<epoch>'],
];

/** Session ids shorter than this are not masked by text (they would hit unrelated digits). */
export const MIN_MASKED_ID = 6;

/**
 * An outcome in comparable words. `own`: the session the call ran in (masked `<session>`);
 * `others`: every other session id the check created (masked `<other-session>`).
 */
export function answerOf(outcome: Outcome, own: string, others: string[]): Answer {
  const raw = rawText(outcome);
  let text = raw;
  for (const [pattern, mask] of VOLATILE) text = text.replace(pattern, mask);
  const ids = [{ id: own, mask: '<session>' }, ...others.map((id) => ({ id, mask: '<other-session>' }))]
    .filter((x) => x.id.length >= MIN_MASKED_ID)
    .sort((a, b) => b.id.length - a.id.length);
  for (const { id, mask } of ids) text = text.split(id).join(mask);
  return { text, raw };
}

function rawText(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'result': {
      const r = outcome.result ?? {};
      const parts = Array.isArray(r.content)
        ? r.content.map((c: any) => (c?.type === 'text' && typeof c.text === 'string' ? c.text : JSON.stringify(c)))
        : [JSON.stringify(r.content ?? null)];
      if (r.structuredContent !== undefined) parts.push(JSON.stringify(r.structuredContent));
      return `${r.isError === true ? 'isError' : 'result'}: ${parts.join('\n')}`;
    }
    case 'error': {
      const data = outcome.error.data === undefined ? '' : ` ${JSON.stringify(outcome.error.data)}`;
      return `error ${outcome.error.code}: ${String(outcome.error.message)}${data}`;
    }
    case 'timeout':
      return 'no answer (timeout)';
    case 'exit':
      return 'no answer (the target exited)';
  }
}

/** Words and JSON values: split at white space and JSON punctuation (a random value stays one token). */
export function tokens(text: string): string[] {
  return text.split(/[\s,{}[\]"]+/).filter(Boolean);
}

/** What stays the same over the runs of B alone; tokens that differed are wildcards (undefined). */
export function learnTemplate(alone: Answer[]): Template {
  const lists = alone.map((a) => tokens(a.text));
  const length = lists[0]?.length ?? 0;
  if (lists.some((l) => l.length !== length)) return null;
  return lists[0]!.map((token, i) => (lists.every((l) => l[i] === token) ? token : undefined));
}

export interface Mismatch {
  /** What B alone answered (masked), and what it answered next to A (masked). */
  alone: string;
  mixed: string;
  /** The tokens that differ, e.g. `"1" → "2"`, or a note on the shape. */
  changed: string;
}

/** Whether `mixed` fits the template; `undefined` when it does (or the template is unstable). */
export function mismatch(template: Template, alone: Answer, mixed: Answer): Mismatch | undefined {
  if (template === null) return undefined;
  const got = tokens(mixed.text);
  if (got.length === template.length && template.every((t, i) => t === undefined || t === got[i])) return undefined;
  const changed: string[] = [];
  if (got.length !== template.length) {
    const want = new Set(template.filter((t): t is string => t !== undefined));
    const extra = got.filter((t) => !want.has(t) && !t.startsWith('<'));
    changed.push(`${template.length} words alone, ${got.length} next to session A`);
    if (extra.length > 0) changed.push(`new: ${extra.slice(0, 5).map((t) => JSON.stringify(t)).join(', ')}`);
  } else {
    template.forEach((t, i) => {
      if (t !== undefined && t !== got[i] && changed.length < 5) changed.push(`${JSON.stringify(t)} → ${JSON.stringify(got[i])}`);
    });
  }
  return { alone: alone.text, mixed: mixed.text, changed: changed.join('; ') };
}
