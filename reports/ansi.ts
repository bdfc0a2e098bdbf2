// Terminal output without a dependency: a few ANSI SGR codes, a colour switch, and a guard that
// keeps bytes a target printed (escape sequences, NULs, bells) from reaching the terminal raw.
import type { Status } from '../runner/types.js';

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;

export type Style = keyof typeof CODES;

export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;
}

export const STATUS_STYLE: Record<Status, Style> = {
  pass: 'green',
  fail: 'red',
  warn: 'yellow',
  info: 'cyan',
  skip: 'dim',
  untestable: 'red',
  incomplete: 'yellow',
  'harness-error': 'magenta',
};

export const STATUS_SYMBOL: Record<Status, string> = {
  pass: '✓',
  fail: '✗',
  warn: '!',
  info: 'i',
  skip: '-',
  untestable: '?',
  incomplete: '…',
  'harness-error': 'E',
};

/** Width of the longest status word ("harness-error"), so columns line up. */
export const STATUS_WIDTH = 13;

/**
 * Text that came from the target or a check, made safe to print: C0/C1 controls (except tab)
 * and DEL become visible `\u001b`-style escapes, so a hostile target cannot drive the terminal
 * and an uncoloured report never contains an escape byte.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Multi-line text made safe line by line (newlines kept as line breaks). */
export function visibleLines(text: string): string[] {
  return text.split(/\r?\n/).map(visible);
}

/**
 * Colour on only for a terminal, never when NO_COLOR is set to anything non-empty
 * (https://no-color.org); a non-empty FORCE_COLOR other than "0"/"false" forces it on for
 * pipes (CI logs that render ANSI), and TERM=dumb turns it off.
 */
export function colorEnabled(stream: Pick<NodeJS.WriteStream, 'isTTY'>, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
