// The protocol model's state (what the harness believes about each session slot) and the
// judgements every command shares: echoes, "Session not found" errors, one answer per request.
import { describeOutcome, isToolError, succeeded } from '../../harness/discovery.js';
import type { SessionClient } from '../../harness/session-client.js';
import type { Outcome, TranscriptEntry } from '../../harness/types.js';
import { validate } from '../../harness/validate.js';
import type { CheckContext } from '../check.js';
import { echoOf, isObject, quote, showDifference } from '../expect.js';
import type { Judge, StepFinding } from './engine.js';

export type SlotStatus =
  | 'empty' //    never created in this run
  | 'live' //     created, believed usable
  | 'deleted' //  deleted by the harness (DELETE-2 / DELETE-3 apply)
  | 'revoked' //  the server answered "Session not found" on its own (D12)
  | 'unknown'; // a violation or an unexpected answer left it in a state the model cannot judge

export interface Slot {
  readonly index: number;
  status: SlotStatus;
  id?: string;
  /** Every distinct state token the server issued for this session, oldest first. */
  states: string[];
  /** A correct echo was seen: a later different id is a rotation (SESS-ID-4). */
  echoedOk: boolean;
  /** In a concurrent batch with two calls: which state is "newest" is the server's choice (D11). */
  ambiguous: boolean;
  /** Another session was deleted since this one's last success (a failure then is DELETE-5). */
  othersDeleted: boolean;
}

export interface ProtocolModel {
  slots: Slot[];
  /** Every id created in this run (SESS-CREATE-4). */
  created: Set<string>;
  /** The target exited or stopped answering: nothing after it is judged. */
  targetGone: boolean;
}

export function newModel(slots: number): ProtocolModel {
  return {
    slots: Array.from({ length: slots }, (_, index) => ({
      index,
      status: 'empty' as SlotStatus,
      states: [],
      echoedOk: false,
      ambiguous: false,
      othersDeleted: false,
    })),
    created: new Set(),
    targetGone: false,
  };
}


const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** The system under test for one run, plus the run's log and the judge. */
export class ProtocolReal {
  readonly log: string[] = [];
  private stepStart = 0;

  constructor(
    readonly client: SessionClient,
    readonly ctx: CheckContext,
    readonly judge: Judge,
  ) {}

  get notFound(): number {
    return this.ctx.profile.errors.sessionNotFound;
  }

  get probe(): { name: string; args: Record<string, unknown>; sessionOnly: boolean } {
    return this.ctx.discovery.probe!;
  }

  beginStep(label: string): void {
    this.stepStart = this.ctx.transcript.nextSeq();
    this.log.push(label);
  }

  /** Adds what the step saw to its log line. */
  saw(text: string): void {
    this.log[this.log.length - 1] += ` → ${text}`;
  }

  /** The transcript lines of the current step on this run's connection. */
  stepEntries(): TranscriptEntry[] {
    const all = this.ctx.transcript.entries;
    const out: TranscriptEntry[] = [];
    for (let i = all.length - 1; i >= 0 && all[i]!.seq >= this.stepStart; i--) {
      const e = all[i]!;
      if (e.conn === this.client.peer.conn && e.dir !== 'event') out.push(e);
    }
    return out.reverse().slice(-12);
  }

  /** Reports a violation; a slot it concerns is no longer judged (its true state is unknown). */
  violate(ids: string[], finding: StepFinding, slot?: Slot): void {
    if (slot) slot.status = 'unknown';
    this.saw(`VIOLATES ${ids.join(', ')}`);
    this.judge.violation(ids, finding, this.log, this.stepEntries());
  }

  /** A request that got no answer (timeout) or whose target died: stops the run's judging. */
  noAnswer(model: ProtocolModel, outcome: Outcome): boolean {
    if (outcome.kind !== 'timeout' && outcome.kind !== 'exit') return false;
    model.targetGone = true;
    return true;
  }

  /** SESS-ERR-2: a "Session not found" error names the id the request carried. */
  judgeNotFound(outcome: Outcome, sentId: string, slot?: Slot): void {
    if (outcome.kind !== 'error' || outcome.error.code !== this.notFound) return;
    const data = outcome.error.data;
    const named = isObject(data) ? data.sessionId : undefined;
    if (typeof outcome.error.message === 'string' && named === sentId) return;
    this.violate(
      ['SESS-ERR-2'],
      {
        message: `a ${this.notFound} error did not name the session the request carried`,
        expected: `{"code":${this.notFound},"message":"<text>","data":{"sessionId":${JSON.stringify(sentId)}}}`,
        actual: describeOutcome(outcome),
        fix:
          typeof named === 'string'
            ? `put the id from the request into error.data.sessionId: ${showDifference(sentId, named)}`
            : `add data: {"sessionId": <the id the request carried>} to every ${this.notFound} error`,
      },
      slot,
    );
  }

  /**
   * The echo of a successful call: valid SessionMetadata (USE-2) whose id is visible ASCII
   * (ID-1) and the request's own (ID-3), never a new one (ID-4) — or, in a concurrent batch,
   * another request's (USE-4). No echo at all is SESS-USE-1's business, not the model's.
   */
  judgeEcho(outcome: Outcome, slot: Slot, batchIds?: ReadonlySet<string>): void {
    const echo = echoOf(outcome, this.ctx);
    if (echo === undefined) return;
    const sentId = slot.id!;
    const schema = validate('session-metadata', echo);
    if (!schema.valid) {
      this.violate(
        ['SESS-USE-2'],
        {
          message: 'the session metadata echoed on a success is not valid SessionMetadata',
          expected: 'an object {sessionId: string, state?: string, expiresAt?: string}',
          actual: `${quote(echo)}: ${schema.text}`,
          fix: 'echo the session as an object with a string sessionId; state and expiresAt, when present, must be strings',
        },
        slot,
      );
      return;
    }
    const echoedId = (echo as { sessionId: string }).sessionId;
    if (!VISIBLE_ASCII.test(echoedId)) {
      this.violate(
        ['SESS-ID-1'],
        {
          message: 'an echoed session id holds characters other than visible ASCII',
          expected: 'a non-empty id of characters 0x21–0x7E only',
          actual: JSON.stringify(echoedId),
          fix: 'mint ids from visible ASCII only (e.g. a UUID or hex), and echo them unchanged',
        },
        slot,
      );
      return;
    }
    if (echoedId === sentId) {
      slot.echoedOk = true;
      return;
    }
    if (batchIds?.has(echoedId)) {
      this.violate(
        ['SESS-USE-4'],
        {
          message: 'in a batch of concurrent requests, a response echoed another request\'s session',
          expected: `the echo of a request in session ${sentId} names ${sentId}`,
          actual: `it names ${echoedId}, the session of another request sent at the same time`,
          fix: 'build each response\'s echo from its own request (pass the session along the request\'s call chain; never keep the "current session" in shared mutable state across awaits)',
        },
        slot,
      );
      return;
    }
    const ids = slot.echoedOk ? ['SESS-ID-3', 'SESS-ID-4'] : ['SESS-ID-3'];
    this.violate(
      ids,
      {
        message: slot.echoedOk
          ? 'the session id changed during the session\'s life: a later echo names a different id'
          : 'the echoed session id differs from the one the request carried',
        expected: `every echo in this session names ${sentId}, byte for byte`,
        actual: showDifference(sentId, echoedId),
        fix: 'echo exactly the sessionId the request carried; never rotate or rewrite an id over a session\'s life (issue a new session with sessions/create instead)',
      },
      slot,
    );
  }

  /** Remembers the newest state the client now holds for the slot's session. */
  noteState(slot: Slot): void {
    const state = this.client.newestState(slot.id!);
    if (state !== undefined && slot.states.at(-1) !== state) slot.states.push(state);
  }

  describe(outcome: Outcome): string {
    if (succeeded(outcome)) {
      const echo = echoOf(outcome, this.ctx);
      return echo === undefined ? 'success (no echo)' : `success, echo ${quote(echo, 120)}`;
    }
    if (isToolError(outcome)) return `isError result`;
    if (outcome.kind === 'error') return `error ${outcome.error.code}`;
    return describeOutcome(outcome);
  }
}

export function isNotFound(outcome: Outcome, code: number): boolean {
  return outcome.kind === 'error' && outcome.error.code === code;
}

export { describeOutcome, succeeded, isToolError, VISIBLE_ASCII };
