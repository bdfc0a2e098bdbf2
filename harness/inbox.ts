// Recently received messages, and waiters for one that matches (Peer.waitForMessage).

export interface Incoming {
  message: any;
  seq: number;
}

const INBOX_SIZE = 500;

/** The last few hundred (500 to 1000) incoming messages, and waiters for one that matches. */
export class Inbox {
  private readonly recent: Incoming[] = [];
  private readonly waiters = new Set<{ match: (m: any) => boolean; fromSeq: number; done: (i: Incoming | null) => void }>();

  add(item: Incoming): void {
    this.recent.push(item);
    // Trimmed in batches: a shift per message is a copy of the whole list per message.
    if (this.recent.length > 2 * INBOX_SIZE) this.recent.splice(0, this.recent.length - INBOX_SIZE);
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) if (item.seq >= w.fromSeq && w.match(item.message)) w.done(item);
  }

  waitFor(match: (message: any) => boolean, ms: number, fromSeq = 0): Promise<Incoming | null> {
    const seen = this.recent.find((i) => i.seq >= fromSeq && match(i.message));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = {
        match,
        fromSeq,
        done: (item: Incoming | null) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(item);
        },
      };
      const timer = setTimeout(() => waiter.done(null), ms);
      this.waiters.add(waiter);
    });
  }
}
