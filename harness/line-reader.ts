// One line the target wrote, read into a JSON-RPC message and the problems the line itself shows
// (a byte order mark, no newline at exit, too long to read, not JSON, nested too deep, JSON that
// is not JSON-RPC). Pure: the peer records the line and acts on the message.

import type { Problem } from './correlation.js';
import { depthOf, MAX_DEPTH, pruneDepth } from './values.js';
import { kindOf } from './wire.js';

const UTF8_BOM = '\uFEFF';

export type ReadLine =
  /** Longer than the harness reads (--max-message-bytes): not parsed. */
  | { kind: 'oversized'; line: string; found: Problem[] }
  | { kind: 'non-json'; line: string; found: Problem[] }
  | { kind: ReturnType<typeof kindOf>; line: string; message: any; found: Problem[] };

/**
 * Reads one stdout line. `partial`: the line had no newline when the target exited; `closing`:
 * the harness itself was stopping the target then, so a cut line is not the target's fault.
 */
export function readLine(line: string, truncatedBy: number, partial: boolean, closing: boolean): ReadLine {
  const found: Problem[] = [];
  if (line.startsWith(UTF8_BOM)) {
    // Read on after the mark (so the run goes on), but the line is not a JSON-RPC line as sent.
    found.push({ kind: 'byte-order-mark', detail: 'line starts with a UTF-8 byte order mark (bytes EF BB BF), which is not part of a JSON-RPC message; read after removing it' });
    line = line.slice(UTF8_BOM.length);
  }
  if (partial && !closing) found.push({ kind: 'partial-line', detail: 'last stdout line had no newline when the target exited' });
  if (truncatedBy > 0) {
    const total = Buffer.byteLength(line) + truncatedBy;
    found.push({
      kind: 'oversized-line',
      detail: `message of ${total} bytes is larger than the harness reads (${Buffer.byteLength(line)} bytes, --max-message-bytes); not parsed, ${truncatedBy} bytes not kept`,
    });
    return { kind: 'oversized', line, found };
  }
  let message: any;
  try {
    message = JSON.parse(line);
  } catch {
    found.push({ kind: 'non-json', detail: line.trim() === '' ? 'empty line on stdout' : 'stdout line is not JSON' });
    return { kind: 'non-json', line, found };
  }
  // Depth d needs at least 2d characters: short lines cannot be too deep (the common case).
  if (line.length > 2 * MAX_DEPTH && depthOf(message) > MAX_DEPTH) {
    found.push({ kind: 'too-deep', detail: `message nested more than ${MAX_DEPTH} levels deep; the harness reads ${MAX_DEPTH} levels and cuts the rest` });
    message = pruneDepth(message);
  }
  const kind = kindOf(message);
  if (kind === 'other') found.push({ kind: 'not-jsonrpc', detail: 'JSON on stdout that is not a JSON-RPC message' });
  return { kind, line, message, found };
}
