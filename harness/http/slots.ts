// At most CONNECTIONS exchanges to one server wait for their answer at once; the others wait
// their turn in the suite, in the order sent. Since each exchange to a server on this machine has
// a connection of its own (resend.ts), a burst of 100 requests opened 100 connections at once: a
// one-threaded server's listen queue is short (Python's http.server: 5), the kernel dropped the
// connections it had no room for, and the client retried them 1, 3, 7 s later, longer than a
// request's deadline, while the server was answering all along (measured: 100 pings at once to
// such a server, 93 answered after more than 900 ms; with 300, 72 never answered). Six is what
// browsers open to one HTTP/1.1 server. Loopback only, like the connection per exchange: a remote
// server keeps its pooled connections and no cap, since there each request waits a network round
// trip and six at a time would cost (measured with 50 ms added to each request of a reference
// server: a default run 10.3-12.1 s without the cap, 12.7-17.4 s with it).
//
// A slot is held up to the response head, not while a stream is read (an SSE answer may stay
// open), and never longer than `holdMs` (the run's --timeout): a server that holds requests
// unanswered slows the ones behind them by one deadline at most, never stops them.

export const CONNECTIONS = 6;

export interface Slot {
  /** How long the exchange waited for its turn (ms). */
  waited: number;
  /** Gives the slot back (again: nothing). */
  release(): void;
}

export class Slots {
  private busy = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly size = CONNECTIONS) {}

  /** The next free slot, in turn (its release); rejects with the signal's reason when it aborts first. */
  take(holdMs: number, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.busy++;
        let held = true;
        const release = () => {
          if (!held) return;
          held = false;
          clearTimeout(timer);
          this.busy--;
          this.queue.shift()?.();
        };
        const timer = setTimeout(release, holdMs);
        resolve(release);
      };
      const onAbort = () => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal!.reason);
      };
      if (this.busy < this.size) return grant();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(grant);
    });
  }
}

/** A wait for a slot this long or longer is written in the exchange's transcript line. */
const WAIT_NOTED_MS = 50;

/** Waits for a slot for one exchange (its `record` notes a long wait); the slot, or why it was never sent. */
export async function takeTurn(slots: Slots, holdMs: number, signal: AbortSignal | undefined, record?: { waitedMs?: number }): Promise<Slot> {
  const asked = performance.now();
  try {
    const release = await slots.take(holdMs, signal);
    const waited = performance.now() - asked;
    if (record && waited >= WAIT_NOTED_MS) record.waitedMs = Math.round(waited);
    return { waited, release };
  } catch {
    throw new Error(`never sent: it waited ${Math.round(performance.now() - asked)} ms for one of the ${CONNECTIONS} connections the suite opens to one server, and was abandoned (deadline or shutdown)`);
  }
}

const byServer = new Map<string, Slots>();

/** The slots of one server (scheme, host and port), shared by every transport of the run that reaches it. */
export function slotsFor(url: string): Slots {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    origin = url;
  }
  let slots = byServer.get(origin);
  if (!slots) byServer.set(origin, (slots = new Slots()));
  return slots;
}
