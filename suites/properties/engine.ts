// Runs a model (protocol or application) under fast-check and turns what it finds into at most
// one Finding per check id: the first violation of that id, shrunk, with seed / path /
// replayPath and the words that replay exactly that case.
//
// Why rounds: one failing run stops fast-check, so a target that breaks two rules would only
// ever show the first. After a round finds ids S, the next round ignores S and looks again, until
// nothing fails or maxRounds is reached.
//
// Why counts, not time (D18): every round runs exactly `runs` cases (fewer only when one fails),
// so the same seed explores the same cases on a machine of any speed and the printed rerun
// reproduces the verdict. A time budget is only a safety net: if it (or the run's own stop) cuts
// the runs short, the report says how many of how many ran (`incomplete`), and no untried run
// counts as passed.
//
// Why pinning: while fast-check shrinks, a smaller candidate may fail a *different* rule; the
// counterexample would then no longer show the one it was found for. The first failure of a
// round pins its id, and from then on only violations of that id count as failures.
import fc from 'fast-check';
import type { TranscriptEntry } from '../../harness/types.js';
import type { Finding } from '../check.js';
import { formatReplay, shellWord, type ReplayCase } from './replay.js';

/** What one step of a model saw wrong (the ids are added by the caller). */
export interface StepFinding {
  message: string;
  expected: string;
  actual: string;
  fix: string;
  soft?: boolean;
}

export class ModelViolation extends Error {
  /** The run started on a process no earlier run had used (so a replay reproduces it). */
  cleanProcess?: boolean;

  constructor(
    /** The ids violated at this step that count in the current round. */
    readonly ids: string[],
    readonly finding: StepFinding,
    /** The steps of the run up to and including the failing one. */
    readonly steps: string[],
    readonly entries: TranscriptEntry[],
  ) {
    super(`${ids.join(', ')}: ${finding.message}`);
  }
}

/** Decides which violations stop a run in the current round. */
export class Judge {
  /** The id the round's first failure was about; shrinking keeps to it. */
  pinned?: string;

  constructor(
    private readonly wanted: ReadonlySet<string>,
    private readonly excluded: ReadonlySet<string>,
    /** Replay: only this id is judged. */
    private readonly focus?: string,
  ) {}

  counts(id: string): boolean {
    if (this.focus !== undefined) return id === this.focus;
    return this.wanted.has(id) && !this.excluded.has(id);
  }

  /**
   * Reports a violation. Throws ModelViolation when it counts in this round; returns otherwise,
   * and the caller then stops judging whatever the violation left in an unknown state.
   */
  violation(ids: string[], finding: StepFinding, steps: string[], entries: TranscriptEntry[]): void {
    const counted = ids.filter((id) => this.counts(id));
    if (counted.length === 0) return;
    if (this.pinned !== undefined && !counted.includes(this.pinned)) return;
    this.pinned ??= counted[0];
    throw new ModelViolation(counted, finding, [...steps], entries);
  }
}

/** Where a run happens: on the shared process, or on one no run used before. */
export interface RunPlacement {
  fresh: boolean;
  /** More fresh runs will follow at once (shrinking): start the next process in the background. */
  moreFresh: boolean;
}

export interface ModelDriver<C> {
  /** Names the model in details ("protocol", "isolation:notebook_server"). */
  name: string;
  arbitrary(replayPath?: string): fc.Arbitrary<C>;
  /** Runs one command sequence against the target; throws ModelViolation via the judge. */
  run(commands: C, judge: Judge, placement: RunPlacement): Promise<void>;
}

export interface EngineOptions {
  /** fast-check seed of the first round. */
  seed: number;
  /** The run seed of the suite (for the replay words: `--seed`). */
  runSeed: number;
  runs: number;
  /** The check ids this model may report. */
  wanted: string[];
  /**
   * Safety net only (ms, all rounds together): past it, no further run starts and the report is
   * incomplete (how many runs of how many). Undefined: no budget of its own — the check's
   * deadline (which grows with every request) and the run's deadline bound the model.
   */
  budgetMs?: number;
  /** Set when the run was cut short (run deadline, interrupt): no further run starts. */
  stopped?(): string | undefined;
  /**
   * Extra time to shrink a failure, ms (per round). Past it the smallest failing case so far
   * stands: it changes only how small the counterexample is, never the verdict, and its replay
   * words reproduce exactly that case.
   */
  shrinkMs: number;
  maxRounds: number;
  /**
   * Shrink on a new process per candidate (the model's sessions are what is under test, so a
   * candidate must not see what earlier runs left behind). Otherwise shrinking stays on the
   * shared process and the final case is replayed once on a new process to verify it.
   */
  freshShrinks: boolean;
  /** Replay exactly this case instead of exploring (ids judged: the case's check id, else `focus`). */
  replay?: ReplayCase;
  focus?: string;
}

export interface EngineReport {
  findings: Map<string, Finding>;
  /** Cases actually executed (explored runs and shrink attempts). */
  executed: number;
  /** Runs explored (not shrinking) and runs planned, over all rounds that ran. */
  explored: number;
  planned: number;
  /** Why the runs were cut short (safety-net budget, run stopped): the model's verdict is incomplete. */
  incomplete?: string;
  rounds: number;
  ms: number;
}

const REPLAY_PATH = /replayPath="([^"]*)"/;
const SHARED: RunPlacement = { fresh: false, moreFresh: false };
const FRESH_ONCE: RunPlacement = { fresh: true, moreFresh: false };

export async function findViolations<C>(driver: ModelDriver<C>, opts: EngineOptions): Promise<EngineReport> {
  const started = performance.now();
  const findings = new Map<string, Finding>();
  const wanted = new Set(opts.wanted);
  let executed = 0;
  let explored = 0;
  let planned = 0;
  let cut: string | undefined;
  // fast-check's time limit ends fc.check without waiting for the run in progress: wait for it
  // here, so no run is still talking to the target when the caller closes it.
  let inFlight: Promise<unknown> = Promise.resolve();
  const track = (run: Promise<void>) => {
    inFlight = run.catch(() => undefined);
    return run;
  };

  /** Runs exactly one recorded case on a new process, judging only `focus`. */
  const replayCase = async (c: ReplayCase, focus: string | undefined) => {
    const judge = new Judge(wanted, new Set(), focus);
    const property = fc.asyncProperty(driver.arbitrary(c.replayPath), async (commands) => {
      executed++;
      await track(driver.run(commands, judge, FRESH_ONCE));
    });
    // The case at `path` and nothing else: a target that passes it ends the replay at once.
    const result = await fc.check(property, { seed: c.seed, path: c.path, numRuns: 1, endOnFailure: true });
    await inFlight;
    return result;
  };

  if (opts.replay) {
    const result = await replayCase(opts.replay, opts.replay.checkId ?? opts.focus);
    if (result.failed) record(findings, driver, opts, result, opts.replay.replayPath, true);
    const why = opts.stopped?.();
    return { findings, executed, explored: executed, planned: 1, rounds: 1, ms: performance.now() - started, ...(why && !result.failed && executed === 0 ? { incomplete: why } : {}) };
  }

  const budgetDeadline = opts.budgetMs === undefined ? Infinity : started + opts.budgetMs;
  /** Why no further run may start, if so. */
  const stopNow = (): string | undefined =>
    cut ??
    opts.stopped?.() ??
    (performance.now() > budgetDeadline ? `the model's safety-net time budget of ${opts.budgetMs} ms ran out` : undefined);

  /** One fast-check search; `allFresh`: every run, not only the shrinking ones, on a new process. */
  const search = async (judge: Judge, allFresh: boolean, numRuns: number) => {
    let shrinkDeadline: number | undefined;
    planned += numRuns;
    const property = fc.asyncProperty(driver.arbitrary(), async (commands) => {
      const now = performance.now();
      if (judge.pinned === undefined) {
        // Cut short (safety net, run stopped) before anything failed: the remaining runs are
        // not tried — and not passed either: the report says incomplete.
        if ((cut = stopNow())) return;
        explored++;
      }
      // Shrinking has its own budget from the first failure on; past it, candidates pass
      // untried and the smallest failing case so far stands (the verdict is already made).
      else if (now > (shrinkDeadline ??= now + opts.shrinkMs) || opts.stopped?.()) return;
      executed++;
      const fresh = allFresh || (judge.pinned !== undefined && opts.freshShrinks);
      await track(driver.run(commands, judge, fresh ? { fresh: true, moreFresh: true } : SHARED));
    });
    const lastResort = budgetDeadline === Infinity ? undefined : Math.max(1, budgetDeadline - performance.now()) + 2 * opts.shrinkMs;
    const result = await fc.check(property, {
      seed: opts.seed,
      numRuns,
      // A last resort only: the budgets above end runs between cases, this one mid-case.
      ...(lastResort !== undefined ? { interruptAfterTimeLimit: lastResort } : {}),
    });
    await inFlight;
    if (result.interrupted && !result.failed) cut ??= `the model's safety-net time budget of ${opts.budgetMs} ms ran out mid-run`;
    return result;
  };

  const excluded = new Set<string>();
  let rounds = 0;
  while (rounds < opts.maxRounds && !cut) {
    rounds++;
    let result = await search(new Judge(wanted, excluded), false, opts.runs);
    if (!result.failed) break;
    let reproduced: boolean | undefined;
    const violation = result.errorInstance;
    if (violation instanceof ModelViolation && opts.freshShrinks && violation.cleanProcess === false) {
      // Found (and left) on a process earlier runs had used: search again up to that run with
      // every run on a process of its own, so the case that gets reported fails by itself.
      const upTo = Number((result.counterexamplePath ?? '0').split(':')[0]) + 1;
      const clean = await search(new Judge(wanted, excluded), true, upTo);
      if (clean.failed) result = clean;
    } else if (violation instanceof ModelViolation && !opts.freshShrinks) {
      // Shrunk on the shared process: check once that the case also fails on a new one.
      reproduced = (await replayCase(caseOf(result), violation.ids[0])).failed;
    }
    const ids = record(findings, driver, opts, result, undefined, reproduced);
    for (const id of ids) excluded.add(id);
  }
  const incomplete = cut ? `${driver.name} model: ${explored} of ${planned} runs done before ${cut}` : undefined;
  return { findings, executed, explored, planned, rounds, ms: performance.now() - started, ...(incomplete ? { incomplete } : {}) };
}

function caseOf<C>(result: fc.RunDetails<[C]>, knownReplayPath?: string): ReplayCase {
  const replayPath = knownReplayPath ?? REPLAY_PATH.exec(String(result.counterexample?.[0] ?? ''))?.[1] ?? '';
  return { seed: result.seed, path: result.counterexamplePath ?? '', replayPath };
}

/** Turns a failed fast-check run into findings for the ids its counterexample violates. */
function record<C>(
  findings: Map<string, Finding>,
  driver: ModelDriver<C>,
  opts: EngineOptions,
  result: fc.RunDetails<[C]>,
  knownReplayPath?: string,
  /** Whether the case failed again on a new process (undefined: use what the run itself knows). */
  reproduced?: boolean,
): string[] {
  const error = result.errorInstance;
  if (!(error instanceof ModelViolation)) {
    // Not a verdict on the target: a bug of the model or the harness. Let the check report it.
    throw error instanceof Error ? error : new Error(`property run failed: ${String(error)}`);
  }
  const { replayPath, seed, path } = caseOf(result, knownReplayPath);
  const onNewProcess = reproduced ?? error.cleanProcess;
  for (const id of error.ids) {
    if (findings.has(id)) continue;
    const replayArg = formatReplay({ checkId: id, seed, path, replayPath });
    findings.set(id, {
      ...error.finding,
      message: `${error.finding.message} (${driver.name} model, ${error.steps.length}-step counterexample after ${result.numShrinks} shrinks)`,
      entries: error.entries.length > 0 ? error.entries : undefined,
      details: {
        model: driver.name,
        seed,
        path,
        replayPath,
        replayArg,
        replay: `--seed ${opts.runSeed} --only ${id} --replay ${shellWord(replayArg)}`,
        replayArgs: ['--seed', String(opts.runSeed), '--only', id, '--replay', replayArg],
        counterexample: error.steps,
        reproducedOnNewProcess: onNewProcess,
        ...(onNewProcess === false && {
          note: 'this case failed only on a process that earlier runs had used; a replay on a new process may pass',
        }),
        runs: result.numRuns,
        shrinks: result.numShrinks,
      },
    });
  }
  return error.ids;
}
