// Requests wait at the target behind the ones sent before them. A server that serves one request
// at a time (a single-threaded server doing real work per request) answers the hundredth of a
// hundred pipelined creates after a hundred service times, though it answers each promptly once
// it gets to it. Measured from the moment the suite sent it, the hundredth "took" far longer than
// --timeout; the delay is the suite's own burst, not the target's slowness (D18). Over --url
// every connection of a run talks to the same server, so one check's burst delays the requests
// of every other check.
//
// So a request's deadline runs from the later of its sending and the target's last answer to a
// request sent before it: while the target keeps answering the requests ahead, it is working
// through the queue, and the request waits on. A target that answers nothing (wedged, dead)
// gets no extension at all; one that ignores a request gets it only until the requests ahead
// are answered. Bounded: never past --timeout once for each request that was outstanding when
// it was sent, plus its own.
//
// Over Streamable HTTP each request travels a connection of its own, and the server takes them in
// the order their connections deliver, not the order the suite sent them: a queue there is
// unordered. An answer to any other request counts as the target working through the queue, and
// the bound counts the requests sent after it (while it waited) too.

/** Said of a timeout that took longer than --timeout because the request waited behind others. */
export const QUEUED = ' (past --timeout while the target was still answering requests sent before it; the last of those answers came more than --timeout before)';

/** Answers remembered for the extension (a ring: the most recent ones decide). */
const RECENT = 4096;

export interface Ticket {
  /** Order of sending across every connection that shares the queue. */
  readonly n: number;
  /** Requests outstanding (sent, not settled) when this one was sent. */
  readonly ahead: number;
}

export class ServiceQueue {
  private sent = 0;
  private outstanding = 0;

  /** `ordered`: served in the order sent (one stdio pipe); false over HTTP (a connection per request). */
  constructor(readonly ordered = true) {}

  /** Requests sent so far (a ticket's `n` is its place in this count). */
  get sentCount(): number {
    return this.sent;
  }
  /** Recent answers, oldest first: the ticket answered and when. */
  private readonly tickets = new Float64Array(RECENT);
  private readonly times = new Float64Array(RECENT);
  private next = 0;
  private count = 0;

  /** A request goes out now. */
  take(): Ticket {
    return { n: ++this.sent, ahead: this.outstanding++ };
  }

  /** The request no longer waits (answered, timed out, or the target exited). */
  release(): void {
    if (this.outstanding > 0) this.outstanding--;
  }

  /** The target answered the request with this ticket (also a late answer, after its timeout). */
  answered(ticket: Ticket, at = performance.now()): void {
    this.tickets[this.next] = ticket.n;
    this.times[this.next] = at;
    this.next = (this.next + 1) % RECENT;
    if (this.count < RECENT) this.count++;
  }

  /** The latest time after `since` at which the target answered a request sent before `ticket` (any other, unordered); undefined if none. */
  answeredAhead(ticket: Ticket, since: number): number | undefined {
    for (let i = 1; i <= this.count; i++) {
      const at = (this.next - i + RECENT) % RECENT;
      if (this.times[at]! <= since) return undefined;
      if (this.ordered ? this.tickets[at]! < ticket.n : this.tickets[at]! !== ticket.n) return this.times[at];
    }
    return undefined;
  }
}

/** The service queues of already running servers (--url): every connection to one URL shares one. */
const shared = new Map<string, ServiceQueue>();

export function sharedServiceQueue(url: string): ServiceQueue {
  let queue = shared.get(url);
  if (!queue) shared.set(url, (queue = new ServiceQueue(false)));
  return queue;
}
