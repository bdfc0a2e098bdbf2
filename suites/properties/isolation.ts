// SESS-ISO-1 (decision D16): no session's answers depend on another session's calls. A target
// declared as a reference application (--app, --reference) with that application's tools is
// judged by the application's exact model (isolation-model.ts); any other target by the
// noninterference runs (noninterference.ts): a difference fails a declared application and is a
// warning on an undeclared one, which may share some data across sessions on purpose.
import { REFERENCE_APPS } from '../../harness/discovery.js';
import { defineCheck, fail, incomplete, type CheckContext, type PassNote } from '../check.js';
import { APP_MODELS, type AppModel } from './apps/index.js';
import { findViolations } from './engine.js';
import { driver, ID, ISO_SLOTS, ISOLATION_BUDGET, type Tally } from './isolation-model.js';
import { TargetLease } from './lease.js';
import { judgeNoninterference } from './noninterference.js';
import { modelSeed, replayFor } from './replay.js';

export const SESS_ISO_1 = defineCheck({
  id: ID,
  title: "what a session is answered never depends on another session's calls (noninterference; a declared application: its exact model)",
  how: "property-based runs over at least 3 sessions: a declared reference application is held to its exact model, any other target to noninterference (what one session is answered never depends on another session's calls)",
  section: 'isolation',
  spec: 'decision D16 (noninterference); draft §Use (a request is processed in its session; derived)',
  needs: ['sessions'],
  // Runs in turn on the sacrificial process (its first freshClient() is that process too), so no
  // other check's traffic interleaves with its sessions; a model's shrinks start new processes.
  // Early in the turns (after BASE-PARSE-1): servers that share data across sessions on purpose
  // warn here, and a process no check used (after BASE-PARSE-1 kept its own) needs no rerun.
  process: 'sacrificial',
  firstTurn: true,
  async run(ctx) {
    const declared = ctx.discovery.app;
    const app = declared ? APP_MODELS[declared] : undefined;
    const listed = new Set(ctx.discovery.tools.map((t) => t.name));
    // A declared application with its tools: the exact model, judged at the profile's level.
    if (app && (REFERENCE_APPS[app.app] ?? []).every((tool) => listed.has(tool))) return runAppModel(ctx, app);
    // Any other target (or a declared one without its tools, which SESS-ISO-2 fails): noninterference.
    return judgeNoninterference(ctx, { declared: declared !== undefined });
  },
});

/** The model-based runs of a declared application's model over three sessions. */
async function runAppModel(ctx: CheckContext, app: AppModel<unknown>): Promise<PassNote> {
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
      stopped: ctx.stopped,
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
    if (report.incomplete) incomplete(report.incomplete);
    const aside =
      tally.notReference > 0
        ? ` (${tally.notReference} answers were not the reference ${app.app}'s; ${tally.sameAlone} of them were replayed with their session alone and came out the same, so they are SESS-ISO-2's business)`
        : '';
    return {
      message: `${report.executed} model runs of ${app.app} over ${ISO_SLOTS} sessions: no session's answers depended on another session${aside}`,
      details: { method: 'application model', app: app.app, cases: report.executed, notReferenceAnswers: tally.notReference, sameAlone: tally.sameAlone },
    };
  } finally {
    await lease.release();
  }
}
