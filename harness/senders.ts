// Which check a line of one connection belongs to, for its transcript entry: what we send is the
// sending check's; a transport's note about a request (HTTP: its exchange, a resend, an SSE
// resumption) is the check's that sent that request; what the target says unprompted (stderr,
// notifications, noise) is the last sender's.

import { keyOf } from './correlation.js';
import type { RequestId } from './types.js';

/** Requests whose sender is kept: a note comes within its exchange, so older ones are not needed. */
const KEPT = 4096;

export class Senders {
  private lastCheck?: string;
  private readonly byRequest = new Map<string, string | undefined>();

  /** The check of the last message sent. */
  get last(): string | undefined {
    return this.lastCheck;
  }

  /** A line went out for `check` (none: the last sender stays); `requestId`: it was that request. */
  sent(check: string | undefined, requestId?: RequestId): void {
    this.lastCheck = check ?? this.lastCheck;
    if (requestId === undefined || requestId === null) return;
    const key = keyOf(requestId);
    this.byRequest.delete(key);
    this.byRequest.set(key, check);
    if (this.byRequest.size > KEPT) this.byRequest.delete(this.byRequest.keys().next().value!);
  }

  /** The check that sent request `id`, else the last sender. */
  of(id: RequestId | undefined): string | undefined {
    if (typeof id !== 'string' && typeof id !== 'number') return this.lastCheck;
    const key = keyOf(id);
    return this.byRequest.has(key) ? this.byRequest.get(key) : this.lastCheck;
  }
}
