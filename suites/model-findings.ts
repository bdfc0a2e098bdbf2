// The protocol model (property-based runs, suites/properties/) checks invariants that belong to
// scripted check ids (SESS-ID-4, SESS-USE-4, SESS-DELETE-2…). It runs once per run, on first
// demand; each of those checks ends with `expectModelAgrees(ctx)` to report what the model
// found under its own id.
import type { Transcript } from '../harness/transcript.js';
import { fail, incomplete, type CheckContext, type Finding } from './check.js';

/** The model's findings per id; `incomplete` says why its runs were cut short, if they were (D18). */
export type ModelFindings = Map<string, Finding> & { incomplete?: string };
export type ModelRunner = (ctx: CheckContext) => Promise<ModelFindings>;

let modelRunner: ModelRunner | undefined;
const runs = new WeakMap<Transcript, { pending: Promise<ModelFindings>; starter: string }>();

export function registerModelRunner(runner: ModelRunner): void {
  modelRunner = runner;
}

/** The model's findings for this run (started by the first check that asks). */
export function modelFindings(ctx: CheckContext): Promise<ModelFindings> {
  return requestFindings(ctx).pending;
}

function requestFindings(ctx: CheckContext): { pending: Promise<ModelFindings>; startedHere: boolean } {
  if (!modelRunner) return { pending: Promise.resolve(new Map()), startedHere: false };
  let run = runs.get(ctx.transcript);
  if (!run) {
    run = { pending: modelRunner(ctx), starter: ctx.id };
    runs.set(ctx.transcript, run);
    return { pending: run.pending, startedHere: true };
  }
  // The model's requests carry the starter's id: a check waiting for them has its deadline
  // grow with them too (D18), as if it had sent them itself.
  if (run.starter !== ctx.id) ctx.waitsOn?.(run.starter);
  return { pending: run.pending, startedHere: run.starter === ctx.id };
}

/**
 * Fails the calling check if the protocol model found a violation of its id; if the model's
 * runs were cut short before finding one, the check was not fully judged (incomplete, D18).
 * Called last in a check: one that waits for a model another check runs lets go of its target
 * process meanwhile (ctx.doneWithTarget), so the next sacrificial check need not wait too.
 */
export async function expectModelAgrees(ctx: CheckContext): Promise<void> {
  const { pending, startedHere } = requestFindings(ctx);
  if (!startedHere) await ctx.doneWithTarget?.();
  const findings = await pending;
  const finding = findings.get(ctx.id);
  if (finding) fail(finding);
  if (findings.incomplete) incomplete(findings.incomplete);
}
