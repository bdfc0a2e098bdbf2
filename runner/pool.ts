// The target processes of one run: a few shared connections that checks reuse, fresh ones for
// checks that need a process of their own, and a restart when a shared target died.
import { connect, type Connection, type StartFailure } from '../harness/mcp.js';
import { createRandom } from '../harness/random.js';
import type { Transcript } from '../harness/transcript.js';
import type { ExitInfo, Profile, TargetSpec } from '../harness/types.js';

export function isStartFailure(value: Connection | StartFailure): value is StartFailure {
  return (value as StartFailure).failed === true;
}

export class TargetPool {
  private readonly shared: (Connection | undefined)[] = [];
  private readonly starting = new Map<number, Promise<Connection | StartFailure>>();
  private readonly live = new Set<Connection>();
  private nextConn = 1;
  private nextSlot = 0;
  private closed = false;
  /** Stops targets that are still starting when the run is closed. */
  private readonly stopping = new AbortController();
  starts = 0;
  lastStartFailure?: StartFailure;

  constructor(
    private readonly spec: TargetSpec,
    private readonly transcript: Transcript,
    private readonly profile: Profile,
    private readonly size: number,
    private readonly seed: number,
  ) {}

  /** Processes started ahead of need, handed to the next startOwn() (see prestart()). */
  private readonly spares: Promise<Connection | StartFailure>[] = [];

  /**
   * Starts `count` processes now, before any check asks for one: target start-up is the main
   * cost of a run, and this uses a core that would otherwise wait for the first start.
   */
  prestart(count: number): void {
    for (let i = 0; i < count; i++) {
      const spare = this.startFresh('spare');
      spare.catch(() => undefined);
      this.spares.push(spare);
    }
  }

  /** Starts a process owned by the caller (closed with release()); a spare if one is ready. */
  async startOwn(check?: string): Promise<Connection | StartFailure> {
    const spare = this.spares.shift();
    if (spare) {
      const result = await spare;
      if (!isStartFailure(result)) {
        this.transcript.add({ conn: result.peer.conn, dir: 'event', text: `process ${result.peer.conn} (started ahead) taken by ${check ?? 'the run'}`, ...(check ? { check } : {}) });
        return result;
      }
    }
    return this.startFresh(check);
  }

  private async startFresh(check?: string): Promise<Connection | StartFailure> {
    if (this.closed) return { failed: true, reason: 'spawn', detail: 'the run is over', stderrTail: [] };
    this.starts++;
    const conn = this.nextConn++;
    const result = await connect(this.spec, { transcript: this.transcript, profile: this.profile, conn, check, signal: this.stopping.signal, idPrefix: createRandom(this.seed, `conn-${conn}`).hex(8) });
    if (isStartFailure(result)) {
      this.lastStartFailure = result;
      return result;
    }
    if (this.closed) {
      await result.close();
      return { failed: true, reason: 'spawn', detail: 'the run is over', stderrTail: [] };
    }
    this.live.add(result);
    return result;
  }

  async release(connection: Connection): Promise<ExitInfo> {
    this.live.delete(connection);
    return connection.close();
  }

  /** Adopts an already started connection as shared slot 0 (the one discovery ran on). */
  adopt(connection: Connection): void {
    this.shared[0] = connection;
  }

  /** A shared connection, round-robin; a dead one is replaced by a new process. */
  async acquireShared(check?: string): Promise<Connection | StartFailure> {
    const slot = this.nextSlot++ % this.size;
    const current = this.shared[slot];
    if (current && !current.peer.gone) return current;
    let pending = this.starting.get(slot);
    if (!pending) {
      pending = this.startOwn(check).then((result) => {
        if (!isStartFailure(result)) this.shared[slot] = result;
        this.starting.delete(slot);
        return result;
      });
      this.starting.set(slot, pending);
    }
    return pending;
  }

  /** Starts the remaining shared processes in the background, so they are ready when needed. */
  warmUp(): void {
    for (let slot = 1; slot < this.size; slot++) {
      if (this.shared[slot] || this.starting.has(slot)) continue;
      const pending = this.startOwn('pool').then((result) => {
        if (!isStartFailure(result)) this.shared[slot] = result;
        this.starting.delete(slot);
        return result;
      });
      this.starting.set(slot, pending);
    }
  }

  /** Ends every process of the run; resolves when nothing is left running. */
  async closeAll(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    await Promise.allSettled(this.spares.splice(0));
    await Promise.allSettled([...this.starting.values()]);
    await Promise.allSettled([...this.live].map((c) => c.close()));
    this.live.clear();
  }
}
