// Correlating responses with requests: what a peer keeps about each request it sent (pending,
// then settled), the map key that keeps 1 and "1" apart, and why a response that settles
// nothing is a protocol violation (wrong id type, duplicate, late, never sent), a request's deadline, and
// the exchange a settled request leaves on the transcript.
import type { ServiceQueue, Ticket } from './service-queue.js';
import type { Exchange, Outcome, RequestId, Violation } from './types.js';
import { safeStringify } from './values.js';

export type Problem = { kind: Violation['kind']; detail: string };

export interface Pending {
  id: RequestId;
  method: string;
  check?: string;
  request: any;
  requestSeq: number;
  /** Length of the request line, to decide whether the exchange keeps it. */
  requestChars: number;
  /** Incoming notifications counted when the request went out (to tell a flood in a timeout). */
  notificationsAtSend: number;
  /** performance.now() when it went out. */
  sentAt?: number;
  /** Its place in the target's queue (service-queue.ts). */
  ticket?: Ticket;
  timer?: NodeJS.Timeout;
  /** Starts its deadline again from now (it waited in the transport before it went out). */
  rearm?: () => void;
  /** Set when it stops waiting (answered, timed out, lost to an exit): its deadline arms nothing more. */
  settled?: boolean;
  resolve(outcome: Outcome): void;
}

/** What happened to a request that is no longer pending (to classify late or repeated answers). */
export interface Settled {
  how: 'answered' | 'timeout' | 'exit';
  check?: string;
  method: string;
  /** Its place in the target's queue: a late answer still shows the target working through it. */
  ticket?: Ticket;
}

/** Map key that keeps 1 and "1" apart. */
export function keyOf(id: RequestId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

/** A response that settles nothing: say why (wrong id type, duplicate, late, unknown…). */
export function classifyStray(
message: any,
key: string | undefined,
pending: ReadonlyMap<string, Pending>,
settled: ReadonlyMap<string, Settled>,
sentMalformed: boolean,
): { problem?: Problem; check?: string; method?: string } {
  const id = message.id;
  const shown = safeStringify(id);
  if (key === undefined) {
    if (id === null && 'error' in message && sentMalformed) {
      return {}; // the answer JSON-RPC prescribes for a line it could not read
    }
    if (id === null || id === undefined) {
      const what = 'error' in message ? 'error' : 'success response';
      return { problem: { kind: 'response-to-notification', detail: `${what} without an id (nothing malformed was sent)` } };
    }
    return { problem: { kind: 'not-jsonrpc', detail: `response id ${shown} is neither a string nor a number` } };
  }
  const twin = pending.get(keyOf(typeof id === 'number' ? String(id) : Number(id)));
  if (twin && String(twin.id) === String(id)) {
    return {
      problem: { kind: 'id-type-mismatch', detail: `response id ${shown} does not match request id ${safeStringify(twin.id)} (type differs)` },
      check: twin.check,
      method: twin.method,
    };
  }
  const before = settled.get(key);
  if (!before) return { problem: { kind: 'unknown-id', detail: `response to id ${shown}, which was never sent` } };
  const problem: Problem =
    before.how === 'answered'
      ? { kind: 'duplicate-response', detail: `second response to id ${shown}` }
      : { kind: 'unknown-id', detail: before.how === 'timeout' ? 'late response after timeout' : 'late response after close' };
  return { problem, check: before.check, method: before.method };
}

/**
 * The record of one settled request for the transcript. `keepsJson(chars)` says whether a
 * message of that many characters is kept parsed; sizes come from the lines as they went over
 * the wire (no second serialization).
 */
export function exchangeOf(conn: number, p: Pending, outcome: Outcome, keepsJson: (chars: number) => boolean, response?: any, responseSeq?: number, responseChars?: number): Exchange {
  const keep = (m: any, chars: number) => (m !== undefined && keepsJson(chars) ? m : undefined);
  return {
    conn,
    ...(p.check ? { check: p.check } : {}),
    method: p.method,
    request: keep(p.request, p.requestChars),
    requestSeq: p.requestSeq,
    ...(response !== undefined ? { response: keep(response, responseChars ?? Infinity), responseSeq } : {}),
    outcome: outcome.kind,
  };
}

/**
 * A request whose deadline passes while a large message (at least this many bytes so far) is
 * still arriving waits on: the target is busy answering, and a request queued behind huge
 * answers is not to blame for them. Bounded: at most EXTEND_MAX times the request's timeout.
 */
const LARGE_IN_TRANSIT = 64 * 1024;
const EXTEND_MAX = 10;

/**
 * Sets the pending request's timer: `expired` after `ms`, later while a large message is still
 * arriving, or while the target answers requests sent before this one (service-queue.ts; then
 * `expired` is told how long the request waited in all).
 *
 * Before it calls a request timed out, the deadline lets the input that is already there in
 * (one turn of the event loop: setImmediate runs after the loop has read what its sockets and
 * pipes hold). When the suite's own process stalls (a loaded machine: descheduled for a second),
 * its timers run first on waking, before the answers that arrived meanwhile are read: without
 * this, an answer sitting in the pipe was a timeout (D18), and a request ahead of it that was
 * answered too did not extend its deadline. `expired` is a no-op for a request answered meanwhile.
 */
export function armDeadline(p: Pending, ms: number, inTransit: () => number, expired: (waitedMs?: number) => void, queue?: ServiceQueue): void {
  const sentAt = performance.now();
  let queued = false;
  const largeUntil = sentAt + ms * EXTEND_MAX;
  // Unordered (HTTP): requests sent after it may be served first; they count in the bound too.
  const queuedUntil = () => sentAt + ms * (1 + (p.ticket?.ahead ?? 0) + (p.ticket && queue && !queue.ordered ? queue.sentCount - p.ticket.n : 0));
  let readIn = false;
  const expire = () => {
    if (!readIn) {
      readIn = true;
      setImmediate(expire);
      return;
    }
    readIn = false;
    if (p.settled) return; // answered while the input was read in
    const now = performance.now();
    if (inTransit() >= LARGE_IN_TRANSIT && now < largeUntil) {
      p.timer = setTimeout(expire, Math.min(ms, 1000));
      return;
    }
    // Only answers since its sending show the target working through requests ahead of it: one
    // read just before it went out is no reason to wait on, also when the timer fires a fraction
    // of a millisecond early by performance.now() (libuv's timer clock is in whole milliseconds).
    const ahead = p.ticket && queue?.answeredAhead(p.ticket, Math.max(now - ms, sentAt));
    const until = queuedUntil();
    if (ahead !== undefined && now < until) {
      queued = true;
      p.timer = setTimeout(expire, Math.min(ahead + ms, until) - now);
      return;
    }
    expired(queued ? Math.round(now - sentAt) : undefined);
  };
  p.timer = setTimeout(expire, ms);
}
