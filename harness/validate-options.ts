// What the wire validators are compiled from, shared by harness/validate.ts (compiles at run
// time) and scripts/gen-validators.mjs (compiles ahead, at build): the schema list, ajv's
// options, and the fingerprint that tells validate.ts whether ahead-compiled code still matches
// the schemas on disk.
import { createHash } from 'node:crypto';

/** The schemas that describe wire messages (everything but the report format), in a stable order. */
export const WIRE_SCHEMAS = [
  'jsonrpc-message',
  'jsonrpc-request',
  'jsonrpc-notification',
  'jsonrpc-success',
  'jsonrpc-error',
  'session-metadata',
  'session-meta',
  'sessions-create-request',
  'sessions-create-response',
  'sessions-delete-request',
  'sessions-delete-response',
  'session-request',
  'session-response',
  'error-session-not-found',
  'error-session-required',
  'sessions-capability',
  'initialize-response',
] as const;

/** Annotation naming the only draft profiles a schema belongs to (absent: every profile). */
export const PROFILES_KEYWORD = 'x-profiles';

export const AJV_OPTIONS = { strict: true, allErrors: true, allowUnionTypes: true, verbose: true } as const;

/** Version of the generator's output format: bump when the generated file's shape changes. */
const FORMAT = 1;

/**
 * A digest of everything the wire validators are compiled from: every schema text (a wire schema
 * may $ref any other), the wire list and ajv's options. `texts`: schema name → file text.
 */
export function fingerprint(texts: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ FORMAT, WIRE_SCHEMAS, AJV_OPTIONS, PROFILES_KEYWORD }));
  for (const name of [...texts.keys()].sort()) hash.update(`\u0000${name}\u0000${texts.get(name)}`);
  return hash.digest('hex');
}
