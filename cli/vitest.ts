// `import { sessionConformance } from 'mcp-session-conformance/vitest'`: the suite inside a
// project's own vitest run. One describe, one test per check id. The CLI runs once, in
// beforeAll, as a child process with a JSON report (what `npx mcp-session-conformance` does);
// each test then reads its check's result: fail → failure with the finding as the message,
// skip → skipped with the reason, warn → passes with an annotation, and whatever the CLI counts
// against a conformant verdict (untestable, incomplete, harness-error, a warning under strict,
// a stale expected failure) → failure. vitest is an optional peer dependency.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { plannedIds, runConformance, testVerdict, type CliOutcome, type SessionConformanceOptions } from './vitest-run.js';

export type { SessionConformanceOptions } from './vitest-run.js';

export function sessionConformance(options: SessionConformanceOptions): void {
  // Test names must exist when vitest collects: `list --json` says which checks the run reports.
  const { draft, ids } = plannedIds(options);
  const target = options.server ?? `--reference ${options.reference}`;
  let outcome: CliOutcome | undefined;
  let child: ChildProcess | undefined;

  describe(options.name ?? `session conformance: ${target} (draft ${draft})`, () => {
    beforeAll(async () => {
      outcome = await runConformance(options, (c) => (child = c));
      if (!outcome.report) {
        throw new Error(`mcp-session-conformance exited ${outcome.code} without a report:\n${outcome.stderr || outcome.stdout}`);
      }
    }, (options.runTimeout ?? 300_000) + 60_000);

    // A run cut short by vitest (timeout, Ctrl-C) must not leave the CLI and its targets behind;
    // the CLI kills its target groups on SIGTERM.
    afterAll(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });

    for (const id of ids) {
      test(id, async (ctx) => {
        const verdict = testVerdict(outcome!.report!, id);
        if (verdict.kind === 'fail') throw new ConformanceFailure(verdict.message);
        if (verdict.kind === 'skip') return ctx.skip(verdict.message);
        if (verdict.note) {
          (ctx.task.meta as Record<string, unknown>).conformance = verdict.note;
          // annotate: vitest ≥ 3.2; older versions get the note on the console.
          if (typeof ctx.annotate === 'function') await ctx.annotate(verdict.note.message, verdict.note.type);
          else console.warn(`${id}: ${verdict.note.message}`);
        }
      });
    }
  });
}

/** A failing check: the message is the whole finding; the stack would only point here. */
class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
    this.stack = `${this.name}: ${message}`;
  }
}
