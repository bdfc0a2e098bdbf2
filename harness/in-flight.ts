// The requests of one connection: those still waiting for their answer (pending) and what became
// of the ones that no longer wait (settled: answered, timed out, or lost to an exit), to classify
// late or repeated answers. Each request holds its place in the target's queue (service-queue.ts):
// its answer, even a late one, shows the target working through the requests sent after it.
import { keyOf, type Pending, type Settled } from './correlation.js';
import { ServiceQueue } from './service-queue.js';
import type { RequestId } from './types.js';

const MAX_SETTLED = 100_000;

export class InFlight {
  readonly pending = new Map<string, Pending>();
  readonly settled = new Map<string, Settled>();

  constructor(readonly service: ServiceQueue = new ServiceQueue()) {}

  /** The id is pending now or was used on this connection before. */
  used(id: RequestId): boolean {
    const key = keyOf(id);
    return this.pending.has(key) || this.settled.has(key);
  }

  /** The request went out: it waits, with its place in the target's queue. */
  open(p: Pending): void {
    p.ticket = this.service.take();
    this.pending.set(keyOf(p.id), p);
  }

  /** The target answered `p` (still pending). */
  answered(p: Pending): void {
    if (p.ticket) this.service.answered(p.ticket);
  }

  /** An answer under `key` that settled nothing: a late one still counts as the target's progress. */
  stray(key: string | undefined): void {
    const late = key ? this.settled.get(key) : undefined;
    if (late?.ticket && late.how === 'timeout') this.service.answered(late.ticket);
  }

  /** `p` stops waiting; false when it no longer was (settled already). */
  settle(p: Pending, how: Settled['how']): boolean {
    const key = keyOf(p.id);
    if (this.pending.get(key) !== p) return false;
    p.settled = true;
    clearTimeout(p.timer);
    this.pending.delete(key);
    if (p.ticket) this.service.release();
    this.settled.set(key, { how, check: p.check, method: p.method, ...(p.ticket ? { ticket: p.ticket } : {}) });
    if (this.settled.size > MAX_SETTLED) this.settled.delete(this.settled.keys().next().value!);
    return true;
  }
}
