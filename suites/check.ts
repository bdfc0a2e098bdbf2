// How a check is declared and what it may use. A check says what it does to the target and
// what the target must do; its level (MUST / SHOULD / INFO) comes from the selected profile.
import type { Level, Outcome, Profile, SessionMetadata, TranscriptEntry } from '../harness/types.js';
import type { SessionClient } from '../harness/session-client.js';
import type { Transcript } from '../harness/transcript.js';
import type { Discovery } from '../harness/discovery.js';
import type { Random } from '../harness/random.js';

export type { Random };

export type Section =
  | 'capability'
  | 'create'
  | 'ids'
  | 'use'
  | 'state'
  | 'expiry'
  | 'errors'
  | 'required'
  | 'delete'
  | 'isolation'
  | 'base'
  | 'http';

/** What a check needs from the target; a missing need makes it skipped or untestable. */
export type Need =
  | 'sessions' //      the server advertises capabilities.sessions (else: skipped, not applicable)
  | 'noSessions' //    the server does NOT advertise it (else: skipped)
  | 'probeTool' //     a tool that succeeds when called inside a session (else: untestable)
  | 'sessionTool'; //  a session-only tool (fails without a session, works inside one) (else: untestable)

/**
 * Why a check asks for a process of its own: 'protocol-model' — the protocol model explores on
 * it, which may be a process a restart check handed over (runner/pool.ts) rather than a new one.
 */
export type FreshPurpose = 'protocol-model';

export interface CheckContext {
  readonly id: string;
  readonly profile: Profile;
  readonly level: Level;
  readonly seed: number;
  /** Deterministic per (seed, check id). */
  readonly random: Random;
  /** Raw initialize result of the first connection, capabilities exactly as sent. */
  readonly initialize: any;
  /**
   * What discovery found. A check that starts before discovery ends (`beforeDiscovery`) must not
   * read it before `await ctx.discovered()` (reading it earlier is a harness bug, and throws).
   */
  readonly discovery: Discovery;
  /**
   * Discovery's findings once it ended, after the check's needs were judged on them (an unmet
   * need throws the skip or untestable it means). Immediate for a check that starts after it.
   */
  discovered(): Promise<Discovery>;
  /** Property-based checks: number of runs (--runs) and an exact replay request (--replay). */
  readonly runs: number;
  readonly replay?: string;
  /** The run's per-request deadline (--timeout, ms): every wait of a check honours it (D18). */
  readonly requestTimeout: number;
  /** Set once the run was cut short (run deadline, interrupt): a long check stops and says so. */
  stopped(): string | undefined;
  /**
   * This check waits for work another check started on its behalf (the shared protocol model):
   * its deadline grows with that check's requests too.
   */
  waitsOn?(checkId: string): void;
  /** A client on a shared target process, tagged with this check. */
  client(): Promise<SessionClient>;
  /** A client on a process of its own (started now, closed after the check). */
  freshClient(purpose?: FreshPurpose): Promise<SessionClient>;
  /** Stops the check's own process (fresh clients only), e.g. to restart it. */
  closeFresh(client: SessionClient): Promise<void>;
  /**
   * The check sends nothing more: a process it holds alone (the sacrificial one) goes to the
   * next check now, e.g. while this one waits for the protocol model's findings. Its clients
   * must not be used afterwards.
   */
  doneWithTarget?(): Promise<void>;
  /**
   * From now on the check only waits on its process (for an answer that may come late, up to
   * --timeout, D18): the sacrificial process becomes its own, closed at its end, and the next
   * check's turn begins now on a new process instead of after this wait. No effect on a process
   * that is already the check's own.
   */
  keepProcess?(): Promise<void>;
  /** How the target is spoken to; absent: stdio, a process of the suite's own. */
  readonly target?: TargetInfo;
  /** The whole run's transcript (observer checks read it after every active check ended). */
  readonly transcript: Transcript;
  /** Adds a note line to the transcript under this check. */
  note(text: string): void;
}

export interface TargetInfo {
  transport: 'stdio' | 'http';
  /** False for an already running server (--url alone): one process, never restarted by the suite. */
  ownsProcess: boolean;
}

export interface CheckDef {
  id: string;
  title: string;
  section: Section;
  /**
   * How the suite tests the rule, in one sentence: what it sends or observes and what it
   * expects (shown by `explain <id>` and `list --json`). Optional in the type so a check can be
   * drafted without it; test/cli/explain.test.ts requires it of every check in the catalog.
   */
  how?: string;
  /**
   * Where the rule comes from: draft section and/or decision, "derived" when implied. A function
   * when the source differs between draft revisions: it cites the revision being run.
   */
  spec: string | ((profile: Profile) => string);
  needs?: Need[];
  /**
   * Where client() connects (runner/pool.ts): 'shared' (default) with other checks;
   * 'sacrificial': alone, on the run's process for checks that may break the target, in turn
   * with the other such checks; 'fresh': a process no check used (a clean slate); 'restart':
   * shared, and freshClient() is a process started at that moment, never one started ahead.
   */
  process?: 'shared' | 'sacrificial' | 'fresh' | 'restart';
  /**
   * A sacrificial check that takes the first turn, on a process no check used: a bad ending
   * there is the target's at once, where after another check's turn it is judged again on a
   * process of its own. For the checks that end badly most often on real servers (in catalog
   * order among themselves).
   */
  firstTurn?: boolean;
  /** 'observe': runs after every active check, over the whole run's transcript. */
  phase?: 'active' | 'observe';
  /**
   * Starts the moment the first process answered initialize, beside discovery, when a long wait
   * of the check's own (a restart's start) can begin before discovery's findings are needed.
   * Only the needs 'sessions' / 'noSessions' are judged before it starts (from initialize); the
   * others when it awaits `ctx.discovered()`, which it must before reading `ctx.discovery`.
   */
  beforeDiscovery?: boolean;
  run(ctx: CheckContext): Promise<void | PassNote>;
}

/** A passing check may say what it saw (shown for INFO checks and in verbose output). */
export interface PassNote {
  message: string;
  details?: Record<string, unknown>;
  /** The transcript lines to show for it (default: the check's last lines, in time order). */
  entries?: TranscriptEntry[];
}

export function defineCheck(def: CheckDef): CheckDef {
  return def;
}

/** The check's `spec` as it reads under `profile`. */
export function specOf(def: Pick<CheckDef, 'spec'>, profile: Profile): string {
  return typeof def.spec === 'function' ? def.spec(profile) : def.spec;
}

// ---------------------------------------------------------------------------------------------
// Verdicts are thrown, so a check reads top to bottom: probe, expect, done.

export interface Finding {
  message: string;
  expected: string;
  actual: string;
  fix: string;
  /** A lesser failure (e.g. an isError result where a JSON-RPC error is due under D7): a warning. */
  soft?: boolean;
  details?: Record<string, unknown>;
  /** The transcript lines that show the problem (default: the check's last lines). */
  entries?: TranscriptEntry[];
}

export class CheckFailure extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}
/** A session the check created was revoked on both attempts (see allowingRevocation). */
export class RepeatedRevocation extends CheckFailure {}
export class CheckSkip extends Error {}
export class CheckUntestable extends Error {}
/**
 * The check was not fully judged: the run was cut short or a time budget ended it before every
 * case ran (D17, D18). Reported as `incomplete`, never as pass or skip.
 */
export class CheckIncomplete extends Error {}
/** A -32043 on a session the check created moments ago: revocation (D12), not a failure. */
export class SessionRevoked extends Error {
  constructor(
    readonly sessionId: string,
    readonly finding: Finding,
  ) {
    super(`session ${sessionId} was revoked`);
  }
}

export function fail(finding: Finding): never {
  throw new CheckFailure(finding);
}
export function skip(reason: string): never {
  throw new CheckSkip(reason);
}
export function untestable(missing: string): never {
  throw new CheckUntestable(missing);
}
export function incomplete(why: string): never {
  throw new CheckIncomplete(why);
}

/**
 * Runs `attempt` and, if it reports a revoked session, runs it once more with fresh sessions
 * (D12). A second revocation is judged: the finding it carries becomes the failure — unless the
 * check ran on a shared target, where another check's traffic may have caused it: the runner
 * then judges the check again on a target of its own.
 */
export async function allowingRevocation<T>(attempt: (n: number) => Promise<T>): Promise<T> {
  try {
    return await attempt(1);
  } catch (err) {
    if (!(err instanceof SessionRevoked)) throw err;
    try {
      return await attempt(2);
    } catch (again) {
      if (again instanceof SessionRevoked) throw new RepeatedRevocation(again.finding);
      throw again;
    }
  }
}

export type { Outcome, SessionMetadata };
