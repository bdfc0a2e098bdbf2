// Runs one check against the target and turns what it threw or returned into a result.
// Verdict mapping: the check's level comes from the profile, never from the check.
import {
  CheckFailure,
  CheckIncomplete,
  CheckSkip,
  RepeatedRevocation,
  CheckUntestable,
  SessionRevoked,
  type CheckContext,
  specOf,
  type CheckDef,
  type FreshPurpose,
  type Need,
  type PassNote,
} from '../suites/check.js';
import type { Discovery } from '../harness/discovery.js';
import type { Connection } from '../harness/mcp.js';
import { isStartFailure, type SacrificialLoan, type TargetPool } from './pool.js';
import { createRandom } from '../harness/random.js';
import { SessionClient } from '../harness/session-client.js';
import type { Transcript } from '../harness/transcript.js';
import type { Level, Profile, TranscriptEntry } from '../harness/types.js';
import type { CheckResult, Status } from './types.js';
import type { TargetInfo } from '../suites/check.js';
import { DeadlineExceeded, missedDeadline, RunStopped, trafficOf, withGrowingDeadline } from './deadline.js';

export interface RunEnvironment {
  profile: Profile;
  seed: number;
  runs: number;
  replay?: string;
  initialize: any;
  /** Whether the first process advertised capabilities.sessions (known before discovery ends). */
  capability: boolean;
  /** What discovery found; absent while it runs (only `beforeDiscovery` checks start then). */
  discovery?: Discovery;
  /** Discovery's findings once it ended (rejects when the run was cut short during it). */
  discovered: Promise<Discovery>;
  pool: TargetPool;
  transcript: Transcript;
  /** Base allowance of one check (ms); its deadline grows with the requests it sends (D18). */
  checkTimeout: number;
  /** The run's --timeout and --start-timeout (ms). */
  requestTimeout: number;
  startTimeout: number;
  rerun(id: string): string;
  /** How the target is spoken to, and whether its process is the suite's (not a --url server). */
  target?: TargetInfo;
  /** Set once the run was interrupted or ran out of time: nothing new starts. */
  stopped(): string | undefined;
  /** Aborted when the run is cut short: checks in flight end at once as `incomplete`. */
  stopSignal?: AbortSignal;
  /** Called when a check gives the sacrificial process back (the next may start its turn). */
  turnReturned?(checkId: string): void;
  /** How many sacrificial turns come after this check's (runner/lanes.ts). */
  turnsAfter?(checkId: string): number;
}

/** A shared target process that died while this check ran on it. */
export interface SharedDeath {
  conn: number;
  check: string;
  exit: { code: number | null; signal: string | null } | null;
  stderrTail: string[];
}

export interface CheckOutcome {
  result: CheckResult;
  /** Shared processes that died during the first attempt. */
  deaths: SharedDeath[];
  /** The check was judged again on a process of its own (only that result is kept). */
  rerun: boolean;
  /** A rerun on a process of its own saw its target die too: the check explains the death. */
  reproduced: boolean;
}

const EXCERPT_LINES = 14;
/** Bounds of a failing check's whole exchange (the HTML report shows it behind the excerpt). */
const EXCHANGE_LINES = 400;
const EXCHANGE_LINE_CHARS = 2000;

/** Where an attempt's client() connects (runner/pool.ts says what each kind is for). */
type Placement = 'shared' | 'sacrificial' | 'own';

export async function executeCheck(check: CheckDef, env: RunEnvironment): Promise<CheckOutcome> {
  const placement: Placement = check.process === 'sacrificial' ? 'sacrificial' : check.process === 'fresh' ? 'own' : 'shared';
  const first = await attempt(check, env, placement);
  const deaths = first.deaths;
  const rerun = async (why: string): Promise<CheckOutcome> => {
    env.transcript.add({ conn: 0, dir: 'event', text: `${check.id}: ${why}; rerunning it on its own process`, check: check.id });
    const again = await attempt(check, env, 'own');
    return { result: again.result, deaths, rerun: true, reproduced: again.ownDied || again.deaths.length > 0 };
  };
  if (!isBad(first.result.status) || env.stopped()) return { result: first.result, deaths, rerun: false, reproduced: false };
  // A sacrificial process an earlier check used may have been left damaged by it: a bad verdict
  // there is judged again on a process of this check's own before the target is blamed for it.
  if (first.inherited) return rerun('ended badly on a sacrificial process other checks used before');
  // A shared target that died mid-check may have been killed by another check: judge again on
  // a process of this check's own before blaming the target for it. Only the rerun's result is
  // kept; a death no rerun reproduces is reported by the runner as an incident of its own.
  // Likewise for sessions revoked twice on a shared target: another check may have ended them;
  // and for a failure while other checks' requests were in flight on the same process: a target
  // that mixes up concurrent requests fails the check for the others' traffic. (Not for a
  // warning: a SHOULD the target does not follow is the same alone, and a rerun costs a start.)
  if (deaths.length > 0) return rerun('shared target exited during the check');
  if (first.revokedOnShared) return rerun('sessions were revoked twice on the shared target');
  if (first.interleaved && first.result.status !== 'warn') return rerun("other checks' requests were in flight on the shared target during the check");
  return { result: first.result, deaths, rerun: false, reproduced: false };
}

/**
 * A warning judged on what the target answered (a SHOULD it does not follow; a finding D1/D7
 * soften), on a sacrificial process that is still running and answered every request of the
 * check: the process is not retired, so the next turn needs no new start (a server that answers
 * isError results, or shares data across sessions on purpose, D16, warns on nearly every run).
 * Nothing is blamed on it: a bad verdict of a later check there is judged again on a process of
 * that check's own (executeCheck: `inherited`). A failure, a missed deadline or a request left
 * unanswered still retires it. (Its note is labelled 'sacrificial', as the pool's starts are.)
 */
function warnedOnSoundProcess(
  status: Status,
  finding: CheckFailure['finding'] | undefined,
  loan: SacrificialLoan | undefined,
  returned: boolean,
  transcript: Transcript,
  id: string,
  fromSeq: number,
): boolean {
  if (status !== 'warn' || !finding || !loan || returned || isStartFailure(loan.connection) || loan.connection.peer.gone) return false;
  const traffic = trafficOf(transcript, id, fromSeq);
  if (traffic.unanswered > 0 || traffic.lost > 0 || traffic.inFlight > 0) return false;
  transcript.add({ conn: loan.connection.peer.conn, dir: 'event', text: `${id} warned on sacrificial process ${loan.connection.peer.conn}, which answered every request of the check: it stays for the next turn`, check: 'sacrificial' });
  return true;
}

function isBad(status: Status): boolean {
  return status === 'fail' || status === 'untestable' || status === 'warn' || status === 'harness-error';
}

async function attempt(
  check: CheckDef,
  env: RunEnvironment,
  placement: Placement,
): Promise<{ result: CheckResult; deaths: SharedDeath[]; ownDied: boolean; revokedOnShared: boolean; interleaved: boolean; inherited: boolean }> {
  const ownProcess = placement !== 'shared';
  const level = env.profile.levels[check.id] as Level;
  const started = performance.now();
  const used: Connection[] = [];
  const owned: Connection[] = [];
  const clients = new Map<SessionClient, Connection>();
  const fromSeq = env.transcript.nextSeq();
  let starts = 0;
  /** Processes of this check's own that died by themselves (not closed by the harness). */
  const diedOnTheirOwn = new Set<Connection>();
  const released = new Set<Connection>();
  /** Checks whose requests this one waits for (their traffic grows its deadline too). */
  const waitedOn = new Set<string>();

  let loan: SacrificialLoan | undefined;
  /** The sacrificial turn was given back before the check ended (ctx.doneWithTarget). */
  let loanReturned = false;
  const giveBackLoan = async (retire: boolean) => {
    if (!loan || loanReturned) return;
    loanReturned = true;
    const lent = loan.connection;
    await env.pool.giveBack(retire || isStartFailure(lent) || lent.peer.gone);
    env.turnReturned?.(check.id);
  };

  const open = async (fresh: boolean, purpose?: FreshPurpose): Promise<SessionClient> => {
    const stop = env.stopped();
    if (stop) throw new CheckIncomplete(stop);
    // A sacrificial check's client() and its first freshClient() are the sacrificial process;
    // a later freshClient() (a model's shrinking) is a new process. SESS-ERR-5's fresh client
    // is a restart: a process started now, never one started ahead (runner/pool.ts).
    const onLoan = placement === 'sacrificial' && (!fresh || !loan);
    if (loanReturned) throw new Error(`harness bug: ${check.id} opened a client after it was done with its target (doneWithTarget)`);
    if (onLoan) loan ??= await env.pool.lendSacrificial(check.id);
    if (!onLoan && (fresh || ownProcess)) starts++;
    const conn = onLoan
      ? loan!.connection
      : fresh || ownProcess
        ? await env.pool.startOwn(check.id, check.process !== 'restart', purpose === 'protocol-model')
        : await env.pool.acquireShared(check.id);
    if (isStartFailure(conn)) {
      throw new CheckUntestable(`a target process could not be started for this check (${conn.reason}: ${conn.detail})`);
    }
    if (!onLoan) (fresh || ownProcess ? owned : used).push(conn);
    const idPrefix = createRandom(env.seed, `${check.id}#${clients.size}#${ownProcess}`).hex(8);
    const client = new SessionClient(conn.peer, env.profile, check.id, idPrefix);
    clients.set(client, conn);
    return client;
  };

  const ctx: CheckContext = {
    id: check.id,
    profile: env.profile,
    level,
    seed: env.seed,
    random: createRandom(env.seed, check.id),
    initialize: env.initialize,
    get discovery(): Discovery {
      if (!env.discovery) throw new Error(`harness bug: ${check.id} read ctx.discovery before discovery ended (await ctx.discovered() first)`);
      return env.discovery;
    },
    discovered: async () => {
      // Waiting for discovery: its requests grow this check's deadline as its own would (D18).
      if (!env.discovery) waitedOn.add('discovery');
      const found = await env.discovered;
      const unmet = unmetNeed(check.needs ?? [], found);
      if (unmet) throw unmet;
      return found;
    },
    runs: env.runs,
    replay: env.replay,
    requestTimeout: env.requestTimeout,
    stopped: env.stopped,
    waitsOn: (other) => void waitedOn.add(other),
    transcript: env.transcript,
    target: env.target ?? { transport: 'stdio', ownsProcess: true },
    client: () => open(placement === 'own'),
    freshClient: (purpose) => open(true, purpose),
    closeFresh: async (client) => {
      const conn = clients.get(client);
      if (conn && owned.includes(conn)) {
        if (conn.peer.gone) diedOnTheirOwn.add(conn);
        released.add(conn);
        await env.pool.release(conn);
      }
    },
    note: (text) => env.transcript.add({ conn: 0, dir: 'event', text, check: check.id }),
    // Only the scripted part ran on the sacrificial process, and it ended well (a failure would
    // have thrown before): the process is retired only if it is gone.
    doneWithTarget: async () => {
      if (loan && !loanReturned && !isStartFailure(loan.connection)) {
        env.transcript.add({ conn: loan.connection.peer.conn, dir: 'event', text: `${check.id} gave the sacrificial process back before its end (it waits for the protocol model)`, check: check.id });
      }
      await giveBackLoan(false);
    },
    keepProcess: async () => {
      if (!loan || loanReturned || isStartFailure(loan.connection)) return;
      const kept = loan.connection;
      env.pool.detachSacrificial((env.turnsAfter?.(check.id) ?? 0) > 0);
      owned.push(kept);
      env.transcript.add({ conn: kept.peer.conn, dir: 'event', text: `${check.id} waits up to ${env.requestTimeout} ms (--timeout) for an answer that may come late, keeping process ${kept.peer.conn} to itself; the next check takes a new process`, check: check.id });
      await giveBackLoan(false);
    },
  };

  let status: Status;
  let message: string;
  let finding: CheckFailure['finding'] | undefined;
  let details: Record<string, unknown> | undefined;
  let entries: TranscriptEntry[] | undefined;
  let revokedOnShared = false;
  let ownDied = false;
  let reportedLevel: Level = level;
  try {
    // A check that starts beside discovery is judged now on what initialize said, and on the
    // rest of its needs when it awaits ctx.discovered().
    const unmet = env.discovery
      ? unmetNeed(check.needs ?? [], env.discovery)
      : unmetNeed((check.needs ?? []).filter((n) => n === 'sessions' || n === 'noSessions'), { capability: env.capability, tools: [], notes: [] });
    if (unmet) throw unmet;
    if (check.process === 'restart' && env.target?.ownsProcess === false) {
      throw new CheckSkip('not applicable: the target is an already running server (--url); the suite cannot restart it, and a new connection to the same process is no restart (launch it with --server "<cmd with {port}>" --url …{port}… to judge this)');
    }
    const budget = { baseMs: env.checkTimeout, perRequestMs: env.requestTimeout, perStartMs: env.startTimeout };
    const usage = () => ({
      requests: [check.id, ...waitedOn].reduce((n, id) => n + trafficOf(env.transcript, id, fromSeq).sent, 0),
      starts,
    });
    const stop = env.stopSignal ? { signal: env.stopSignal, reason: env.stopped } : undefined;
    const note = await withGrowingDeadline(check.run(ctx), budget, usage, check.id, stop);
    status = level === 'INFO' ? 'info' : 'pass';
    message = (note as PassNote | undefined)?.message ?? 'as required';
    details = (note as PassNote | undefined)?.details;
    entries = (note as PassNote | undefined)?.entries;
  } catch (err) {
    if (err instanceof SessionRevoked) err = new CheckFailure(err.finding);
    if (err instanceof RepeatedRevocation && used.length > 0) revokedOnShared = true;
    if (err instanceof CheckFailure) {
      finding = err.finding;
      message = finding.message;
      details = finding.details;
      entries = finding.entries;
      status = level === 'INFO' ? 'info' : level === 'SHOULD' || finding.soft ? 'warn' : 'fail';
      if (finding.soft && level === 'MUST') {
        // D23: status and level agree. A decision (D1, D7) makes this MUST violation a lesser
        // failure: it is judged, and reported, at SHOULD, naming the MUST rule it relates to.
        reportedLevel = 'SHOULD';
        message = `${message} (reported as a SHOULD-level warning: ${check.id} is a MUST under draft ${env.profile.draft}, and a decision (D1/D7) makes this form of it a lesser failure)`;
        details = { ...details, relatesTo: `${check.id} (MUST under draft ${env.profile.draft})` };
      }
    } else if (err instanceof CheckSkip) {
      status = 'skip';
      message = err.message;
    } else if (err instanceof CheckIncomplete || err instanceof RunStopped) {
      status = 'incomplete';
      message = `not judged: ${err.message}`;
    } else if (err instanceof CheckUntestable) {
      status = level === 'INFO' ? 'skip' : 'untestable';
      message = `could not test: ${err.message}`;
    } else if (err instanceof DeadlineExceeded) {
      const traffic = [check.id, ...waitedOn].map((id) => trafficOf(env.transcript, id, fromSeq));
      const sum = (k: keyof (typeof traffic)[number]) => traffic.reduce((n, t) => n + t[k], 0);
      const total = { sent: sum('sent'), answered: sum('answered'), unanswered: sum('unanswered'), lost: sum('lost'), inFlight: sum('inFlight') };
      ({ status, message } = missedDeadline(err, total, level, env.requestTimeout));
    } else {
      status = 'harness-error';
      message = `the harness failed: ${(err as Error)?.stack ?? String(err)}`;
    }
  } finally {
    for (const c of owned) if (c.peer.gone && !released.has(c)) diedOnTheirOwn.add(c);
    ownDied = diedOnTheirOwn.size > 0;
    // A restart check hands its restart process over to the protocol model (runner/pool.ts),
    // unless the check ended badly on it; the pool takes it only once, and only alive.
    let handed: Connection | undefined;
    if (check.process === 'restart') {
      const restart = owned.find((c) => !released.has(c));
      const endedWell = status! === 'pass' || status! === 'info' || status! === 'skip';
      if (env.pool.handOver(endedWell ? restart : undefined)) handed = restart;
    }
    const closing = Promise.allSettled(owned.filter((c) => c !== handed).map((c) => env.pool.release(c)));
    // A check whose result shows no transcript excerpt does not wait for its processes' exits
    // (the run waits for every close before it ends); one that does waits, so that its excerpt
    // ends with what they printed on the way out.
    if (!(status! === 'pass' || status! === 'skip' || status! === 'incomplete')) await closing;
  }
  const deaths: SharedDeath[] = [...new Set(used)]
    .filter((c) => c.peer.gone)
    .map((c) => ({ conn: c.peer.conn, check: check.id, exit: c.peer.exited, stderrTail: c.peer.stderrTail().slice(-10) }));
  await giveBackLoan(isBad(status) && !warnedOnSoundProcess(status, finding, loan, loanReturned, env.transcript, check.id, fromSeq));
  const excerpt = entries ?? env.transcript.entries.filter((e) => e.check === check.id && e.seq >= fromSeq);
  const explained = !(status === 'pass' || status === 'skip' || status === 'incomplete');
  const transcript = explained ? env.transcript.format(excerpt.slice(-EXCERPT_LINES), { maxLines: EXCERPT_LINES, maxChars: 600 }) : undefined;
  const exchange = explained ? wholeExchange(env.transcript, excerpt) : undefined;
  const result: CheckResult = {
    id: check.id,
    title: check.title,
    section: check.section,
    level: reportedLevel,
    status,
    message,
    expected: finding?.expected,
    actual: finding?.actual,
    fix: finding?.fix,
    spec: specOf(check, env.profile),
    transcript,
    // Only when the excerpt leaves something out, so a short exchange is not held twice.
    exchange: exchange && transcript && exchange.join('\n') !== transcript.join('\n') ? exchange : undefined,
    rerun: env.rerun(check.id),
    details,
    ms: Math.round(performance.now() - started),
  };
  const interleaved = isBad(status) && used.length > 0 && otherChecksSent(env.transcript, check.id, fromSeq, new Set(used.map((c) => c.peer.conn)));
  return { result, deaths, ownDied, revokedOnShared, interleaved, inherited: loan?.inherited === true };
}

/**
 * A check's whole exchange as transcript lines, bounded: past EXCHANGE_LINES it keeps the end
 * (where the problem showed) and says how many earlier lines were not kept.
 */
export function wholeExchange(transcript: Transcript, entries: readonly TranscriptEntry[]): string[] {
  const left = Math.max(0, entries.length - (EXCHANGE_LINES - 1));
  const lines = transcript.format(entries.slice(left), { maxChars: EXCHANGE_LINE_CHARS });
  return left > 0 ? [`… ${left} earlier lines not kept`, ...lines] : lines;
}

function unmetNeed(needs: Need[], found: Discovery): Error | undefined {
  for (const need of needs) {
    if (need === 'sessions' && !found.capability) {
      return new CheckSkip('not applicable: the server does not advertise capabilities.sessions (see SESS-CAP-1)');
    }
    if (need === 'noSessions' && found.capability) return new CheckSkip('not applicable: the server advertises capabilities.sessions');
    if (need === 'probeTool' && !found.probe) {
      return new CheckUntestable(`no tool works inside a session, so nothing can carry session metadata (${notes(found)}); name one with --tool and --tool-args`);
    }
    if (need === 'sessionTool' && !found.sessionTool) {
      return new CheckUntestable(`the target has no session-only tool (${notes(found)}); name one with --tool and --tool-args`);
    }
  }
  return undefined;
}

function notes(found: Discovery): string {
  return found.notes.length > 0 ? found.notes.join('; ') : 'no tools listed';
}

/** Whether another check sent something on one of `conns` since `fromSeq` (while this check ran). */
function otherChecksSent(transcript: Transcript, check: string, fromSeq: number, conns: Set<number>): boolean {
  const entries = transcript.entries;
  for (let i = entries.length - 1; i >= 0 && entries[i]!.seq >= fromSeq; i--) {
    const e = entries[i]!;
    if (e.dir === 'out' && conns.has(e.conn) && e.check !== check) return true;
  }
  return false;
}
