// The client's session layer for ONE server: it holds that server's current session, echoes
// exactly the newest state the server issued, and forgets a session after -32043 or delete.
// Every server gets its own store (two-servers: a session of A never reaches B).

import type { Defect } from './defects.js';

export const SESSION_KEY = 'io.modelcontextprotocol/session';

/** What the server issued for a session: sessionId, and the newest state / expiresAt. */
export interface IssuedSession {
  sessionId: string;
  state?: string;
  expiresAt?: string;
}

/** The value the client puts under `_meta[SESSION_KEY]` of a request. */
export interface SentSession {
  sessionId: string;
  state?: string;
}

/** Session metadata from a result, if it is well-formed (a value breaking the schema is not taken). */
export function sessionMetaOf(value: unknown): IssuedSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const meta = value as Record<string, unknown>;
  if (typeof meta.sessionId !== 'string') return undefined;
  const issued: IssuedSession = { sessionId: meta.sessionId };
  if (typeof meta.state === 'string') issued.state = meta.state;
  if (typeof meta.expiresAt === 'string') issued.expiresAt = meta.expiresAt;
  return issued;
}

export class SessionStore {
  private current: IssuedSession | undefined;

  constructor(private readonly defect: Defect) {}

  get sessionId(): string | undefined {
    return this.current?.sessionId;
  }

  /** A session fresh from sessions/create becomes the current one. */
  adopt(session: IssuedSession): void {
    this.current = { ...session };
  }

  /** Takes the session metadata of a successful response: the newest state wins. */
  absorb(meta: IssuedSession | undefined): void {
    if (!meta || !this.current || meta.sessionId !== this.current.sessionId) return;
    if (meta.state !== undefined && this.defect !== 'stale-state') this.current.state = meta.state;
    if (meta.expiresAt !== undefined) this.current.expiresAt = meta.expiresAt;
  }

  /** The metadata to send: the sessionId and exactly the newest state, untouched. */
  outgoing(): SentSession | undefined {
    if (!this.current) return undefined;
    const sent: SentSession = { sessionId: this.current.sessionId };
    if (this.current.state !== undefined) {
      sent.state = this.defect === 'mutated-state' ? encodeURIComponent(this.current.state) : this.current.state;
    }
    return sent;
  }

  /** The server answered -32043 for a request that carried `sessionId`: never send it again. */
  revoked(sessionId: string): boolean {
    if (this.defect === 'keeps-revoked' || this.current?.sessionId !== sessionId) return false;
    this.current = undefined;
    return true;
  }

  /** After sessions/delete (whatever the answer) the session is gone. */
  forget(): void {
    this.current = undefined;
  }
}
