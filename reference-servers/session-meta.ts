// Reading `_meta["io.modelcontextprotocol/session"]` off a request.

export const SESSION_META_KEY = 'io.modelcontextprotocol/session';

/** The SessionMetadata object as it travels (state/expiresAt are opaque strings). */
export interface SessionMetadata {
  sessionId: string;
  expiresAt?: string;
  state?: string;
  [extra: string]: unknown;
}

/**
 * What a request carried:
 * - `missing`: no `_meta`, or no session key in it;
 * - `malformed`: the key is there but the value is not an object, or its `sessionId` is missing,
 *   not a string, or empty;
 * - `present`: a usable `sessionId` (it may still name no live session).
 */
export type SessionMetaRead =
  | { kind: 'missing' }
  | { kind: 'malformed'; value: unknown; reason: string }
  | { kind: 'present'; meta: SessionMetadata };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function readSessionMeta(params: unknown): SessionMetaRead {
  if (!isPlainObject(params)) return { kind: 'missing' };
  const meta = params._meta;
  if (!isPlainObject(meta) || !(SESSION_META_KEY in meta)) return { kind: 'missing' };
  const value = meta[SESSION_META_KEY];
  if (!isPlainObject(value)) return { kind: 'malformed', value, reason: 'session metadata is not an object' };
  if (!('sessionId' in value)) return { kind: 'malformed', value, reason: 'sessionId is missing' };
  if (typeof value.sessionId !== 'string') return { kind: 'malformed', value, reason: 'sessionId is not a string' };
  if (value.sessionId === '') return { kind: 'malformed', value, reason: 'sessionId is empty' };
  return { kind: 'present', meta: value as SessionMetadata };
}

/** Whether the session key is present at all (any value), for `sessions/create`. */
export function hasSessionKey(params: unknown): boolean {
  if (!isPlainObject(params)) return false;
  const meta = params._meta;
  return isPlainObject(meta) && SESSION_META_KEY in meta;
}
