// XML 1.0 text from strings a target may have filled with anything. Characters XML 1.0 cannot
// carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) are replaced by a
// visible `\uXXXX` so the reader still sees what was there, and the document always parses.

// With the `u` flag a lone surrogate is one code point in D800–DFFF, which the class leaves out.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripForbidden(text: string): string {
  return text.replace(FORBIDDEN, (ch) => `\\u${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Element content. */
export function escapeText(text: string): string {
  return stripForbidden(text).replace(/[&<>"']/g, (ch) => TEXT_ENTITIES[ch]!);
}

/** Attribute value: also tab/LF/CR as references, or parsers would normalise them to spaces. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/[\t\n\r]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}
