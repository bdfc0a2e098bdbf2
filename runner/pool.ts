// The target processes of one run. Target start-up is the main cost of a run, so a run starts
// as few processes as the checks' meanings need (a default run against a target that never dies:
// four — see `README.md` §Speed):
//   - shared: checks that only talk normally reuse one process (more with a high --jobs),
//     concurrently; a dead one is replaced by a new process;
//   - sacrificial: checks that may break the target (garbage, hostile values, bursts, deletes)
//     take turns on one process of their own, alone; it is replaced only when it died or a check
//     ended badly on it. A bad verdict on a sacrificial process an earlier check used is judged
//     again on a new process (runner/execute.ts), so no check is blamed for another's damage;
//   - own: a process no check used, for a clean slate: a check rerun after another check may
//     have disturbed its target, and the property models' processes (suites/properties/lease.ts:
//     the protocol model explores on one, and shrinking needs a new one per case);
//   - restart: a process started now, never one started ahead — SESS-ERR-5 reuses a session on
//     "the server restarted", which only a process started after the session was created is.
//     SESS-ERR-5 then hands it over (handOver()) to the protocol model, which explores on it: the
//     one call it saw (an id the process never issued) is one of the model's own commands
//     (UnknownIdCommand), and the model replays every case it reports on a new process. Without
//     SESS-ERR-5 in the run, one process is started ahead for the model instead.
import { connect, type Connection, type StartFailure } from '../harness/mcp.js';
import type { Peer } from '../harness/peer.js';
import { createRandom } from '../harness/random.js';
import type { Transcript } from '../harness/transcript.js';
import type { ExitInfo, Profile, TargetSpec } from '../harness/types.js';

export function isStartFailure(value: Connection | StartFailure): value is StartFailure {
  return (value as StartFailure).failed === true;
}

/** The sacrificial process lent to one check: `inherited` when an earlier check used it. */
export interface SacrificialLoan {
  connection: Connection | StartFailure;
  inherited: boolean;
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
  /** The sacrificial process (started ahead), how many checks used it, and the turn queue. */
  private sacrificial?: Promise<Connection | StartFailure>;
  private sacrificialUsers = 0;
  private turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly spec: TargetSpec,
    private readonly transcript: Transcript,
    private readonly profile: Profile,
    private readonly size: number,
    private readonly seed: number,
  ) {}

  /** Processes started ahead of need, handed to the next startOwn() (see prestart()). */
  private readonly spares: { process: Promise<Connection | StartFailure>; from: string }[] = [];
  /** The restart process SESS-ERR-5 will hand over to the protocol model (expectHandover()). */
  private handed?: { process: Promise<Connection | StartFailure>; from: string };
  private handover?: (connection: Connection | undefined) => void;

  /**
   * Starts `count` processes now, before any check asks for one: this uses a core that would
   * otherwise wait for the first start.
   */
  prestart(count: number): void {
    for (let i = 0; i < count; i++) {
      const spare = this.startFresh('spare');
      spare.catch(() => undefined);
      this.spares.push({ process: spare, from: 'started ahead' });
    }
  }

  /**
   * The protocol model's first startOwn() gets the restart process of a check that hands it over
   * when it is done with it (handOver()), instead of a process started for it: one start fewer
   * per run. Nothing else waits for it: the restart check itself may need a shared process
   * replaced (startOwn) before it can hand anything over.
   */
  expectHandover(from: string): void {
    const process = new Promise<Connection | StartFailure>((resolve) => {
      this.handover = (connection) => resolve(connection ?? { failed: true, reason: 'spawn', detail: `${from} handed over no process`, stderrTail: [] });
    });
    this.handed = { process, from: `${from}'s restart, handed over` };
  }

  /**
   * Gives the process a restart check used to whoever expectHandover() reserved it for (once);
   * `undefined`, or a process that is gone, makes that taker start a process of its own.
   * Returns whether the process was taken (else the caller releases it).
   */
  handOver(connection: Connection | undefined): boolean {
    const give = this.handover;
    this.handover = undefined;
    const usable = !!connection && !connection.peer.gone && !this.closed;
    give?.(usable ? connection : undefined);
    return !!give && usable;
  }

  /**
   * Starts the sacrificial process while the run's first process is still starting, so the two
   * start-ups overlap — only if that first process looks sound so far: still running, and
   * nothing on its stdout yet (no banner, no flood). A target that already exited or printed
   * noise is not started a second time (it may still fail later: then the run ends and this
   * process with it, counted as a start). Decided once the first process has spawned (the checks
   * may be loaded before: bundled, they load without I/O). Resolves to whether it started.
   */
  async prestartSacrificialBeside(): Promise<boolean> {
    await this.firstSpawn;
    if (this.sacrificial) return true;
    const first = this.firstPeer;
    if (this.closed || this.starts !== 1 || this.lastStartFailure || !first?.quietSoFar) return false;
    this.prestartSacrificial();
    return true;
  }

  /** The first process of the run, from its spawn on (prestartSacrificialBeside() watches it). */
  private firstPeer?: Peer;
  /** Settles when the first process has spawned, or its start has ended without a spawn. */
  private firstSpawn?: Promise<void>;

  /** Starts the sacrificial process now, so it is ready when the first such check runs. */
  prestartSacrificial(): void {
    this.sacrificial ??= this.startFresh('sacrificial');
    this.sacrificial.catch(() => undefined);
  }

  /**
   * Lends the sacrificial process to one check, alone: waits for the check before it to give
   * it back (giveBack()). A dead process, or none, is replaced by a new one first.
   */
  async lendSacrificial(check: string): Promise<SacrificialLoan> {
    const previous = this.turn;
    let done!: () => void;
    this.turn = new Promise<void>((resolve) => (done = resolve));
    await previous;
    this.returnTurn = done;
    let current = this.sacrificial ? await this.sacrificial : undefined;
    if (!current || isStartFailure(current) || current.peer.gone) {
      if (current && !isStartFailure(current)) await this.release(current);
      this.sacrificialUsers = 0;
      this.sacrificial = this.startFresh(check);
      current = await this.sacrificial;
    }
    const inherited = this.sacrificialUsers++ > 0;
    if (!isStartFailure(current)) {
      this.transcript.add({ conn: current.peer.conn, dir: 'event', text: `sacrificial process ${current.peer.conn} lent to ${check}${inherited ? ` (used by ${this.sacrificialUsers - 1} check(s) before)` : ''}`, check });
    }
    return { connection: current, inherited };
  }

  private returnTurn?: () => void;

  /**
   * Ends a check's turn on the sacrificial process. `retire`: the check ended badly, so the
   * process may be damaged (dead, wedged, sessions revoked): the next check gets a new one.
   */
  async giveBack(retire: boolean): Promise<void> {
    const current = this.sacrificial ? await this.sacrificial : undefined;
    if (retire && current) {
      this.sacrificial = undefined;
      if (!isStartFailure(current)) await this.release(current);
    }
    const done = this.returnTurn;
    this.returnTurn = undefined;
    done?.();
  }

  /**
   * The check holding the sacrificial process keeps it as its own (ctx.keepProcess): the next
   * turn gets a new process, started now when `next` (a turn follows), else when one is lent.
   */
  detachSacrificial(next: boolean): void {
    this.sacrificial = undefined;
    this.sacrificialUsers = 0;
    if (next) this.prestartSacrificial();
  }

  /** Ends the sacrificial process once no check will take a turn on it any more. */
  async endSacrificial(): Promise<void> {
    await this.turn;
    const current = this.sacrificial ? await this.sacrificial : undefined;
    this.sacrificial = undefined;
    this.sacrificialUsers = 0;
    if (current && !isStartFailure(current)) await this.release(current);
  }

  /** Closes begun by release(): closeAll() waits for them, whoever else does not. */
  private readonly ending: Promise<ExitInfo>[] = [];

  /**
   * Starts a process owned by the caller (closed with release()): a clean slate, no check used
   * it. `ahead`: a process started ahead of need may serve (not for a restart, see the header).
   */
  async startOwn(check?: string, ahead = true, protocolModel = false): Promise<Connection | StartFailure> {
    const handed = protocolModel && ahead ? this.handed : undefined;
    if (handed) this.handed = undefined;
    const spare = handed ?? (ahead ? this.spares.shift() : undefined);
    if (spare) {
      const result = await spare.process;
      if (!isStartFailure(result) && !result.peer.gone) {
        this.transcript.add({ conn: result.peer.conn, dir: 'event', text: `process ${result.peer.conn} (${spare.from}) taken by ${check ?? 'the run'}`, ...(check ? { check } : {}) });
        return result;
      }
      if (!isStartFailure(result)) await this.release(result);
    }
    return this.startFresh(check);
  }

  private async startFresh(check?: string): Promise<Connection | StartFailure> {
    if (this.closed) return { failed: true, reason: 'spawn', detail: 'the run is over', stderrTail: [] };
    this.starts++;
    const conn = this.nextConn++;
    let spawned = () => {};
    if (conn === 1) this.firstSpawn = new Promise<void>((resolve) => (spawned = resolve));
    const onSpawned = conn === 1 ? (peer: Peer) => ((this.firstPeer = peer), spawned()) : undefined;
    const result = await connect(this.spec, { transcript: this.transcript, profile: this.profile, conn, check, signal: this.stopping.signal, idPrefix: createRandom(this.seed, `conn-${conn}`).hex(8), onSpawned });
    spawned();
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
    const closed = connection.close();
    this.ending.push(closed);
    return closed;
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
    this.handOver(undefined);
    await Promise.allSettled([...this.spares.splice(0), ...(this.handed ? [this.handed] : [])].map((s) => s.process));
    if (this.sacrificial) await Promise.allSettled([this.sacrificial]);
    await Promise.allSettled([...this.starting.values()]);
    await Promise.allSettled([...this.live].map((c) => c.close()));
    await Promise.allSettled(this.ending);
    this.live.clear();
  }
}
