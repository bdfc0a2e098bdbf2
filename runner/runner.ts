// Runs the selected checks against one target and returns the run as data. Prints nothing.
import type { CheckDef } from '../suites/check.js';
import { discover, type Discovery } from '../harness/discovery.js';
import { executeCheck, type RunEnvironment } from './execute.js';
import { isStartFailure, TargetPool } from './pool.js';
import { selectIds } from './select.js';
import { SessionClient } from '../harness/session-client.js';
import { Transcript } from '../harness/transcript.js';
import type { Profile, TargetSpec } from '../harness/types.js';
import type { CheckResult, RunResult, Status } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from '../harness/version.js';
import { isObject } from '../harness/values.js';

export interface RunOptions {
  target: TargetSpec;
  /** How the target is named in reports (the command, or `reference:<name>`). */
  targetLabel: string;
  profile: Profile;
  seed: number;
  strict?: boolean;
  only?: string[];
  skip?: string[];
  /** Shared target processes and parallelism. */
  jobs: number;
  /** Property-based checks: number of runs. */
  runs: number;
  replay?: string;
  tool?: { name: string; args?: Record<string, unknown> };
  app?: string;
  /** Deadline of one check (ms). */
  checkTimeout?: number;
  /** Bound on the whole run (ms). */
  runTimeout?: number;
  /** The command line that reruns one check with the same seed. */
  rerun(id: string): string;
  expectedFailures?: { id: string; reason: string }[];
  onResult?(result: CheckResult): void;
  /** Aborting stops the run: unfinished checks are reported as skipped (interrupted). */
  signal?: AbortSignal;
  checks?: CheckDef[];
}

export interface RunOutput {
  run: RunResult;
  transcript: Transcript;
}

const STATUSES: Status[] = ['pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'harness-error'];

export async function runSuite(opts: RunOptions): Promise<RunOutput> {
  const startedAt = performance.now();
  const transcript = new Transcript();
  // One shared process serves up to 4 jobs: checks interleave their requests on it.
  const pool = new TargetPool(opts.target, transcript, opts.profile, Math.max(1, Math.min(Math.ceil(opts.jobs / 4), 4)), opts.seed);
  // The target starts first: loading the checks (every suite, fast-check) overlaps its start-up.
  const first = pool.startOwn('BASE-INIT-1');
  // A whole suite always has sacrificial checks and the protocol model's checks: start their
  // processes at once too (a selection waits for the catalog to know).
  const whole = !opts.checks && !opts.only?.length;
  if (whole) {
    pool.prestartSacrificial();
    pool.prestart(1);
  }
  let loaded;
  try {
    loaded = await Promise.all([import('../suites/index.js'), import('../suites/properties/protocol-model.js')]);
  } catch (err) {
    await pool.closeAll();
    throw err;
  }
  const [{ ALL_CHECKS }, { PROTOCOL_IDS }] = loaded;
  const catalog = (opts.checks ?? ALL_CHECKS).filter((c) => opts.profile.levels[c.id] !== undefined);
  const selectedIds = new Set(selectIds(catalog.map((c) => c.id), opts.only, opts.skip));
  const selected = catalog.filter((c) => selectedIds.has(c.id));
  const results: CheckResult[] = [];
  const record = (result: CheckResult) => {
    results.push(result);
    opts.onResult?.(result);
  };

  let stopReason: string | undefined;
  const runTimer = setTimeout(() => {
    stopReason = `not run: the whole run exceeded its ${opts.runTimeout} ms bound`;
  }, opts.runTimeout ?? 300_000);
  const onAbort = () => {
    stopReason = 'not run: the run was interrupted';
    void pool.closeAll();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort(); // interrupted while the checks were loading

  let fatal: RunResult['fatal'];
  try {
    // Started with the first: the sacrificial process, and one for the protocol model (the
    // model's checks all wait for its findings), so neither start waits for the first one.
    if (!whole && selected.some((c) => c.process === 'sacrificial')) pool.prestartSacrificial();
    if (!whole && selected.some((c) => PROTOCOL_IDS.includes(c.id))) pool.prestart(1);
    const firstStarted = await first;
    if (isStartFailure(firstStarted) && stopReason) {
      for (const check of selected) record(skippedFor(check, opts, stopReason));
    } else if (isStartFailure(firstStarted)) {
      fatal = { kind: 'target-start', message: `the target did not start: ${firstStarted.reason}: ${firstStarted.detail}` };
      for (const check of selected) record(notStarted(check, opts, firstStarted));
    } else {
      const first = firstStarted;
      pool.adopt(first);
      pool.warmUp();
      const capability = isObject(first.initialize.result?.capabilities?.sessions);
      const discovery: Discovery = await discover(new SessionClient(first.peer, opts.profile, 'discovery'), {
        capability,
        tool: opts.tool,
        app: opts.app,
      });
      const env: RunEnvironment = {
        profile: opts.profile,
        seed: opts.seed,
        runs: opts.runs,
        replay: opts.replay,
        initialize: first.initialize.result,
        discovery,
        pool,
        transcript,
        checkTimeout: opts.checkTimeout ?? Math.max(30_000, opts.target.requestTimeout * 6),
        rerun: opts.rerun,
        stopped: () => stopReason,
      };
      // A restart first: its new process can only start once its session exists, and that
      // start is the longest wait of a run.
      const active = selected
        .filter((c) => c.phase !== 'observe' && c.process !== 'sacrificial')
        .sort((a, b) => Number(b.process === 'restart') - Number(a.process === 'restart'));
      // Those the protocol model also judges wait for its findings at their end, holding the
      // sacrificial process: they go last, so the others use it while the model runs.
      const modelJudged = (c: CheckDef) => Number(PROTOCOL_IDS.includes(c.id));
      const sacrificial = selected
        .filter((c) => c.phase !== 'observe' && c.process === 'sacrificial')
        .sort((a, b) => modelJudged(a) - modelJudged(b));
      const observers = selected.filter((c) => c.phase === 'observe');
      // The sacrificial checks take turns on their process, beside the others.
      await Promise.all([
        runLimited(active, Math.max(2, opts.jobs * 4), async (check) => record(await guarded(check, env))),
        runLimited(sacrificial, 1, async (check) => record(await guarded(check, env))),
      ]);
      // One at a time, in id order: some observers send a little traffic of their own, which
      // the others must see (or not) the same way in every run.
      await runLimited(observers, 1, async (check) => record(await guarded(check, env)));
    }
  } catch (err) {
    fatal = { kind: 'internal', message: (err as Error)?.stack ?? String(err) };
  } finally {
    clearTimeout(runTimer);
    opts.signal?.removeEventListener('abort', onAbort);
    await pool.closeAll();
  }

  results.sort((a, b) => a.id.localeCompare(b.id));
  const run = assemble(opts, results, transcript, pool, fatal, performance.now() - startedAt);
  return { run, transcript };
}

async function guarded(check: CheckDef, env: RunEnvironment): Promise<CheckResult> {
  const stop = env.stopped();
  if (stop) return skipped(check, env, stop);
  const result = await executeCheck(check, env);
  const late = env.stopped();
  // A check cut short by an interrupt is not judged on what the kill did to the target.
  return late && result.status !== 'pass' && result.status !== 'info' ? skipped(check, env, late) : result;
}

function skipped(check: CheckDef, env: RunEnvironment, message: string): CheckResult {
  return skippedFor(check, { profile: env.profile, rerun: env.rerun }, message);
}

function skippedFor(check: CheckDef, opts: Pick<RunOptions, 'profile' | 'rerun'>, message: string): CheckResult {
  return {
    id: check.id,
    title: check.title,
    section: check.section,
    level: opts.profile.levels[check.id]!,
    status: 'skip',
    message,
    spec: check.spec,
    rerun: opts.rerun(check.id),
  };
}

function notStarted(check: CheckDef, opts: RunOptions, failure: { reason: string; detail: string; stderrTail: string[] }): CheckResult {
  const level = opts.profile.levels[check.id]!;
  const base = { id: check.id, title: check.title, section: check.section, level, spec: check.spec, rerun: opts.rerun(check.id) };
  if (check.id !== 'BASE-INIT-1') return { ...base, status: 'skip', message: 'not run: the target did not start (see BASE-INIT-1)' };
  return {
    ...base,
    status: 'fail',
    message: `the target did not answer initialize: ${failure.detail}`,
    expected: `the command starts and answers initialize with protocolVersion, capabilities and serverInfo within ${opts.target.startTimeout} ms`,
    actual: `${failure.reason}: ${failure.detail}`,
    fix: failure.reason === 'exit'
      ? 'make the command start the server (check the path and that it runs with the same cwd/env); its stderr is below'
      : 'answer the initialize request on stdout as one JSON-RPC line, and write logs to stderr only',
    transcript: failure.stderrTail.slice(-10).map((l) => `!!! stderr: ${l}`),
  };
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

function assemble(
  opts: RunOptions,
  checks: CheckResult[],
  transcript: Transcript,
  pool: TargetPool,
  fatal: RunResult['fatal'],
  wallMs: number,
): RunResult {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  const expected = (opts.expectedFailures ?? []).map((e) => {
    const status = checks.find((c) => c.id === e.id)?.status;
    return { ...e, stillFails: status === 'fail' || status === 'untestable' || (status === 'warn' && !!opts.strict) };
  });
  const excused = new Set(expected.filter((e) => e.stillFails).map((e) => e.id));
  const blocking = checks.some(
    (c) => !excused.has(c.id) && (c.status === 'fail' || c.status === 'untestable' || (c.status === 'warn' && !!opts.strict)),
  );
  const stale = expected.some((e) => !e.stillFails && checks.some((c) => c.id === e.id));
  const harnessBroke = fatal?.kind === 'internal' || checks.some((c) => c.status === 'harness-error');
  const verdict: RunResult['verdict'] = harnessBroke ? 'error' : blocking || stale || fatal ? 'non-conformant' : 'conformant';
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    target: opts.targetLabel,
    draft: opts.profile.draft,
    seed: opts.seed,
    strict: !!opts.strict,
    verdict,
    summary,
    stats: { wallMs: Math.round(wallMs), targetStarts: pool.starts, requestsSent: transcript.exchanges.length },
    checks,
    stderrTail: transcript.entries.filter((e) => e.dir === 'stderr').slice(-20).map((e) => e.text),
    fatal,
    expectedFailures: opts.expectedFailures ? expected : undefined,
  };
}

