// Runs the selected checks against one target and returns the run as data. Prints nothing.
import { setMaxListeners } from 'node:events';
import { specOf, type CheckDef } from '../suites/check.js';
import type { Discovery } from '../harness/discovery.js';
import { executeCheck, type CheckOutcome, type RunEnvironment } from './execute.js';
import { incidentsOf } from './incidents.js';
import { summarizeSurvey } from './survey.js';
import { runInTurns, runLimited } from './lanes.js';
import { RunStopped } from './deadline.js';
import { isStartFailure, TargetPool } from './pool.js';
import { ADDRESS_IN_USE } from '../harness/http/launch.js';
import { matchesPattern, selectChecks } from './select.js';
import { SessionClient } from '../harness/session-client.js';
import { Transcript } from '../harness/transcript.js';
import type { Profile, TargetSpec } from '../harness/types.js';
import { STATUSES, type CheckResult, type Incident, type RunResult, type Status } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from '../harness/version.js';
import { byCodeUnits, isObject } from '../harness/values.js';

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
  /** Base allowance of one check (ms); its deadline grows with the requests it sends (D18). */
  checkTimeout?: number;
  /** Bound on the whole run (ms). */
  runTimeout?: number;
  /** The command line that reruns one check with the same seed. */
  rerun(id: string): string;
  expectedFailures?: { id: string; reason: string }[];
  onResult?(result: CheckResult): void;
  /** Aborting stops the run: unfinished checks are reported as incomplete (interrupted). */
  signal?: AbortSignal;
  checks?: CheckDef[];
  /** The run's transcript (e.g. one that streams to a file); a fresh in-memory one if absent. */
  transcript?: Transcript;
}

export interface RunOutput {
  run: RunResult;
  transcript: Transcript;
}

/** Base allowance of a check for the harness's own work; requests and starts add to it. */
const CHECK_BASE_MS = 30_000;

export async function runSuite(opts: RunOptions): Promise<RunOutput> {
  const startedAt = performance.now();
  const transcript = opts.transcript ?? new Transcript();
  // One shared process serves up to 4 jobs: checks interleave their requests on it.
  const pool = new TargetPool(opts.target, transcript, opts.profile, Math.max(1, Math.min(Math.ceil(opts.jobs / 4), 4)), opts.seed);
  // The target starts first, so loading the checks (every suite, fast-check) overlaps its
  // start-up: for a whole suite, and for a selection whose every --only / --skip pattern
  // matches a check id of the draft's profile (the profile's ids are the draft's checks, see
  // test/cli list --json), which cannot be a usage error. A pattern that matches none of them
  // loads the checks first: it is a usage error (D17) before any process starts.
  const levelIds = Object.keys(opts.profile.levels);
  const fits = (p: string) => levelIds.some((id) => matchesPattern(id, p));
  const early = !opts.checks && (opts.only ?? []).every(fits) && (opts.skip ?? []).every(fits);
  const first = early ? pool.startOwn('BASE-INIT-1') : undefined;
  // Discovery (tool argument synthesis: json-schema-faker, ajv, randexp) loads while it starts.
  const discoveryModule = import('../harness/discovery.js');
  discoveryModule.catch(() => undefined);
  let catalog: CheckDef[];
  let all: CheckDef[];
  let selectedIds: Set<string>;
  let PROTOCOL_IDS: readonly string[];
  try {
    const [suites, protocol] = await Promise.all([import('../suites/index.js'), import('../suites/properties/protocol-model.js')]);
    PROTOCOL_IDS = protocol.PROTOCOL_IDS;
    all = opts.checks ?? suites.ALL_CHECKS;
    catalog = all.filter((c) => opts.profile.levels[c.id] !== undefined);
    selectedIds = new Set(selectChecks(catalog.map((c) => c.id), all.map((c) => c.id), opts.profile.draft, opts.only, opts.skip));
  } catch (err) {
    await pool.closeAll();
    throw err;
  }
  const selected = catalog.filter((c) => selectedIds.has(c.id));
  // The sacrificial process starts beside the first one when that one looks sound so far
  // (running, silent on stdout: see prestartSacrificialBeside), else once it has answered.
  if (first && selected.some((c) => c.process === 'sacrificial')) void pool.prestartSacrificialBeside();
  const results: CheckResult[] = [];
  const outcomes: CheckOutcome[] = [];
  const record = (result: CheckResult) => {
    results.push(result);
    opts.onResult?.(result);
  };

  // Cutting the run short (run deadline, Ctrl-C) ends the checks in flight at once: each is
  // reported `incomplete`, and so is the run (D17).
  let stopReason: string | undefined;
  const stop = new AbortController();
  // Every check in flight listens for the stop (tens at once with --jobs): not a leak.
  setMaxListeners(0, stop.signal);
  const runTimeout = opts.runTimeout ?? 300_000;
  const runTimer = setTimeout(() => {
    stopReason = `the run exceeded its --run-timeout of ${runTimeout} ms`;
    stop.abort();
    void pool.closeAll();
  }, runTimeout);
  const onAbort = () => {
    stopReason = 'the run was interrupted';
    stop.abort();
    void pool.closeAll();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort(); // interrupted while the checks were loading

  let fatal: RunResult['fatal'];
  let discovered: Discovery | undefined;
  try {
    const firstStarted = await (first ?? pool.startOwn('BASE-INIT-1'));
    // Spare processes only once the first has answered initialize: a target that cannot start
    // (or floods stdout) is not started three times over. Then, at once: the sacrificial
    // process (unless it started already, beside the first). The protocol model (its checks all wait for its findings) gets the restart
    // process once SESS-ERR-5 is done with it, or, without a restart check, one started now.
    if (!isStartFailure(firstStarted)) {
      if (selected.some((c) => c.process === 'sacrificial')) pool.prestartSacrificial();
      if (selected.some((c) => PROTOCOL_IDS.includes(c.id))) {
        const restart = selected.find((c) => c.process === 'restart' && c.phase !== 'observe');
        if (restart) pool.expectHandover(restart.id);
        else pool.prestart(1);
      }
    }
    if (isStartFailure(firstStarted) && stopReason) {
      for (const check of selected) record(incompleteFor(check, opts, stopReason));
    } else if (isStartFailure(firstStarted)) {
      fatal = { kind: 'target-start', message: `the target did not start: ${firstStarted.reason}: ${firstStarted.detail}` };
      for (const check of selected) record(notStarted(check, opts, firstStarted));
    } else {
      const first = firstStarted;
      pool.adopt(first);
      pool.warmUp();
      const capability = isObject(first.initialize.result?.capabilities?.sessions);
      // Discovery too ends at the run's stop: every selected check is then incomplete.
      const discovering = untilStopped(
        discoveryModule.then((m) => m.discover(new SessionClient(first.peer, opts.profile, 'discovery'), { capability, tool: opts.tool, app: opts.app })),
        stop.signal,
      );
      discovering.catch(() => undefined); // awaited below; a check started beside it sees it too
      const env: RunEnvironment = {
        profile: opts.profile,
        seed: opts.seed,
        runs: opts.runs,
        replay: opts.replay,
        initialize: first.initialize.result,
        capability,
        discovered: discovering,
        pool,
        transcript,
        checkTimeout: opts.checkTimeout ?? CHECK_BASE_MS,
        requestTimeout: opts.target.requestTimeout,
        startTimeout: opts.target.startTimeout,
        rerun: opts.rerun,
        target: { transport: opts.target.http ? 'http' : 'stdio', ownsProcess: opts.target.command !== undefined },
        stopped: () => stopReason,
        stopSignal: stop.signal,
      };
      const judge = async (check: CheckDef) => record(await guarded(check, env, outcomes));
      // A check whose own long wait can begin before discovery's findings are needed (a
      // restart's start: the longest wait of a run) starts now, beside discovery.
      // Over stdio only: over HTTP that start, beside discovery and the first checks' bursts of
      // concurrent POSTs, left requests of the shared process unanswered past --timeout on a
      // loaded machine (references over HTTP, load ~20); there it starts after discovery.
      const startsEarly = (c: CheckDef) => c.beforeDiscovery === true && c.phase !== 'observe' && !opts.target.http;
      const early = selected.filter(startsEarly);
      const started = Promise.all(early.map(judge));
      try {
        discovered = env.discovery = await discovering;
      } catch (err) {
        await started;
        throw err;
      }
      // A restart first: its new process can only start once its session exists, and that
      // start is the longest wait of a run.
      const active = selected
        .filter((c) => c.phase !== 'observe' && c.process !== 'sacrificial' && !startsEarly(c))
        .sort((a, b) => Number(b.process === 'restart') - Number(a.process === 'restart'));
      // Those the protocol model also judges wait for its findings at their end; they let go of
      // the sacrificial process meanwhile (unless one started the model itself, on that process),
      // and go last, so the others use it while the model runs.
      // A check marked firstTurn goes first, on a process no check used (see CheckDef.firstTurn).
      const turn = (c: CheckDef) => (c.firstTurn ? 0 : 1) + Number(PROTOCOL_IDS.includes(c.id));
      const sacrificial = selected
        .filter((c) => c.phase !== 'observe' && c.process === 'sacrificial')
        .sort((a, b) => turn(a) - turn(b));
      const observers = selected.filter((c) => c.phase === 'observe');
      // The sacrificial checks take turns on their process, beside the others.
      await Promise.all([started, runLimited(active, Math.max(2, opts.jobs * 4), judge), runInTurns(sacrificial, judge, env)]);
      // One at a time, in id order: some observers send a little traffic of their own, which
      // the others must see (or not) the same way in every run.
      await runLimited(observers, 1, judge);
    }
  } catch (err) {
    if (!(err instanceof RunStopped)) fatal = { kind: 'internal', message: (err as Error)?.stack ?? String(err) };
  } finally {
    clearTimeout(runTimer);
    opts.signal?.removeEventListener('abort', onAbort);
    await pool.closeAll();
  }

  results.sort((a, b) => byCodeUnits(a.id, b.id));
  // Checks the run never reached (the first start was cut short, an internal error) are listed
  // as incomplete, so every selected check appears in the report.
  if (stopReason) {
    const listed = new Set(results.map((r) => r.id));
    for (const check of selected) if (!listed.has(check.id)) results.push(incompleteFor(check, opts, stopReason));
    results.sort((a, b) => byCodeUnits(a.id, b.id));
  }
  const incidents = stopReason ? [] : incidentsOf(outcomes);
  const run = assemble(opts, results, transcript, pool, fatal, performance.now() - startedAt, stopReason, incidents);
  if (discovered) run.discovery = summarizeDiscovery(discovered);
  if (discovered) run.toolSurvey = summarizeSurvey(discovered);
  return { run, transcript };
}

async function guarded(check: CheckDef, env: RunEnvironment, outcomes: CheckOutcome[]): Promise<CheckResult> {
  const stop = env.stopped();
  if (stop) return incompleteFor(check, env, stop);
  const outcome = await executeCheck(check, env);
  const late = env.stopped();
  // A check in flight when the run stops ends at once as incomplete (the stop races every
  // check, and the targets are killed only after it). A verdict the check reached before the
  // cut — a pass, a finding — stands; "could not test" or a harness error may be the cut's
  // doing, so those become incomplete.
  if (late && !JUDGED_BEFORE_STOP.has(outcome.result.status)) return incompleteFor(check, env, late, outcome.result.message);
  outcomes.push(outcome);
  return outcome.result;
}

/** Statuses a check reached on its own before the run was cut short; anything else may be the cut's doing. */
const JUDGED_BEFORE_STOP: ReadonlySet<Status> = new Set(['pass', 'info', 'skip', 'fail', 'warn', 'incomplete']);

/** A selected check that the run's cut (run deadline, interrupt) kept from being judged (D17). */
function incompleteFor(check: CheckDef, opts: Pick<RunOptions, 'profile' | 'rerun'>, why: string, partial?: string): CheckResult {
  return {
    id: check.id,
    title: check.title,
    section: check.section,
    level: opts.profile.levels[check.id]!,
    status: 'incomplete',
    message: `not judged: ${why}${partial && !partial.startsWith('not judged') ? ` (while it ran: ${partial})` : ''}`,
    spec: specOf(check, opts.profile),
    rerun: opts.rerun(check.id),
  };
}

function notStarted(check: CheckDef, opts: RunOptions, failure: { reason: string; detail: string; stderrTail: string[] }): CheckResult {
  const level = opts.profile.levels[check.id]!;
  const base = { id: check.id, title: check.title, section: check.section, level, spec: specOf(check, opts.profile), rerun: opts.rerun(check.id) };
  if (check.id !== 'BASE-INIT-1') return { ...base, status: 'skip', message: 'not run: the target did not start (see BASE-INIT-1)' };
  return {
    ...base,
    status: 'fail',
    message: `the target did not answer initialize: ${failure.detail}`,
    expected: `the command starts and answers initialize with protocolVersion, capabilities and serverInfo within ${opts.target.startTimeout} ms`,
    actual: `${failure.reason}: ${failure.detail}`,
    fix: failure.reason === 'exit' && opts.target.http && opts.target.command !== undefined && failure.stderrTail.some((l) => ADDRESS_IN_USE.test(l))
      ? 'listen on the port the suite passes in {port}: the server said its address was in use on every port the suite picked (a fixed port in the server, or another process holding it); its stderr is below'
      : failure.reason === 'exit'
      ? 'make the command start the server (check the path and that it runs with the same cwd/env); its stderr is below'
      : failure.reason === 'buffered'
        ? 'flush stdout after each message: Python print(..., flush=True) or sys.stdout.flush() (or run it with PYTHONUNBUFFERED=1 / python3 -u); C fflush(stdout); a buffered writer\'s Flush()'
      : opts.target.http
        ? `answer the initialize POST at ${opts.target.http.url} with a JSON-RPC response (application/json or text/event-stream)${opts.target.command !== undefined ? ', listening on the {port} the suite passes to the command' : ''}`
        : 'answer the initialize request on stdout as one JSON-RPC line, and write logs to stderr only',
    transcript: failure.stderrTail.slice(-10).map((l) => `!!! stderr: ${l}`),
  };
}

/** `work`, unless the run is stopped first (then RunStopped; the work is left to the pool's close). */
function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new RunStopped('the run was cut short'));
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(new RunStopped('the run was cut short'));
    signal.addEventListener('abort', onStop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onStop));
  });
}

function assemble(
  opts: RunOptions,
  checks: CheckResult[],
  transcript: Transcript,
  pool: TargetPool,
  fatal: RunResult['fatal'],
  wallMs: number,
  stopped: string | undefined,
  incidents: Incident[],
): RunResult {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  const expected = (opts.expectedFailures ?? []).map((e) => {
    const status = checks.find((c) => c.id === e.id)?.status;
    // An unjudged (incomplete) check is not called stale: nothing shows it stopped failing.
    return { ...e, stillFails: status === 'fail' || status === 'untestable' || status === 'incomplete' || (status === 'warn' && !!opts.strict) };
  });
  const excused = new Set(expected.filter((e) => e.stillFails).map((e) => e.id));
  const blocking =
    checks.some((c) => !excused.has(c.id) && (c.status === 'fail' || c.status === 'untestable' || (c.status === 'warn' && !!opts.strict))) ||
    (!!opts.strict && incidents.length > 0);
  const stale = expected.some((e) => !e.stillFails && checks.some((c) => c.id === e.id));
  const harnessBroke = fatal?.kind === 'internal' || checks.some((c) => c.status === 'harness-error');
  // Precedence: error (nothing the suite says is reliable) > incomplete (not every selected
  // check was judged: never conformant, findings so far stay listed) > non-conformant.
  const cutShort = !!stopped || checks.some((c) => c.status === 'incomplete');
  const verdict: RunResult['verdict'] = harnessBroke
    ? 'error'
    : fatal
      ? 'non-conformant'
      : cutShort
        ? 'incomplete'
        : blocking || stale
          ? 'non-conformant'
          : 'conformant';
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    target: opts.targetLabel,
    draft: opts.profile.draft,
    seed: opts.seed,
    strict: !!opts.strict,
    verdict,
    ...(stopped ? { stopped } : {}),
    summary,
    stats: { wallMs: Math.round(wallMs), targetStarts: pool.starts, requestsSent: transcript.exchanges.length },
    checks,
    stderrTail: transcript.entries.filter((e) => e.dir === 'stderr').slice(-20).map((e) => e.text),
    fatal,
    incidents,
    expectedFailures: opts.expectedFailures ? expected : undefined,
  };
}

function summarizeDiscovery(found: Discovery): NonNullable<RunResult['discovery']> {
  return {
    tools: found.tools.length,
    probe: found.probe?.name ?? null,
    sessionTool: found.sessionTool?.name ?? null,
    publicTool: found.publicTool?.name ?? null,
    notes: [...found.notes],
  };
}
