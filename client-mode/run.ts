// A client-mode run: each selected scenario in turn (its own scripted servers, its own client
// process), judged id by id, gathered into the same RunResult server mode produces, so the
// reports, verdicts and exit codes are the same.
import { Transcript } from '../harness/transcript.js';
import type { Profile } from '../harness/types.js';
import { TOOL_VERSION } from '../harness/version.js';
import type { CheckResult, RunResult, Status } from '../runner/types.js';
import { CLIENT_CHECKS, SCENARIOS, type ScenarioName } from './catalog.js';
import { judgeScenario } from './judge.js';
import { launchScenario, type ScenarioRecord } from './launch.js';
import type { ConnEvent } from './endpoint.js';
import { isObject } from '../harness/values.js';

export interface ClientRunOptions {
  command: string;
  /** How the target reads in reports (the command, or the reference client's name). */
  targetLabel: string;
  scenarios: readonly ScenarioName[];
  profile: Profile;
  seed: number;
  strict: boolean;
  cwd?: string;
  env?: Record<string, string>;
  /** Deadline of one scenario (ms). */
  deadlineMs: number;
  transcript?: Transcript;
  rerun(scenario: string): string;
  onResult?(result: CheckResult): void;
  signal?: AbortSignal;
  transport?: 'stdio' | 'http';
}

export async function runClientMode(opts: ClientRunOptions): Promise<RunResult> {
  const started = performance.now();
  const transcript = opts.transcript ?? new Transcript();
  const ids = CLIENT_CHECKS.map((c) => c.id).filter((id) => opts.profile.levels[id] !== undefined);
  let conn = 0;
  const records: ScenarioRecord[] = [];
  const checks: CheckResult[] = [];
  let stopped: string | undefined;
  for (const scenario of opts.scenarios) {
    if (opts.signal?.aborted) {
      stopped = 'the run was interrupted';
      for (const id of ids) checks.push(notRun(id, scenario, opts));
      continue;
    }
    const rec = await launchScenario({
      scenario,
      command: opts.command,
      cwd: opts.cwd,
      env: opts.env,
      profile: opts.profile,
      transcript,
      deadlineMs: opts.deadlineMs,
      nextConn: () => ++conn,
      signal: opts.signal,
      transport: opts.transport,
    });
    records.push(rec);
    if (rec.interrupted) stopped = 'the run was interrupted';
    const results = judgeScenario(rec, { profile: opts.profile, transcript, deadlineMs: opts.deadlineMs, rerun: opts.rerun, ids, transport: opts.transport ?? 'stdio' });
    for (const r of results) {
      checks.push(r);
      opts.onResult?.(r);
    }
  }
  // As in server mode: a client the shell could not even run (126/127) in every scenario could not be started (exit 3).
  const neverRan = records.length > 0 && records.every((r) => r.connections.length === 0 && (r.exit?.code === 126 || r.exit?.code === 127));
  const summary = Object.fromEntries((['pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'incomplete', 'harness-error'] as Status[]).map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  return {
    tool: { name: 'mcp-session-conformance', version: TOOL_VERSION },
    kind: 'client',
    target: opts.targetLabel,
    draft: opts.profile.draft,
    seed: opts.seed,
    strict: opts.strict,
    verdict: neverRan ? 'non-conformant' : verdictOf(checks, opts.strict, stopped),
    ...(stopped ? { stopped } : {}),
    summary,
    stats: {
      wallMs: Math.round(performance.now() - started),
      targetStarts: records.reduce((n, r) => n + r.connections.length, 0),
      requestsSent: records.reduce((n, r) => n + r.connections.reduce((m, c) => m + c.events.filter(isRequest).length, 0), 0),
    },
    checks,
    stderrTail: records.flatMap((r) => r.stderrTail.map((l) => `[${r.scenario}] ${l}`)).slice(-50),
    ...(neverRan ? { fatal: { kind: 'target-start' as const, message: `the shell could not run the client command (exit ${records[0]!.exit!.code}): ${records[0]!.stderrTail.slice(-1)[0] ?? 'no stderr'}` } } : {}),
    incidents: [],
  };
}

/** A message from the client that is a request (a method and an id). */
function isRequest(e: ConnEvent): boolean {
  return e.kind === 'line' && isObject(e.line.message) && typeof e.line.message.method === 'string' && 'id' in e.line.message;
}

function verdictOf(checks: CheckResult[], strict: boolean, stopped: string | undefined): RunResult['verdict'] {
  if (checks.some((c) => c.status === 'harness-error')) return 'error';
  if (stopped || checks.some((c) => c.status === 'incomplete')) return 'incomplete';
  if (checks.some((c) => c.status === 'fail' || c.status === 'untestable' || (strict && c.status === 'warn'))) return 'non-conformant';
  return 'conformant';
}

function notRun(id: string, scenario: ScenarioName, opts: ClientRunOptions): CheckResult {
  const def = CLIENT_CHECKS.find((c) => c.id === id)!;
  return {
    id,
    title: def.title,
    section: scenario,
    level: opts.profile.levels[id]!,
    status: 'incomplete',
    message: 'not judged: the run was interrupted before this scenario ran',
    spec: `${def.spec}; draft ${opts.profile.draft}`,
    rerun: opts.rerun(scenario),
    details: { scenario },
  };
}

export { SCENARIOS };
