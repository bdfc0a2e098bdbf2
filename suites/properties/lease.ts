// Where the models' runs happen: the target processes a model uses, started through the
// check's context (so the harness closes whatever is left when the check ends).
import type { SessionClient } from '../../harness/session-client.js';
import type { CheckContext, FreshPurpose } from '../check.js';
import { ModelViolation, type RunPlacement } from './engine.js';

/**
 * The target processes of a model's runs. Exploring shares one process across runs (a spawn
 * costs more than a whole run). Shrinking and replaying use a new process per run: a shrunk case
 * must fail on its own, not because of what earlier runs left in the process (a leak between
 * sessions would otherwise shrink to "create, read" against the data of a previous run). A warm
 * spare is started in the background so the next fresh run does not wait for a spawn.
 */
export class TargetLease {
  private client?: SessionClient;
  private spare?: Promise<SessionClient>;
  private runsOnClient = 0;
  private tainted = false;
  private released = false;

  /** `purpose`: passed on to ctx.freshClient() (which process may serve, runner/pool.ts). */
  constructor(
    private readonly ctx: CheckContext,
    private readonly purpose?: FreshPurpose,
  ) {}

  /**
   * A client for the next run: on a process no run used yet when `fresh`, else the shared one.
   * `warmSpare`: more fresh runs will follow (shrinking), so start the next process now.
   */
  async get(fresh = false, warmSpare = false): Promise<SessionClient> {
    if (this.released) throw new Error('harness bug: a model run outlived its check (target lease already released)');
    const stale = this.client && (this.tainted || this.client.peer.exited || (fresh && this.runsOnClient > 0));
    if (stale) await this.drop();
    if (!this.client) {
      this.client = await (this.spare ?? this.ctx.freshClient(this.purpose));
      this.spare = undefined;
      this.runsOnClient = 0;
    }
    if (warmSpare && !this.spare) {
      this.spare = this.ctx.freshClient(this.purpose);
      this.spare.catch(() => undefined); // a spare that fails to start is reported when taken
    }
    return this.client;
  }

  /**
   * Runs `work` on a process of its own, used by nothing else and closed afterwards (the warm
   * spare if there is one): e.g. to see what one session's history gives when it runs alone.
   */
  async oneOff<T>(work: (client: SessionClient) => Promise<T>): Promise<T> {
    if (this.released) throw new Error('harness bug: a model run outlived its check (target lease already released)');
    const client = await (this.spare ?? this.ctx.freshClient(this.purpose));
    this.spare = undefined;
    try {
      return await work(client);
    } finally {
      await this.ctx.closeFresh(client);
    }
  }

  /** Marks the start of a run; returns whether the process is clean (no run used it before). */
  startRun(): boolean {
    return this.runsOnClient++ === 0;
  }

  /** The last run saw a timeout or an exit: the next run starts a new process. */
  taint(): void {
    this.tainted = true;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.tainted = false;
    if (client) await this.ctx.closeFresh(client);
  }

  /**
   * Ends the model's processes. Their exits are not waited for here, so the findings (which
   * other checks wait for) do not wait for them: the check that ran the model waits for them
   * when its result shows a transcript excerpt, and the run before it ends.
   */
  async release(): Promise<void> {
    this.released = true;
    void this.drop().catch(() => undefined);
    const spare = this.spare;
    this.spare = undefined;
    if (spare) void spare.then((client) => this.ctx.closeFresh(client), () => undefined).catch(() => undefined);
  }
}

/**
 * Runs one case on the lease where the engine placed it. A violation says whether it showed on
 * a clean process, so the report can tell when a replay might not reproduce it.
 */
export async function runOnLease(
  lease: TargetLease,
  placement: RunPlacement,
  /** The run's model: `targetGone` set by a command means the process is dead or wedged. */
  model: { targetGone: boolean },
  run: (client: SessionClient) => Promise<void>,
): Promise<void> {
  const client = await lease.get(placement.fresh, placement.moreFresh);
  const clean = lease.startRun();
  try {
    await run(client);
  } catch (err) {
    if (err instanceof ModelViolation) err.cleanProcess = clean;
    throw err;
  } finally {
    if (model.targetGone || client.peer.exited) lease.taint();
  }
}

