// The protocol model's commands around deletion (DELETE-2 / DELETE-3 / DELETE-5) and the
// concurrent batch (USE-4). See protocol-commands.ts for the others.
import type { ProtocolModel, ProtocolReal, Slot } from './protocol-state.js';
import { describeOutcome, isNotFound, succeeded } from './protocol-state.js';
import { callIn, chosen, isLive, opts, slotName, type Cmd } from './protocol-commands.js';

export class DeleteCommand implements Cmd {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, isLive);
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    r.beginStep(`delete ${slotName(slot.index)}`);
    const outcome = await r.client.delete({ sessionId: slot.id! }, opts);
    r.saw(r.describe(outcome));
    if (outcome.kind === 'result') {
      slot.status = 'deleted';
      for (const other of m.slots) if (other !== slot && other.status === 'live') other.othersDeleted = true;
      return;
    }
    if (isNotFound(outcome, r.notFound)) {
      r.judgeNotFound(outcome, slot.id!, slot);
      if (slot.status === 'live') slot.status = 'revoked';
      return;
    }
    // A failed delete is SESS-DELETE-1's finding; the model no longer knows whether it is gone.
    r.noAnswer(m, outcome);
    slot.status = 'unknown';
  }
  toString = () => `Delete(${this.pick})`;
}

/** SESS-DELETE-3 (unless the profile holds it as INFO): delete again → "Session not found". */
export class DeleteAgainCommand implements Cmd {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, (s) => s.status === 'deleted' || s.status === 'revoked');
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    r.beginStep(`delete ${slotName(slot.index)} again (${slot.status})`);
    const outcome = await r.client.delete({ sessionId: slot.id! }, opts);
    r.saw(r.describe(outcome));
    if (isNotFound(outcome, r.notFound)) return r.judgeNotFound(outcome, slot.id!, slot);
    const gone = r.noAnswer(m, outcome);
    if (r.ctx.profile.levels['SESS-DELETE-3'] === 'INFO' && !gone) return; // D6: an idempotent {} is allowed
    r.violate(['SESS-DELETE-3'], {
      message: `deleting a session that was already ${slot.status === 'deleted' ? 'deleted' : 'revoked'} did not give "Session not found"`,
      expected: `JSON-RPC error ${r.notFound} with data.sessionId ${JSON.stringify(slot.id)}`,
      actual: describeOutcome(outcome),
      fix: `answer ${r.notFound} to sessions/delete for an id that names no live session (D6)`,
    }, slot);
  }
  toString = () => `DeleteAgain(${this.pick})`;
}

/** SESS-DELETE-2: a deleted session is unknown afterwards, however often it is used. */
export class CallAfterDeleteCommand implements Cmd {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<ProtocolModel>) => chosen(m, this.pick, (s) => s.status === 'deleted');
  check = (m: Readonly<ProtocolModel>) => this.slot(m) !== undefined;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slot = this.slot(m)!;
    r.beginStep(`call ${slotName(slot.index)} after its delete`);
    const outcome = await callIn(r, slot);
    r.saw(r.describe(outcome));
    if (isNotFound(outcome, r.notFound)) return r.judgeNotFound(outcome, slot.id!, slot);
    r.noAnswer(m, outcome);
    r.violate(['SESS-DELETE-2'], {
      message: 'a request in a deleted session did not get "Session not found"',
      expected: `JSON-RPC error ${r.notFound} with data.sessionId ${JSON.stringify(slot.id)}`,
      actual: describeOutcome(outcome),
      fix: succeeded(outcome)
        ? 'remove the session for good on sessions/delete (every cache and backing store), so no later lookup finds it again'
        : `answer ${r.notFound} for a deleted session, before the tool runs`,
    }, slot);
  }
  toString = () => `CallAfterDelete(${this.pick})`;
}

/** SESS-USE-4: calls in every live session sent at once; each echo names its own session. */
export class BatchCommand implements Cmd {
  constructor(readonly perSlot: number[]) {}
  private live(m: Readonly<ProtocolModel>): Slot[] {
    return m.slots.filter((s) => s.status === 'live');
  }
  check = (m: Readonly<ProtocolModel>) => !m.targetGone && this.live(m).length >= 2;
  async run(m: ProtocolModel, r: ProtocolReal): Promise<void> {
    const slots = this.live(m);
    const plan = slots.flatMap((slot) => Array.from({ length: 1 + ((this.perSlot[slot.index] ?? 0) % 2) }, () => slot));
    r.beginStep(`concurrent batch: ${slots.map((s) => `${slotName(s.index)}×${plan.filter((p) => p === s).length}`).join(', ')}`);
    const ids = new Set(slots.map((s) => s.id!));
    const outcomes = await Promise.all(plan.map((slot) => callIn(r, slot)));
    r.saw(outcomes.map((o) => r.describe(o)).join('; '));
    for (const slot of slots) if (plan.filter((p) => p === slot).length > 1) slot.ambiguous = true;
    for (let i = 0; i < plan.length; i++) {
      const slot = plan[i]!;
      const outcome = outcomes[i]!;
      if (slot.status !== 'live') continue;
      if (succeeded(outcome)) {
        r.judgeEcho(outcome, slot, ids);
        if (slot.status === 'live') r.noteState(slot);
      } else if (isNotFound(outcome, r.notFound)) {
        r.judgeNotFound(outcome, slot.id!, slot);
        if (slot.status === 'live') slot.status = 'revoked';
      } else if (r.noAnswer(m, outcome)) {
        r.violate(['SESS-USE-4'], {
          message: 'a request of a concurrent batch got no answer',
          expected: `one response per request, each echoing its own session (${plan.length} requests in ${slots.length} sessions)`,
          actual: describeOutcome(outcome),
          fix: 'handle requests of different sessions independently; never wait for one session\'s request to answer another',
        }, slot);
      }
    }
  }
  toString = () => `Batch(${this.perSlot.join(',')})`;
}
