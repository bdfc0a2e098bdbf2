// Isolation (application profiles). SESS-ISO-1 (noninterference) lives in suites/properties/;
// SESS-ISO-2 plays the demo script of the reference application the target is declared as (D15).
import { looksLikeApp, REFERENCE_APPS } from '../harness/discovery.js';
import type { TranscriptEntry } from '../harness/types.js';
import { allowingRevocation, defineCheck, fail, skip, type CheckContext, type CheckDef } from './check.js';
import { SCENARIOS } from './scenarios/index.js';
import { playScenario, type StepReport } from './scenarios/play.js';

export const SESS_ISO_2 = defineCheck({
  id: 'SESS-ISO-2',
  title: 'a target declared as a reference application (--app, --reference) gives the documented result at every step of its demo script',
  how: 'for a target declared as a reference application (--app, --reference): plays that application’s demo script step by step and compares each result',
  section: 'isolation',
  spec: 'decision D15 (declared applications); the demo script of the reference applications; draft §Use (derived)',
  needs: ['sessions'],
  async run(ctx) {
    const app = declaredApp(ctx);
    const scenario = SCENARIOS[app];
    if (!scenario) skip(`not applicable: no demo script is known for ${app}`);
    const listed = new Set(ctx.discovery.tools.map((t) => t.name));
    const missing = (REFERENCE_APPS[app] ?? []).filter((tool) => !listed.has(tool));
    if (missing.length > 0) {
      fail({
        message: `the target is declared as ${app} (--app), but tools/list does not list ${missing.join(', ')}`,
        expected: `the tools of ${app}: ${REFERENCE_APPS[app]!.join(', ')}`,
        actual: `tools/list names ${[...listed].join(', ') || 'no tools'}`,
        fix: `declare the application the server implements (--app <name>), or none: without --app the isolation check (SESS-ISO-1) still runs`,
        details: { app, missing },
      });
    }
    const client = await ctx.client();
    const steps = await allowingRevocation(() => playScenario(client, ctx, scenario));
    const wrong = steps.filter((s) => !s.ok);
    if (wrong.length > 0) {
      const first = wrong[0]!;
      fail({
        message: `${wrong.length} of ${steps.length} steps of the ${app} demo script (${scenario.summary}) did not give the documented result`,
        expected: wrong.map((s) => `step ${s.n} ${s.label}: ${s.expected}`).join('\n'),
        actual: wrong.map((s) => `step ${s.n} ${s.label}: ${s.difference ?? s.actual}`).join('\n'),
        fix: `answer step ${first.n} (${first.label}) of the ${app} demo script with ${first.expected}, as the reference ${app} does`,
        details: { app, steps: steps.map(({ n, label, ok, actual }) => ({ n, label, ok, actual })) },
        entries: linesOf(ctx, wrong),
      });
    }
    return { message: `all ${steps.length} steps of the ${app} demo script gave the documented results` };
  },
});

/** The application the target is declared as; a guess from tool names is only a hint (D15). */
function declaredApp(ctx: CheckContext): string {
  if (ctx.discovery.app) return ctx.discovery.app;
  const like = looksLikeApp(ctx.discovery.tools.map((t) => t.name));
  if (like) {
    skip(
      `not applicable: the target is not declared as an application; its tools are named like ${like}'s, which proves nothing — pass --app ${like} to hold it to that demo script`,
    );
  }
  skip('not applicable: the target is not declared as a reference application (--app <name>)');
}

/** The request and response lines of the steps that went wrong. */
function linesOf(ctx: CheckContext, wrong: StepReport[]): TranscriptEntry[] {
  const seqs = new Set<number>();
  for (const step of wrong) {
    if (step.seq === undefined) continue;
    seqs.add(step.seq);
    const exchange = ctx.transcript.exchanges.find((e) => e.responseSeq === step.seq);
    if (exchange) seqs.add(exchange.requestSeq);
  }
  return ctx.transcript.entries.filter((e) => seqs.has(e.seq));
}

export const isolationChecks: CheckDef[] = [SESS_ISO_2];
