// Runs one check against the target and turns what it threw or returned into a result.
// Verdict mapping: the check's level comes from the profile, never from the check.
import {
  CheckFailure,
  CheckSkip,
  RepeatedRevocation,
  CheckUntestable,
  SessionRevoked,
  type CheckContext,
  type CheckDef,
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

export interface RunEnvironment {
  profile: Profile;
  seed: number;
  runs: number;
  replay?: string;
  initialize: any;
  discovery: Discovery;
  pool: TargetPool;
  transcript: Transcript;
  checkTimeout: number;
  rerun(id: string): string;
  /** Set once the run was interrupted or ran out of time: nothing new starts. */
  stopped(): string | undefined;
}

const EXCERPT_LINES = 14;

/** Where an attempt's client() connects (runner/pool.ts says what each kind is for). */
type Placement = 'shared' | 'sacrificial' | 'own';

export async function executeCheck(check: CheckDef, env: RunEnvironment): Promise<CheckResult> {
  const placement: Placement = check.process === 'sacrificial' ? 'sacrificial' : check.process === 'fresh' ? 'own' : 'shared';
  const first = await attempt(check, env, placement);
  // A sacrificial process an earlier check used may have been left damaged by it: a bad verdict
  // there is judged again on a process of this check's own before the target is blamed for it.
  if (first.inherited && isBad(first.result.status)) {
    env.transcript.add({ conn: 0, dir: 'event', text: `${check.id}: ended badly on a sacrificial process other checks used before; rerunning it on its own process`, check: check.id });
    return (await attempt(check, env, 'own')).result;
  }
  // A shared target that died mid-check may have been killed by another check: judge again on
  // a process of this check's own before blaming the target for it.
  // Likewise for sessions revoked twice on a shared target: another check may have ended them;
  // and for a failure while other checks' requests were in flight on the same process: a target
  // that mixes up concurrent requests fails the check for the others' traffic. (Not for a
  // warning: a SHOULD the target does not follow is the same alone, and a rerun costs a start.)
  const interleavedFailure = first.interleaved && first.result.status !== 'warn';
  if ((first.sharedDied || first.revokedOnShared || interleavedFailure) && isBad(first.result.status)) {
    const why = first.sharedDied
      ? 'shared target exited during the check'
      : first.revokedOnShared
        ? 'sessions were revoked twice on the shared target'
        : 'other checks\' requests were in flight on the shared target during the check';
    env.transcript.add({ conn: 0, dir: 'event', text: `${check.id}: ${why}; rerunning it on its own process`, check: check.id });
    return (await attempt(check, env, 'own')).result;
  }
  return first.result;
}

function isBad(status: Status): boolean {
  return status === 'fail' || status === 'untestable' || status === 'warn' || status === 'harness-error';
}

async function attempt(
  check: CheckDef,
  env: RunEnvironment,
  placement: Placement,
): Promise<{ result: CheckResult; sharedDied: boolean; revokedOnShared: boolean; interleaved: boolean; inherited: boolean }> {
  const ownProcess = placement !== 'shared';
  const level = env.profile.levels[check.id] as Level;
  const started = performance.now();
  const used: Connection[] = [];
  const owned: Connection[] = [];
  const clients = new Map<SessionClient, Connection>();
  const fromSeq = (env.transcript.entries.at(-1)?.seq ?? -1) + 1;

  let loan: SacrificialLoan | undefined;

  const open = async (fresh: boolean): Promise<SessionClient> => {
    const stop = env.stopped();
    if (stop) throw new CheckSkip(stop);
    // A sacrificial check's client() and its first freshClient() are the sacrificial process;
    // a later freshClient() (a model's shrinking) is a new process. SESS-ERR-5's fresh client
    // is a restart: a process started now, never one started ahead (runner/pool.ts).
    const onLoan = placement === 'sacrificial' && (!fresh || !loan);
    if (onLoan) loan ??= await env.pool.lendSacrificial(check.id);
    const conn = onLoan ? loan!.connection : fresh || ownProcess ? await env.pool.startOwn(check.id, check.process !== 'restart') : await env.pool.acquireShared(check.id);
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
    discovery: env.discovery,
    runs: env.runs,
    replay: env.replay,
    transcript: env.transcript,
    client: () => open(placement === 'own'),
    freshClient: () => open(true),
    closeFresh: async (client) => {
      const conn = clients.get(client);
      if (conn && owned.includes(conn)) await env.pool.release(conn);
    },
    note: (text) => env.transcript.add({ conn: 0, dir: 'event', text, check: check.id }),
  };

  let status: Status;
  let message: string;
  let finding: CheckFailure['finding'] | undefined;
  let details: Record<string, unknown> | undefined;
  let entries: TranscriptEntry[] | undefined;
  let revokedOnShared = false;
  try {
    const unmet = unmetNeed(check.needs ?? [], env.discovery);
    if (unmet) throw unmet;
    const note = await withDeadline(check.run(ctx), env.checkTimeout, check.id);
    status = level === 'INFO' ? 'info' : 'pass';
    message = (note as PassNote | undefined)?.message ?? 'as required';
    details = (note as PassNote | undefined)?.details;
  } catch (err) {
    if (err instanceof SessionRevoked) err = new CheckFailure(err.finding);
    if (err instanceof RepeatedRevocation && used.length > 0) revokedOnShared = true;
    if (err instanceof CheckFailure) {
      finding = err.finding;
      message = finding.message;
      details = finding.details;
      entries = finding.entries;
      status = level === 'INFO' ? 'info' : level === 'SHOULD' || finding.soft ? 'warn' : 'fail';
    } else if (err instanceof CheckSkip) {
      status = 'skip';
      message = err.message;
    } else if (err instanceof CheckUntestable) {
      status = level === 'INFO' ? 'skip' : 'untestable';
      message = `could not test: ${err.message}`;
    } else if (err instanceof DeadlineExceeded && unansweredRequests(env.transcript, check.id, fromSeq) > 0) {
      // The target, not the harness, kept the check from finishing: it could not be tested.
      status = level === 'INFO' ? 'skip' : 'untestable';
      const unanswered = unansweredRequests(env.transcript, check.id, fromSeq);
      message = `could not test: ${err.message}; the target left ${unanswered} of its requests unanswered or answered only after the request timeout`;
    } else {
      status = 'harness-error';
      message = err instanceof DeadlineExceeded ? err.message : `the harness failed: ${(err as Error)?.stack ?? String(err)}`;
    }
  } finally {
    await Promise.allSettled(owned.map((c) => env.pool.release(c)));
  }
  const sharedDied = used.some((c) => c.peer.gone);
  if (loan) {
    const lent = loan.connection;
    await env.pool.giveBack(isBad(status) || isStartFailure(lent) || lent.peer.gone);
  }
  const excerpt = entries ?? env.transcript.entries.filter((e) => e.check === check.id && e.seq >= fromSeq);
  const result: CheckResult = {
    id: check.id,
    title: check.title,
    section: check.section,
    level,
    status,
    message,
    expected: finding?.expected,
    actual: finding?.actual,
    fix: finding?.fix,
    spec: check.spec,
    transcript: status === 'pass' || status === 'skip' ? undefined : env.transcript.format(excerpt.slice(-EXCERPT_LINES), { maxLines: EXCERPT_LINES, maxChars: 600 }),
    rerun: env.rerun(check.id),
    details,
    ms: Math.round(performance.now() - started),
  };
  const interleaved = isBad(status) && used.length > 0 && otherChecksSent(env.transcript, check.id, fromSeq, new Set(used.map((c) => c.peer.conn)));
  return { result, sharedDied, revokedOnShared, interleaved, inherited: loan?.inherited === true };
}

function unmetNeed(needs: Need[], found: Discovery): Error | undefined {
  for (const need of needs) {
    if (need === 'sessions' && !found.capability) {
      return new CheckSkip('not applicable: the server does not advertise capabilities.sessions (see SESS-CAP-1)');
    }
    if (need === 'noSessions' && found.capability) return new CheckSkip('not applicable: the server advertises capabilities.sessions');
    if (need === 'referenceApp' && !found.app) {
      return new CheckSkip('not applicable: the tools do not match a known application profile (use --app to name one)');
    }
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

class DeadlineExceeded extends Error {}

/** Whether another check sent something on one of `conns` since `fromSeq` (while this check ran). */
function otherChecksSent(transcript: Transcript, check: string, fromSeq: number, conns: Set<number>): boolean {
  const entries = transcript.entries;
  for (let i = entries.length - 1; i >= 0 && entries[i]!.seq >= fromSeq; i--) {
    const e = entries[i]!;
    if (e.dir === 'out' && conns.has(e.conn) && e.check !== check) return true;
  }
  return false;
}

/** Requests this check sent that got no answer in time (still pending, or settled as timeout). */
function unansweredRequests(transcript: Transcript, check: string, fromSeq: number): number {
  const sent = transcript.entries.filter((e) => e.dir === 'out' && e.check === check && e.seq >= fromSeq && isRequest(e.json)).length;
  const exchanges = transcript.exchanges.filter((x) => x.check === check && x.requestSeq >= fromSeq);
  const answered = exchanges.filter((x) => x.outcome === 'result' || x.outcome === 'error').length;
  return Math.max(0, sent - answered);
}

function isRequest(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'method' in json && 'id' in json;
}

async function withDeadline<T>(work: Promise<T>, ms: number, id: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`${id} did not finish within its ${ms} ms deadline`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
