// Schema validation of every line on the wire, both ways. Which schemas apply to a message
// follows from its shape, the method it answers and the profile's names (methods, _meta key,
// error codes). A problem on an `in` line is evidence against the target; on an `out` line it
// is a harness bug.

import { schemasFor, validate, type SchemaName } from './validate.js';
import type { Profile } from './types.js';
import { isObject } from './values.js';

export type MessageKind = 'request' | 'notification' | 'success' | 'error' | 'other';

export interface LineContext {
  dir: 'out' | 'in';
  profile: Profile;
  /** For a response: the method of the request it answers, when known. */
  answers?: string;
  /** An outgoing message malformed on purpose: checked against the JSON-RPC envelope only. */
  invalidOnPurpose?: boolean;
}

/** Shape of a parsed line (what it claims to be; validity is the schemas' business). */
export function kindOf(message: unknown): MessageKind {
  if (!isObject(message)) return 'other';
  if (typeof message.method === 'string') return 'id' in message ? 'request' : 'notification';
  if ('error' in message) return 'error';
  if ('result' in message) return 'success';
  return 'other';
}

/** The schemas a message must satisfy, envelope first. */
export function schemasForMessage(message: unknown, ctx: LineContext): SchemaName[] {
  const names: SchemaName[] = ['jsonrpc-message'];
  if (ctx.invalidOnPurpose || !isObject(message)) return names;
  const { profile } = ctx;
  const key = profile.metaKey;
  switch (kindOf(message)) {
    case 'request':
      if (ctx.dir === 'out' && message.method === profile.methods.create) names.push('sessions-create-request');
      if (ctx.dir === 'out' && message.method === profile.methods.delete) names.push('sessions-delete-request');
      if (hasMeta(message.params, key)) names.push('session-request');
      break;
    case 'success':
      if (ctx.answers === 'initialize') names.push('initialize-response');
      if (ctx.answers === profile.methods.create) names.push('sessions-create-response');
      if (ctx.answers === profile.methods.delete) names.push('sessions-delete-response');
      if (hasMeta(message.result, key)) names.push('session-response');
      break;
    case 'error': {
      const code = isObject(message.error) ? message.error.code : undefined;
      if (code === profile.errors.sessionNotFound) names.push('error-session-not-found');
      if (profile.errors.sessionRequired !== null && code === profile.errors.sessionRequired) {
        names.push('error-session-required');
      }
      break;
    }
  }
  if (names.length === 1) return names;
  const inProfile = profileSchemas(profile.draft);
  return names.filter((n) => n === 'jsonrpc-message' || inProfile.has(n));
}

/**
 * Validates one parsed line. Returns problems prefixed with the schema name, e.g.
 * `sessions-create-response: at /result/session: must have required property 'sessionId'`.
 */
const NONE: string[] = [];

export function checkLine(message: unknown, ctx: LineContext): string[] {
  const names = schemasForMessage(message, ctx);
  // The common case (a valid message under the envelope only) allocates nothing more.
  if (names.length === 1 && validate(names[0]!, message).valid) return NONE;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const v = validate(name, message);
    if (v.valid) continue;
    for (const line of v.text.split('\n')) {
      // Extension schemas include the envelope: do not repeat what the envelope already said.
      const gist = line.replace(/ \(as a JSON-RPC \w+\)$/, '');
      if (seen.has(gist)) continue;
      seen.add(gist);
      problems.push(`${name}: ${line}`);
    }
  }
  return problems;
}

const byDraft = new Map<string, Set<SchemaName>>();
function profileSchemas(draft: string): Set<SchemaName> {
  let set = byDraft.get(draft);
  if (!set) byDraft.set(draft, (set = new Set(schemasFor(draft))));
  return set;
}

function hasMeta(holder: unknown, key: string): boolean {
  return isObject(holder) && isObject(holder._meta) && key in holder._meta;
}

