// In-memory session records, ids and expiry times.

import { randomBytes } from 'node:crypto';

/** Sessions slide 30 minutes ahead of their last use, as the originals do. */
export const SESSION_TTL_MS = 30 * 60 * 1000;

export interface SessionRecord<D = unknown> {
  readonly sessionId: string;
  readonly createdAt: Date;
  expiresAt: Date;
  /** Successful session-bearing tool calls so far (whoami / status texts report it). */
  calls: number;
  /** The latest state token issued, for servers that issue one. */
  state?: string;
  /** Per-server application data (notes, hashes, counters…). */
  data: D;
}

/** `sess-` + 32 hex digits: 128 bits from the OS CSPRNG (the originals used 48). */
export function mintSessionId(): string {
  return `sess-${randomBytes(16).toString('hex')}`;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, whole seconds, UTC — the originals' format. */
export function formatExpiry(date: Date): string {
  return date.toISOString().slice(0, 19) + 'Z';
}

export function expiryFrom(now: Date, ttlMs = SESSION_TTL_MS): Date {
  return new Date(now.getTime() + ttlMs);
}

export class SessionStore<D> {
  private readonly records = new Map<string, SessionRecord<D>>();

  add(record: SessionRecord<D>): void {
    this.records.set(record.sessionId, record);
  }

  get(sessionId: string): SessionRecord<D> | undefined {
    return this.records.get(sessionId);
  }

  has(sessionId: string): boolean {
    return this.records.has(sessionId);
  }

  delete(sessionId: string): boolean {
    return this.records.delete(sessionId);
  }

  clear(): void {
    this.records.clear();
  }

  ids(): string[] {
    return [...this.records.keys()];
  }

  get size(): number {
    return this.records.size;
  }
}
