// The commands of the protocol model. Each one sends something to the target, judges the
// answer against what the model believes, and updates the model. Slots name sessions by
// position, so a shrunk case replays against a new process where the ids differ.
import type fc from 'fast-check';
import type { Outcome } from '../../harness/types.js';
import { hasLoneSurrogate } from '../expect.js';
import { clip, nearMissShapes, tamper, type HostileState } from './arbitraries.js';
import {
  describeOutcome,
  isNotFound,
  isToolError,
  succeeded,
  VISIBLE_ASCII,
  type ProtocolModel,
  type ProtocolReal,
  type Slot,
} from './protocol-state.js';

export type Cmd = fc.AsyncCommand<ProtocolModel, ProtocolReal>;
/** Every request waits the run's --timeout (the peer's default): speed never changes a verdict (D18). */
export const opts = {};

export const slotName = (i: number) => `s${i}`;
const usable = (m: ProtocolModel) => !m.targetGone;

/**
 * The slot a command acts on: `pick` chooses among the slots where the command applies, so
 * most generated commands run (a fixed slot would skip whenever that one slot does not fit).
 */
export function chosen(m: Readonly<ProtocolModel>, pick: number, applies: (s: Slot) => boolean): Slot | undefined {
  if (m.targetGone) return undefined;
  const fit = m.slots.filter(applies);
  return fit.length > 0 ? fit[pick % fit.length] : undefined;
}
export const isLive = (s: Slot) => s.status === 'live';

/** A call inside `slot` with exactly `meta` under the key (raw) or the newest state (no meta given). */
export function callIn(r: ProtocolReal, slot: Slot, meta?: Record<string, unknown>): Promise<Outcome> {
  const session = meta === undefined ? { sessionId: slot.id! } : { raw: meta };
  return r.client.callTool(r.probe.name, r.probe.args, session, opts);
}

/** A live session's answer to a request the draft lets it accept or reject (D8). */
function judgeEitherWay(m: ProtocolModel, r: ProtocolReal, slot: Slot, outcome: Outcome, what: string): void {
  r.saw(r.describe(outcome));
  if (r.noAnswer(m, outcome)) {
    r.violate(
      ['SESS-STATE-4'],
      {
        message: `a call carrying ${what} got no answer`,
        expected: 'exactly one response (accepted or rejected, either is allowed) and the server keeps serving',
        actual: describeOutcome(outcome),
        fix: 'treat the incoming state as untrusted input: decode it defensively and answer every request, with an error if the state is unusable',
      },
      slot,
    );
    return;
  }
  if (succeeded(outcome)) {
    r.judgeEcho(outcome, slot);
    if (slot.status === 'live') r.noteState(slot);
  } else if (isNotFound(outcome, r.notFound)) {
    r.judgeNotFound(outcome, slot.id!, slot);
    if (slot.status === 'live') slot.status = 'revoked';
  }
}

export class CreateCommand implements Cmd {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, (s) => !isLive(s));
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    r.beginStep(`create ${slotName(slot.index)}`);
    const created = await r.client.create(undefined, opts);
    if (!created.session) {
      // A server that cannot create is judged by SESS-CREATE-1; the model leaves the slot empty.
      r.saw(`no session (${describeOutcome(created.outcome)})`);
      slot.status = 'empty';
      r.noAnswer(m, created.outcome);
      return;
    }
    const id = created.session.sessionId;
    Object.assign(slot, { status: 'live', id, states: [], echoedOk: false, ambiguous: false, othersDeleted: false });
    r.saw(`id ${JSON.stringify(id)}`);
    r.noteState(slot);
    if (!VISIBLE_ASCII.test(id)) {
      r.violate(['SESS-ID-1'], {
        message: 'a created session id is empty or holds characters other than visible ASCII',
        expected: 'a non-empty id of characters 0x21–0x7E only',
        actual: JSON.stringify(id),
        fix: 'mint ids from visible ASCII only, e.g. a UUID or 32 hex digits from a CSPRNG',
      }, slot);
      return;
    }
    if (m.created.has(id)) {
      r.violate(['SESS-CREATE-4'], {
        message: 'sessions/create returned an id it had already issued in this run',
        expected: `a new id, distinct from the ${m.created.size} created before`,
        actual: `${JSON.stringify(id)} again`,
        fix: 'mint every id from a CSPRNG (128 bits or more) instead of a counter, clock or cache',
      }, slot);
      return;
    }
    m.created.add(id);
  }
  toString = () => `Create(${this.pick})`;
}

export class CallCommand implements Cmd {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, isLive);
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    const state = r.client.newestState(slot.id!);
    r.beginStep(`call ${slotName(slot.index)} with ${state === undefined ? 'no state (none issued)' : 'the newest state'}`);
    const outcome = await callIn(r, slot);
    r.saw(r.describe(outcome));
    if (succeeded(outcome)) {
      r.judgeEcho(outcome, slot);
      if (slot.status === 'live') {
        r.noteState(slot);
        slot.ambiguous = false;
        slot.othersDeleted = false;
      }
      return;
    }
    if (isNotFound(outcome, r.notFound)) {
      // D12: the server may revoke a session at any time.
      r.judgeNotFound(outcome, slot.id!, slot);
      if (slot.status === 'live') slot.status = 'revoked';
      return;
    }
    const gone = r.noAnswer(m, outcome);
    if (slot.ambiguous && !gone) {
      slot.status = 'unknown';
      return;
    }
    const afterDelete = slot.othersDeleted;
    r.violate([afterDelete ? 'SESS-DELETE-5' : 'SESS-STATE-1'], {
      message: afterDelete
        ? 'a live session stopped working after another session was deleted'
        : `a call in a live session, carrying ${state === undefined ? 'its {sessionId} (no state was issued)' : 'the newest state the server issued'}, did not succeed`,
      expected: `a successful ${r.probe.name} result in session ${slot.id}`,
      actual: describeOutcome(outcome),
      fix: afterDelete
        ? 'delete only the session the request names; keep every other session and its data'
        : isToolError(outcome)
          ? 'accept the state token exactly as you issued it last; check for an off-by-one between the token you send and the one you expect back'
          : 'accept every request that carries a live session id and the newest state issued for it',
    }, slot);
  }
  toString = () => `Call(${this.pick})`;
}

/** Sends an older, another session's, or a one-character-changed token: accept or reject (D8). */
export class StateVariantCommand implements Cmd {
  constructor(
    readonly slotPick: number,
    readonly variant: 'stale' | 'foreign' | 'tampered',
    readonly pick: number,
  ) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.slotPick, (s) => isLive(s) && this.token(m, s) !== undefined);
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  private token(m: Readonly<ProtocolModel>, slot: Slot): string | undefined {
    if (this.variant === 'stale') {
      const older = slot.states.slice(0, -1);
      return older.length > 0 ? older[this.pick % older.length] : undefined;
    }
    if (this.variant === 'tampered') {
      const newest = slot.states.at(-1);
      return newest === undefined ? undefined : tamper(newest, this.pick);
    }
    const others = m.slots.filter((s) => s !== slot && s.states.length > 0);
    return others.length > 0 ? others[this.pick % others.length]!.states.at(-1) : undefined;
  }
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    const token = this.token(m, slot)!;
    r.beginStep(`call ${slotName(slot.index)} with ${this.variant === 'foreign' ? "another session's" : `a ${this.variant}`} state ${JSON.stringify(clip(token, 40))}`);
    const outcome = await callIn(r, slot, { sessionId: slot.id!, state: token });
    judgeEitherWay(m, r, slot, outcome, `a ${this.variant} state token`);
  }
  toString = () => `State(${this.slotPick}, ${this.variant}, ${this.pick})`;
}

/** SESS-STATE-4: a hostile state value, then a valid call must still work. */
export class HostileStateCommand implements Cmd {
  constructor(
    readonly pick: number,
    readonly hostile: HostileState,
  ) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, isLive);
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    r.beginStep(`call ${slotName(slot.index)} with state = ${this.hostile.label}`);
    const outcome = await callIn(r, slot, { sessionId: slot.id!, state: this.hostile.value });
    if (outcome.kind === 'timeout' && hasLoneSurrogate(this.hostile.value)) {
      // D20: a parser may drop a line with an unpaired surrogate escape (RFC 8259 §8.2): that is
      // BASE-PARSE-1's finding. The server never saw the request; the next call must be answered.
      r.saw('no answer: the line carries an unpaired surrogate escape (judged by BASE-PARSE-1, D20)');
    } else {
      judgeEitherWay(m, r, slot, outcome, `state = ${this.hostile.label}`);
      if (slot.status !== 'live' || m.targetGone) return;
    }
    r.beginStep(`call ${slotName(slot.index)} with the newest state (after the hostile one)`);
    const next = await callIn(r, slot);
    r.saw(r.describe(next));
    if (succeeded(next)) {
      r.judgeEcho(next, slot);
      if (slot.status === 'live') r.noteState(slot);
      return;
    }
    if (isNotFound(next, r.notFound)) {
      r.judgeNotFound(next, slot.id!, slot);
      if (slot.status === 'live') slot.status = 'revoked';
      return;
    }
    if (!r.noAnswer(m, next)) {
      // An answered failure may be the session's own trouble (e.g. a state chain the server
      // enforces), not the hostile value's: the scripted SESS-STATE-4 judges the follow-up.
      slot.status = 'unknown';
      return;
    }
    r.violate(['SESS-STATE-4'], {
      message: `after a call carrying state = ${this.hostile.label}, the next valid call in the session got no answer`,
      expected: `a response to the next call (a successful ${r.probe.name} result with the newest state the server issued)`,
      actual: describeOutcome(next),
      fix: 'reject or ignore an unusable incoming state without changing the session; never let it crash or wedge the server',
    }, slot);
  }
  toString = () => `Hostile(${this.pick}, ${clip(this.hostile.label, 40)})`;
}

/** Near-miss metadata (ERR-4 shapes): an error when the id part is unusable, and always one answer. */
export class MalformedCommand implements Cmd {
  constructor(
    readonly pick: number,
    readonly shape: number,
  ) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, isLive);
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    const shapes = nearMissShapes(slot.id!, slot.states.at(-1));
    const shape = shapes[this.shape % shapes.length]!;
    r.beginStep(`call with malformed session metadata (${shape.label}) near ${slotName(slot.index)}`);
    const outcome = await r.client.callTool(r.probe.name, r.probe.args, { raw: shape.value }, opts);
    r.saw(r.describe(outcome));
    if (r.noAnswer(m, outcome)) {
      r.violate(['SESS-ERR-4'], {
        message: `malformed session metadata (${shape.label}) got no answer`,
        expected: 'exactly one response: a JSON-RPC error',
        actual: describeOutcome(outcome),
        fix: 'validate the session metadata before use and answer -32602 (or the session error) for anything malformed',
      });
      return;
    }
    if (shape.malformedId && r.probe.sessionOnly && outcome.kind === 'result') {
      r.violate(['SESS-ERR-4'], {
        message: `a session-only tool ran with malformed session metadata (${shape.label})`,
        expected: 'a JSON-RPC error (e.g. -32602)',
        actual: describeOutcome(outcome),
        fix: 'require metadata to be an object whose sessionId is a non-empty string before looking the session up',
      });
    }
  }
  toString = () => `Malformed(${this.pick}, ${this.shape})`;
}

/** SESS-ERR-1: valid SessionMetadata naming an id the server never issued. */
export class UnknownIdCommand implements Cmd {
  constructor(readonly meta: Record<string, unknown>) {}
  check = (m: Readonly<ProtocolModel>) => usable(m);
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const sentId = this.meta.sessionId as string;
    r.beginStep(`call with unknown session ${JSON.stringify(this.meta)}`);
    const outcome = await r.client.callTool(r.probe.name, r.probe.args, { raw: this.meta }, opts);
    r.saw(r.describe(outcome));
    if (isNotFound(outcome, r.notFound)) return r.judgeNotFound(outcome, sentId);
    r.noAnswer(m, outcome);
    r.violate(['SESS-ERR-1'], {
      message: 'a request naming a session the server never issued did not get "Session not found"',
      expected: `JSON-RPC error ${r.notFound} with data.sessionId ${JSON.stringify(sentId)}`,
      actual: describeOutcome(outcome),
      fix: isToolError(outcome)
        ? `look the session up before the tool runs and raise JSON-RPC error ${r.notFound} (SDK tool wrappers turn exceptions into isError results)`
        : `answer JSON-RPC error ${r.notFound} for any id that names no live session`,
    });
  }
  toString = () => `Unknown(${JSON.stringify(this.meta)})`;
}
