// SESS-ISO-1: model-based runs of a reference application over three sessions in random
// interleavings. Each session has its own model of the application's data; every answer must be
// the text the reference gives for that session's own history, so a write that shows up in
// another session (or a count that counts another session's calls) fails the run.
import fc from 'fast-check';
import { describeOutcome, succeeded } from '../../harness/discovery.js';
import type { SessionClient } from '../../harness/session-client.js';
import type { Outcome } from '../../harness/types.js';
import { defineCheck, fail, skip, type CheckContext } from '../check.js';
import { findViolations, type Judge, type ModelDriver } from './engine.js';
import { APP_MODELS, type AppModel, type AppOperation } from './apps/index.js';
import { runOnLease, TargetLease } from './lease.js';
import { modelSeed, replayFor } from './replay.js';
import { MODEL_REQUEST_TIMEOUT_MS } from './protocol-state.js';

const ID = 'SESS-ISO-1';
export const ISO_SLOTS = 3;
/** exploreMs is a safety net for slow targets (EngineOptions.exploreMs). */
export const ISOLATION_BUDGET = { exploreMs: 8000, shrinkMs: 2500, maxCommands: 30 };

interface AppSlot {
  index: number;
  status: 'empty' | 'live' | 'gone';
  id?: string;
  data: unknown;
  calls: number;
  /** What the session in this slot wrote (texts, digests), for "whose data is this" diagnostics. */
  wrote: Set<string>;
  /** `s0#2`: the slot and which of its sessions (slots are reused after a delete). */
  label: string;
  /** The operations that succeeded in this session, in order (to replay it alone). */
  history: AppOperation<unknown>[];
}

interface AppRunModel {
  slots: AppSlot[];
  /** Every session of the run with what it wrote, deleted ones included. */
  sessions: { label: string; wrote: Set<string> }[];
  targetGone: boolean;
}

class AppReal {
  readonly log: string[] = [];
  constructor(
    readonly ctx: CheckContext,
    readonly client: SessionClient,
    readonly judge: Judge,
    readonly app: AppModel<unknown>,
    /** Replays one session's operations alone on a new process: the last answer, ids masked. */
    readonly alone: (operations: AppOperation<unknown>[]) => Promise<string | undefined>,
    /** Run-wide tally of answers that were not the reference's but not judged a leak either. */
    readonly tally: Tally,
  ) {}
}

interface Tally {
  /** Answers that were not the reference's, and no other session's data was seen in them. */
  notReference: number;
  /** …of which replaying the session alone gave the very same answer. */
  sameAlone: number;
}

/** Runs of a session alone, per check run: each costs a process start. */
export const ALONE_BUDGET = 3;

type AppCommand = fc.AsyncCommand<AppRunModel, AppReal>;
const opts = { timeout: MODEL_REQUEST_TIMEOUT_MS };
const name = (s: AppSlot) => `s${s.index}`;

function pickSlot(m: Readonly<AppRunModel>, pick: number, applies: (s: AppSlot) => boolean): AppSlot | undefined {
  if (m.targetGone) return undefined;
  const fit = m.slots.filter(applies);
  return fit.length > 0 ? fit[pick % fit.length] : undefined;
}

class CreateSession implements AppCommand {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<AppRunModel>) => pickSlot(m, this.pick, (s) => s.status !== 'live');
  check = (m: Readonly<AppRunModel>) => this.slot(m) !== undefined;
  async run(m: AppRunModel, r: AppReal): Promise<void> {
    const slot = this.slot(m)!;
    r.log.push(`create ${name(slot)}`);
    const created = await r.client.create(undefined, opts);
    if (!created.session) {
      r.log[r.log.length - 1] += ` → no session (${describeOutcome(created.outcome)})`;
      if (created.outcome.kind === 'timeout' || created.outcome.kind === 'exit') m.targetGone = true;
      return;
    }
    const label = `${name(slot)}#${m.sessions.filter((x) => x.label.startsWith(`${name(slot)}#`)).length + 1}`;
    const wrote = new Set<string>();
    m.sessions.push({ label, wrote });
    Object.assign(slot, { status: 'live', id: created.session.sessionId, data: r.app.newData(), calls: 0, wrote, label, history: [] });
    r.log[r.log.length - 1] += ` → ${label} ${created.session.sessionId}`;
  }
  toString = () => `Create(${this.pick})`;
}

class DeleteSession implements AppCommand {
  constructor(readonly pick: number) {}
  private slot = (m: Readonly<AppRunModel>) => pickSlot(m, this.pick, (s) => s.status === 'live');
  check = (m: Readonly<AppRunModel>) => this.slot(m) !== undefined;
  async run(m: AppRunModel, r: AppReal): Promise<void> {
    const slot = this.slot(m)!;
    const outcome = await r.client.delete({ sessionId: slot.id! }, opts);
    r.log.push(`delete ${slot.label} → ${outcome.kind}`);
    // Deleted or not, the model stops using it: SESS-DELETE-* judge deletion itself.
    slot.status = 'gone';
    if (outcome.kind === 'timeout' || outcome.kind === 'exit') m.targetGone = true;
  }
  toString = () => `Delete(${this.pick})`;
}

class Operate implements AppCommand {
  constructor(
    readonly pick: number,
    readonly operation: AppOperation<unknown>,
  ) {}
  private slot = (m: Readonly<AppRunModel>) => pickSlot(m, this.pick, (s) => s.status === 'live');
  check = (m: Readonly<AppRunModel>) => this.slot(m) !== undefined;
  async run(m: AppRunModel, r: AppReal): Promise<void> {
    const slot = this.slot(m)!;
    const outcome = await r.client.callTool(this.operation.tool, this.operation.args, { sessionId: slot.id! }, opts);
    const actual = textOf(outcome);
    r.log.push(`${slot.label}: ${this.operation.label} → ${actual === undefined ? describeOutcome(outcome) : JSON.stringify(actual)}`);
    if (outcome.kind === 'error' && outcome.error.code === r.ctx.profile.errors.sessionNotFound) {
      slot.status = 'gone'; // D12: revoked; not this check's business
      return;
    }
    if (outcome.kind === 'timeout' || outcome.kind === 'exit') m.targetGone = true;
    if (!succeeded(outcome) || actual === undefined) {
      // A session that stops working is for the scripted checks (STATE-1, CREATE-5…) to judge;
      // isolation is about what a working session answers.
      slot.status = 'gone';
      return;
    }
    slot.calls += 1;
    const predicted = this.operation.apply(slot.data, { id: slot.id!, calls: slot.calls });
    if (predicted.wrote !== undefined) slot.wrote.add(predicted.wrote);
    const earlier = [...slot.history];
    slot.history.push(this.operation);
    const normalize = r.app.normalize ?? ((t: string) => t);
    if (normalize(actual) === normalize(predicted.text)) return;

    // The answer is not the reference's. Another session's data in it is a leak outright;
    // otherwise the session's history is replayed alone on a new process: the same answer there
    // means this server simply answers differently (SESS-ISO-2's business), not a leak.
    slot.status = 'gone';
    const leaked = foreignWrites(m, slot, normalize(actual));
    let aloneText: string | undefined;
    if (!leaked) {
      aloneText = await r.alone([...earlier, this.operation]);
      const mine = masked(normalize(actual), slot.id!);
      if (aloneText === undefined || aloneText === mine) {
        r.tally.notReference++;
        if (aloneText !== undefined) r.tally.sameAlone++;
        r.log[r.log.length - 1] += aloneText === undefined ? ' (not the reference answer; not judged)' : ' (not the reference answer, but the same when this session runs alone: not an isolation problem)';
        return;
      }
    }
    r.log[r.log.length - 1] += ' → VIOLATES SESS-ISO-1';
    r.judge.violation([ID], {
      message: leaked
        ? `data written in session ${leaked.from} shows up in session ${slot.label} (${leaked.what})`
        : `session ${slot.label} answered differently next to other sessions than when its own history runs alone`,
      expected: leaked
        ? JSON.stringify(predicted.text)
        : `${JSON.stringify(aloneText)} (this session's operations alone, on a new process; the reference answers ${JSON.stringify(predicted.text)})`,
      actual: JSON.stringify(actual),
      fix: 'key all application data by the session id of the request; never keep it in module-level or shared objects',
    }, r.log, []);
  }
  toString = () => `Op(${this.pick}, ${this.operation.label})`;
}

/** The session's own id replaced, so answers of two sessions with the same history compare equal. */
function masked(text: string, sessionId: string): string {
  return text.split(sessionId).join('<session>');
}

/** The last answer of `operations` run in one new session on a process of its own (ids masked). */
async function runAlone(lease: TargetLease, app: AppModel<unknown>, operations: AppOperation<unknown>[]): Promise<string | undefined> {
  return lease.oneOff(async (client) => {
    const created = await client.create(undefined, opts);
    if (!created.session) return undefined;
    let last: string | undefined;
    for (const operation of operations) {
      const outcome = await client.callTool(operation.tool, operation.args, created.session, opts);
      last = succeeded(outcome) ? textOf(outcome) : undefined;
      if (last === undefined) return undefined;
    }
    return last === undefined ? undefined : masked((app.normalize ?? ((t: string) => t))(last), created.session.sessionId);
  });
}

function textOf(outcome: Outcome): string | undefined {
  if (outcome.kind !== 'result' || !Array.isArray(outcome.result?.content)) return undefined;
  return outcome.result.content.map((c: any) => (typeof c?.text === 'string' ? c.text : '')).join('');
}

/** A text some other session of the run wrote and this one never did, found in this session's answer. */
function foreignWrites(m: AppRunModel, slot: AppSlot, answer: string): { from: string; what: string } | undefined {
  for (const other of m.sessions) {
    if (other.wrote === slot.wrote) continue;
    for (const text of other.wrote) {
      if (!slot.wrote.has(text) && answer.includes(text)) return { from: other.label, what: JSON.stringify(text) };
    }
  }
  return undefined;
}

export function isolationCommands(app: AppModel<unknown>, replayPath?: string): fc.Arbitrary<Iterable<AppCommand>> {
  const pick = fc.nat({ max: ISO_SLOTS - 1 });
  const operate = fc.tuple(pick, app.operation).map(([p, o]) => new Operate(p, o));
  return fc.commands(
    [
      pick.map((p) => new CreateSession(p)),
      pick.map((p) => new CreateSession(p)),
      operate,
      operate,
      operate,
      operate,
      operate,
      pick.map((p) => new DeleteSession(p)),
    ],
    { maxCommands: ISOLATION_BUDGET.maxCommands, size: 'max', replayPath },
  );
}

function driver(
  ctx: CheckContext,
  lease: TargetLease,
  app: AppModel<unknown>,
  tally: Tally,
): ModelDriver<Iterable<AppCommand>> {
  const aloneRuns = { count: 0 };
  return {
    name: `isolation:${app.app}`,
    arbitrary: (replayPath) => isolationCommands(app, replayPath),
    run(commands, judge, placement) {
      const model: AppRunModel = {
        slots: Array.from({ length: ISO_SLOTS }, (_, index) => ({
          index,
          status: 'empty' as const,
          data: null,
          calls: 0,
          wrote: new Set<string>(),
          label: `s${index}`,
          history: [],
        })),
        sessions: [],
        targetGone: false,
      };
      const alone = async (operations: AppOperation<unknown>[]) => {
        // Replays and shrinking always get to check; exploring spends a small budget.
        if (!placement.fresh && aloneRuns.count >= ALONE_BUDGET) return undefined;
        aloneRuns.count++;
        return runAlone(lease, app, operations);
      };
      return runOnLease(lease, placement, model, (client) =>
        fc.asyncModelRun(() => ({ model, real: new AppReal(ctx, client, judge, app, alone, tally) }), commands),
      );
    },
  };
}

export const SESS_ISO_1 = defineCheck({
  id: ID,
  title: 'data written in one session never shows in another: every answer matches that session\'s own history (model-based runs over 3 sessions)',
  section: 'isolation',
  spec: 'draft §Use (a request is processed in its session; derived); reference-servers.md per-server results',
  needs: ['sessions', 'referenceApp'],
  // Explores on the sacrificial process, in turn (its first freshClient()); shrinks on new ones.
  process: 'sacrificial',
  async run(ctx) {
    const app = APP_MODELS[ctx.discovery.app!];
    if (!app) skip(`not applicable: no application model is known for ${ctx.discovery.app}`);
    const lease = new TargetLease(ctx);
    try {
      await lease.get();
      const replay = replayFor(ctx, (id) => id === ID);
      const tally: Tally = { notReference: 0, sameAlone: 0 };
      const report = await findViolations(driver(ctx, lease, app, tally), {
        seed: modelSeed(ctx.seed, `isolation:${app.app}`),
        runSeed: ctx.seed,
        runs: ctx.runs,
        wanted: [ID],
        exploreMs: Math.max(ISOLATION_BUDGET.exploreMs, ctx.runs * 320),
        shrinkMs: ISOLATION_BUDGET.shrinkMs,
        maxRounds: 1,
        // What one session's data holds is the very thing under test: a shrunk case must fail
        // on a process of its own, not on what earlier runs left in a shared one.
        freshShrinks: true,
        replay,
        focus: ID,
      });
      const finding = report.findings.get(ID);
      if (finding) fail(finding);
      const aside =
        tally.notReference > 0
          ? ` (${tally.notReference} answers were not the reference ${app.app}'s; ${tally.sameAlone} of them were replayed with their session alone and came out the same, so they are SESS-ISO-2's business)`
          : '';
      return {
        message: `${report.executed} model runs of ${app.app} over ${ISO_SLOTS} sessions: no session's answers depended on another session${aside}`,
        details: { app: app.app, cases: report.executed, notReferenceAnswers: tally.notReference, sameAlone: tally.sameAlone },
      };
    } finally {
      await lease.release();
    }
  },
});
