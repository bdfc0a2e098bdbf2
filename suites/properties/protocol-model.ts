// The protocol model: random interleavings of create / call / stale, foreign, tampered and
// hostile state / unknown id / delete / delete again / call after delete / concurrent batches
// over K sessions, judged against what the model believes about each session. It reports the
// first violation per check id (suites/model-findings.ts); the scripted checks of those ids end
// with `expectModelAgrees(ctx)`.
//
// Time: all runs share one fresh target process (the model's sessions are independent of each
// other's runs; a run that left the target dead or hung gets a new process). The default 25
// runs of at most 25 commands cost 100–300 ms on a reference server. Runs are bounded by count,
// never by time (D18): a slow target takes longer, and only the run's deadline cuts it short —
// then the model's checks say incomplete, with how many runs of how many were done.
import fc from 'fast-check';
import type { CheckContext } from '../check.js';
import { registerModelRunner, type ModelFindings } from '../model-findings.js';
import { hostileState, nearMissIndex, validSessionMetadata } from './arbitraries.js';
import {
  CallCommand,
  CreateCommand,
  HostileStateCommand,
  MalformedCommand,
  StateVariantCommand,
  UnknownIdCommand,
} from './protocol-commands.js';
import { BatchCommand, CallAfterDeleteCommand, DeleteAgainCommand, DeleteCommand } from './protocol-delete-commands.js';
import { runOnLease, TargetLease } from './lease.js';
import { findViolations, type ModelDriver } from './engine.js';
import { newModel, ProtocolReal, type ProtocolModel } from './protocol-state.js';
import { modelSeed, replayFor } from './replay.js';

/** Session slots per run: three, so a batch and a delete always have a bystander. */
export const SLOTS = 3;

export const PROTOCOL_BUDGET = {
  /** Bounds only how small a counterexample gets, never the verdict (EngineOptions.shrinkMs). */
  shrinkMs: 2500,
  maxCommands: 25,
  maxRounds: 4,
};

/** The ids the protocol model judges (each scripted check of these ids asks for the findings). */
export const PROTOCOL_IDS = [
  'SESS-ID-1',
  'SESS-ID-3',
  'SESS-ID-4',
  'SESS-USE-2',
  'SESS-USE-4',
  'SESS-CREATE-4',
  'SESS-DELETE-2',
  'SESS-DELETE-3',
  'SESS-DELETE-5',
  'SESS-ERR-1',
  'SESS-ERR-2',
  'SESS-ERR-4',
  'SESS-STATE-1',
  'SESS-STATE-4',
];

type ProtocolCommand = fc.AsyncCommand<ProtocolModel, ProtocolReal>;

export function protocolCommands(replayPath?: string): fc.Arbitrary<Iterable<ProtocolCommand>> {
  const slot = fc.nat({ max: SLOTS - 1 });
  // Creates and plain calls weigh more, so most runs reach the states the other commands need.
  const arbs: fc.Arbitrary<ProtocolCommand>[] = [
    slot.map((s) => new CreateCommand(s)),
    slot.map((s) => new CreateCommand(s)),
    slot.map((s) => new CallCommand(s)),
    slot.map((s) => new CallCommand(s)),
    slot.map((s) => new CallCommand(s)),
    fc.tuple(slot, fc.constantFrom('stale' as const, 'foreign' as const, 'tampered' as const), fc.nat({ max: 64 })).map(
      ([s, variant, pick]) => new StateVariantCommand(s, variant, pick),
    ),
    fc.tuple(slot, hostileState).map(([s, h]) => new HostileStateCommand(s, h)),
    fc.tuple(slot, nearMissIndex).map(([s, i]) => new MalformedCommand(s, i)),
    validSessionMetadata().map((meta) => new UnknownIdCommand(meta)),
    slot.map((s) => new DeleteCommand(s)),
    slot.map((s) => new DeleteAgainCommand(s)),
    slot.map((s) => new CallAfterDeleteCommand(s)),
    slot.map((s) => new CallAfterDeleteCommand(s)),
    fc.array(fc.nat({ max: 1 }), { minLength: SLOTS, maxLength: SLOTS }).map((per) => new BatchCommand(per)),
    fc.array(fc.nat({ max: 1 }), { minLength: SLOTS, maxLength: SLOTS }).map((per) => new BatchCommand(per)),
  ];
  return fc.commands(arbs, { maxCommands: PROTOCOL_BUDGET.maxCommands, size: 'max', replayPath });
}

function driver(ctx: CheckContext, lease: TargetLease): ModelDriver<Iterable<ProtocolCommand>> {
  return {
    name: 'protocol',
    arbitrary: protocolCommands,
    run(commands, judge, placement) {
      const model = newModel(SLOTS);
      return runOnLease(lease, placement, model, (client) =>
        fc.asyncModelRun(() => ({ model, real: new ProtocolReal(client, ctx, judge) }), commands),
      );
    },
  };
}

export async function runProtocolModel(ctx: CheckContext): Promise<ModelFindings> {
  if (!ctx.discovery.capability || !ctx.discovery.probe) return new Map();
  const wanted = PROTOCOL_IDS.filter((id) => ctx.profile.levels[id] !== undefined);
  const replay = replayFor(ctx, (id) => PROTOCOL_IDS.includes(id));
  const lease = new TargetLease(ctx, 'protocol-model');
  try {
    // Started before the clock: the explore budget is for cases, not for the target's start-up.
    await lease.get();
    const report = await findViolations(driver(ctx, lease), {
      seed: modelSeed(ctx.seed, 'protocol'),
      runSeed: ctx.seed,
      runs: ctx.runs,
      wanted,
      stopped: ctx.stopped,
      shrinkMs: PROTOCOL_BUDGET.shrinkMs,
      maxRounds: PROTOCOL_BUDGET.maxRounds,
      // The model's sessions are independent of earlier runs' sessions: shrink on the shared
      // process (fast), then verify the shrunk case once on a new process.
      freshShrinks: false,
      replay,
      focus: ctx.id,
    });
    ctx.note(
      `protocol model: ${report.executed} cases in ${report.rounds} round(s), ${Math.round(report.ms)} ms` +
        (report.findings.size > 0 ? `; violations: ${[...report.findings.keys()].join(', ')}` : '; no violation') +
        (report.incomplete ? `; incomplete: ${report.incomplete}` : ''),
    );
    return Object.assign(report.findings, report.incomplete ? { incomplete: report.incomplete } : {});
  } finally {
    await lease.release();
  }
}

registerModelRunner(runProtocolModel);
