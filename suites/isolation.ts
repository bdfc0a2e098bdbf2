// Isolation (application profiles). SESS-ISO-1 (model-based) lives in suites/properties/ and is
// added here by the lead; SESS-ISO-2 plays the demo script of the reference application.
import type { TranscriptEntry } from '../harness/types.js';
import { allowingRevocation, defineCheck, fail, skip, type CheckContext, type CheckDef } from './check.js';
import { SCENARIOS } from './scenarios/index.js';
import { playScenario, type StepReport } from './scenarios/play.js';

export const SESS_ISO_2 = defineCheck({
  id: 'SESS-ISO-2',
  title: 'the reference scenario of the application (its demo script) gives the documented result at every step',
  section: 'isolation',
  spec: 'reference-servers.md "The demo script of the set"; draft §Use (derived)',
  needs: ['sessions', 'referenceApp'],
  async run(ctx) {
    const app = ctx.discovery.app!;
    const scenario = SCENARIOS[app];
    if (!scenario) skip(`not applicable: no reference scenario is known for ${app}`);
    const client = await ctx.client();
    const steps = await allowingRevocation(() => playScenario(client, ctx, scenario));
    const wrong = steps.filter((s) => !s.ok);
    if (wrong.length > 0) {
      // D1: a rejection as an isError result is a warning where the profile makes -32043 less than a MUST.
      const onlyIsError = wrong.every((s) => s.isErrorInsteadOfRejection);
      fail({
        message: `${wrong.length} of ${steps.length} steps of the ${app} scenario (${scenario.summary}) did not give the documented result`,
        expected: wrong.map((s) => `step ${s.n} ${s.label}: ${s.expected}`).join('\n'),
        actual: wrong.map((s) => `step ${s.n} ${s.label}: ${s.difference ?? s.actual}`).join('\n'),
        fix: fixFor(wrong, app),
        soft: onlyIsError && ctx.profile.levels['SESS-ERR-1'] !== 'MUST',
        details: { app, steps: steps.map(({ n, label, ok, actual }) => ({ n, label, ok, actual })) },
        entries: linesOf(ctx, wrong),
      });
    }
    return { message: `all ${steps.length} steps of the ${app} scenario gave the documented results` };
  },
});

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

function fixFor(wrong: StepReport[], app: string): string {
  if (wrong.every((s) => s.isErrorInsteadOfRejection)) {
    return 'reject a request for a deleted session with a JSON-RPC error before the tool runs, not with an isError tool result';
  }
  const first = wrong[0]!;
  return `make ${app} answer "${first.label}" as its reference does (reference-servers.md, per-server table): ${first.expected}`;
}

export const isolationChecks: CheckDef[] = [SESS_ISO_2];
