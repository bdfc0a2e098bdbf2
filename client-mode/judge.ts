// Turns one scenario's record into a result per CLI id: CLI-RUN-1 from how the client ran and
// which steps it took, every other id from analyze.ts. Levels come from the draft profile;
// an id with nothing to judge is `skip` saying what was missing, never `pass`.
import type { Transcript } from '../harness/transcript.js';
import type { Level, Profile } from '../harness/types.js';
import type { CheckResult, Status } from '../runner/types.js';
import { CLIENT_CHECKS, PROBE_NOTES, SCENARIOS, type ClientCheckDef } from './catalog.js';
import { analyze, label, requestsOf, type Findings, type IdFindings } from './analyze.js';
import type { ScenarioRecord } from './launch.js';
import { PROBE_TOOL } from './scripted-server.js';

export interface JudgeContext {
  profile: Profile;
  transcript: Transcript;
  deadlineMs: number;
  /** The command that reruns one scenario. */
  rerun(scenario: string): string;
  /** Ids selected (all CLI ids of the profile by default). */
  ids: readonly string[];
  transport: 'stdio' | 'http';
}

const EXCERPT_LINES = 12;

/** What each id needs, in words, when it had nothing to judge. */
const NOTHING: Record<keyof Findings, string> = {
  'CLI-WIRE-1': 'the client wrote nothing to the server',
  'CLI-STATE-1': 'the client sent no request inside a live session that had a state',
  'CLI-STATE-2': 'the client sent back no state and no session id',
  'CLI-CREATE-1': 'the client sent no sessions/create',
  'CLI-ERR-1': 'no session ended in this scenario (none was deleted and none was answered -32043)',
  'CLI-DELETE-1': 'the client created no session, or did not finish by itself (see CLI-RUN-1)',
  'CLI-BIND-1': 'the client started only one server in this scenario (or used no session on two)',
  'CLI-ID-1': 'the client sent no request',
};

/** What each id counts when it judges. */
const JUDGED: Record<keyof Findings, string> = {
  'CLI-WIRE-1': 'lines from the client',
  'CLI-STATE-1': 'requests inside a live session',
  'CLI-STATE-2': 'states and session ids sent back',
  'CLI-CREATE-1': 'sessions/create requests',
  'CLI-ERR-1': 'sessions ended (deleted or answered -32043)',
  'CLI-DELETE-1': 'sessions created',
  'CLI-BIND-1': 'requests carrying a session, over two servers',
  'CLI-ID-1': 'request ids',
};

export function judgeScenario(rec: ScenarioRecord, ctx: JudgeContext): CheckResult[] {
  const finishedOk = !rec.timedOut && !rec.interrupted && rec.exit !== null && rec.exit.code === 0;
  const findings = analyze(rec.connections, ctx.profile, finishedOk);
  const results: CheckResult[] = [];
  for (const def of CLIENT_CHECKS) {
    if (!ctx.ids.includes(def.id) || ctx.profile.levels[def.id] === undefined) continue;
    const base = { def, rec, ctx };
    if (rec.interrupted) results.push(result(base, 'incomplete', 'not judged: the run was interrupted while the scenario ran'));
    else if (rec.spawnError) results.push(result(base, 'harness-error', `the harness could not run the scenario: ${rec.spawnError}`));
    else if (def.id === 'CLI-RUN-1') results.push(judgeRun(base));
    else results.push(fromFindings(base, findings[def.id as keyof Findings]));
  }
  return results;
}

interface Base {
  def: ClientCheckDef;
  rec: ScenarioRecord;
  ctx: JudgeContext;
}

function fromFindings(b: Base, f: IdFindings): CheckResult {
  const id = b.def.id as keyof Findings;
  if (f.violations.length === 0) {
    if (f.judged === 0) return result(b, 'skip', `nothing to judge in scenario ${b.rec.scenario}: ${b.rec.connections.length === 0 ? 'the client never started the server command (see CLI-RUN-1)' : NOTHING[id]}`);
    return result(b, 'pass', `scenario ${b.rec.scenario}: ${f.judged} ${JUDGED[id]}, all as required`);
  }
  const first = f.violations[0]!;
  const more = f.violations.length > 1 ? ` (and ${f.violations.length - 1} more)` : '';
  const seqs = [...new Set(f.violations.slice(0, 3).flatMap((v) => v.seqs))];
  return result(b, 'violation', `scenario ${b.rec.scenario}, server ${label(first.server)}: ${first.text}${more}`, {
    expected: first.expected ?? b.def.title,
    actual: first.actual ?? first.text,
    seqs,
  });
}

function judgeRun(b: Base): CheckResult {
  const { rec, ctx } = b;
  const scenario = SCENARIOS.find((s) => s.name === rec.scenario)!;
  const last = rec.stderrTail.slice(-3).join(' | ');
  const stderr = last ? `; its stderr ends: ${last}` : '';
  if (rec.connections.length === 0) {
    const how = rec.timedOut ? `was still running at the deadline (${ctx.deadlineMs} ms)` : `exited (code ${rec.exit?.code}, signal ${rec.exit?.signal})`;
    const where = ctx.transport === 'http' ? 'never sent a request to MCP_CONFORMANCE_SERVER_URL' : 'never started the server command (MCP_CONFORMANCE_SERVER_COMMAND)';
    return result(b, 'violation', `the client ${where} and ${how}`, {
      expected: ctx.transport === 'http' ? 'the client connects to MCP_CONFORMANCE_SERVER_URL and runs the driver steps against it' : 'the client spawns MCP_CONFORMANCE_SERVER_COMMAND and runs the driver steps against it',
      actual: `no connection; the client ${how}${stderr}`,
    });
  }
  const missing = missingSteps(rec, ctx.profile, scenario.servers);
  if (rec.timedOut) {
    return result(b, 'violation', `the client was still running at the deadline of ${ctx.deadlineMs} ms (--timeout) and was ended${missing.length ? `; steps not seen: ${missing.join('; ')}` : ' after its last step'}`, {
      expected: `the client runs the steps and exits 0 within ${ctx.deadlineMs} ms`,
      actual: `still running after ${ctx.deadlineMs} ms${stderr}`,
      fix: 'exit when the steps are done (close the server connection, then exit 0); if the client is just slow, raise --timeout',
    });
  }
  const exit = rec.exit!;
  // A client's stdout is not its connection (client-mode/launch.ts): only its exit counts here.
  if (exit.code !== 0) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return result(b, 'violation', `the client ${how}${missing.length ? `; steps not seen: ${missing.join('; ')}` : ''}`, {
      expected: 'exit code 0 after the last step (the errors the scenario causes are expected, not fatal)',
      actual: `the client ${how}${stderr}`,
    });
  }
  if (missing.length > 0) {
    return result(b, 'violation', `the client exited 0 but did not run every driver step: ${missing.join('; ')}`, {
      expected: 'every driver step on every server of the scenario',
      actual: `not seen: ${missing.join('; ')}`,
      ...(missing.some((m) => m.startsWith(ctx.profile.methods.create))
        ? { fix: 'the server advertises capabilities.sessions: read it from the raw initialize result (the TypeScript SDK\'s Client drops capabilities it does not know), then create a session and send it on the probes' }
        : {}),
    });
  }
  return result(b, 'pass', `scenario ${rec.scenario}: the client ran every step on ${scenario.servers} server${scenario.servers > 1 ? 's' : ''} and exited 0`);
}

/** Driver steps not seen on the servers the scenario needs (deletes are CLI-DELETE-1's business). */
export function missingSteps(rec: ScenarioRecord, profile: Profile, servers: number): string[] {
  const missing: string[] = [];
  for (let k = 0; k < servers; k++) {
    const conn = rec.connections.find((c) => c.index === k);
    const where = servers > 1 ? ` on server ${label(k)}` : '';
    if (!conn) {
      missing.push(`server ${label(k)} was never started`);
      continue;
    }
    const reqs = requestsOf(conn, profile);
    const sessions = conn.server.capability;
    if (!reqs.some((r) => r.method === 'initialize')) missing.push(`initialize${where}`);
    if (sessions && !reqs.some((r) => r.method === profile.methods.create)) missing.push(`${profile.methods.create}${where}`);
    for (const note of PROBE_NOTES) {
      const probes = reqs.filter((r) => r.method === 'tools/call' && r.params.name === PROBE_TOOL && r.params.arguments?.note === note);
      if (probes.length === 0) missing.push(`${PROBE_TOOL} note "${note}"${where}`);
      else if (sessions && (note === 'first turn' || note === 'after-recreate') && !probes.some((p) => p.meta !== undefined)) {
        missing.push(`${PROBE_TOOL} note "${note}" inside a session${where}`);
      }
    }
  }
  return missing;
}

type Outcome = 'pass' | 'violation' | 'skip' | 'incomplete' | 'harness-error';

function result(b: Base, outcome: Outcome, message: string, extra: { expected?: string; actual?: string; fix?: string; seqs?: number[] } = {}): CheckResult {
  const level = b.ctx.profile.levels[b.def.id] as Level;
  const status: Status =
    outcome === 'violation' ? (level === 'MUST' ? 'fail' : level === 'SHOULD' ? 'warn' : 'info') : outcome === 'pass' ? (level === 'INFO' ? 'info' : 'pass') : outcome;
  const shown = status !== 'pass' && status !== 'skip' && status !== 'incomplete';
  return {
    id: b.def.id,
    title: b.def.title,
    section: b.rec.scenario,
    level,
    status,
    message,
    ...(shown && extra.expected ? { expected: extra.expected } : {}),
    ...(shown && extra.actual ? { actual: extra.actual } : {}),
    ...(shown ? { fix: extra.fix ?? b.def.fix } : {}),
    spec: `${b.def.spec}; draft ${b.ctx.profile.draft}`,
    ...(shown ? { transcript: excerpt(b, extra.seqs) } : {}),
    rerun: b.ctx.rerun(b.rec.scenario),
    details: { scenario: b.rec.scenario, servers: b.rec.connections.length },
    // The scenario's wall time is the client's run (CLI-RUN-1); judging the other ids takes no measurable time.
    ms: b.def.id === 'CLI-RUN-1' ? b.rec.ms : 0,
  };
}

/** The lines around the evidence, or the scenario's last lines when there is no single culprit. */
function excerpt(b: Base, seqs?: number[]): string[] {
  const all = b.ctx.transcript.entries.filter((e) => e.seq >= b.rec.fromSeq && e.seq < b.rec.toSeq);
  let picked;
  if (seqs && seqs.length > 0) {
    // Each line at fault and what the server answered to it (the next line on its connection).
    const want = new Set(seqs);
    picked = all.filter((e, i) => want.has(e.seq) || (i > 0 && want.has(all[i - 1]!.seq) && e.dir === 'out'));
  } else {
    picked = all.slice(-EXCERPT_LINES);
  }
  return b.ctx.transcript.format(picked.slice(-EXCERPT_LINES), { maxLines: EXCERPT_LINES, maxChars: 600, withProblems: true });
}
