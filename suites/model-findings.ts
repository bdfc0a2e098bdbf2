// The protocol model (property-based runs, suites/properties/) checks invariants that belong to
// scripted check ids (SESS-ID-4, SESS-USE-4, SESS-DELETE-2…). It runs once per run, on first
// demand; each of those checks ends with `expectModelAgrees(ctx)` to report what the model
// found under its own id.
import type { Transcript } from '../harness/transcript.js';
import { fail, type CheckContext, type Finding } from './check.js';

export type ModelRunner = (ctx: CheckContext) => Promise<Map<string, Finding>>;

let modelRunner: ModelRunner | undefined;
const runs = new WeakMap<Transcript, Promise<Map<string, Finding>>>();

export function registerModelRunner(runner: ModelRunner): void {
  modelRunner = runner;
}

/** The model's findings for this run (started by the first check that asks). */
export function modelFindings(ctx: CheckContext): Promise<Map<string, Finding>> {
  if (!modelRunner) return Promise.resolve(new Map());
  let pending = runs.get(ctx.transcript);
  if (!pending) {
    pending = modelRunner(ctx);
    runs.set(ctx.transcript, pending);
  }
  return pending;
}

/** Fails the calling check if the protocol model found a violation of its id. */
export async function expectModelAgrees(ctx: CheckContext): Promise<void> {
  const finding = (await modelFindings(ctx)).get(ctx.id);
  if (finding) fail(finding);
}
