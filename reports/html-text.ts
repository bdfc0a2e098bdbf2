// Text that goes into the HTML report: escaped for HTML, control characters and lone surrogates
// made visible, and long texts cut in the middle so a hostile target cannot make the page huge.

/** Limits on what the report embeds; the page states them in its footer. */
export const HTML_LIMITS = {
  /** Characters of one field (message, expected, actual, fix, a detail value, a stderr line). */
  field: 4000,
  /** Characters of one transcript line. */
  line: 2000,
  /** Lines of one transcript (excerpt or whole exchange); the middle ones are left out past it. */
  lines: 400,
  /** Lines of the target's stderr tail. */
  stderr: 20,
} as const;

/**
 * C0 and C1 controls except tab and newline, DEL, the bidirectional marks and overrides (which
 * could make a shown text read differently from what was sent), and UTF-16 halves without
 * their partner.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text content and attribute values: every markup character escaped, invisible ones shown as \uXXXX. */
export function esc(text: string): string {
  return text
    .replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** Cuts a text longer than `max` in the middle, so its start and end stay readable. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(2, max - 40);
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${text.slice(0, head)} …(${text.length - keep} chars cut)… ${text.slice(text.length - tail)}`;
}

/** Escaped and capped: the one way a target's text enters the page. */
export function text(value: string, max: number = HTML_LIMITS.field): string {
  return esc(cap(value, max));
}

/** At most HTML_LIMITS.lines lines, each capped; the middle lines are replaced by one note. */
export function capLines(lines: readonly string[]): string[] {
  const max = HTML_LIMITS.lines;
  const capped = lines.map((l) => cap(l, HTML_LIMITS.line));
  if (capped.length <= max) return capped;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [...capped.slice(0, head), `… ${capped.length - head - tail} lines left out of this report …`, ...capped.slice(capped.length - tail)];
}

/** A single-quoted shell word (as the CLI quotes), so a copied command runs as shown. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
