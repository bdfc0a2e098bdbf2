// The machine report, shaped by schemas/report.schema.json. Every key is always present (null or
// [] when empty) and checks are sorted by id, so consumers see one stable shape; wall-clock
// values appear only with `timings`, so two runs of the same target give the same bytes.
import type { CheckResult, RunResult } from '../runner/types.js';
import type { ConformanceReport, ReportCheck } from '../schemas/types.js';
import { compareIds, countStatuses, explainCommand, jsonReplacer, sortChecks } from './model.js';

export interface JsonReportOptions {
  /** Include `stats.wallMs` and each check's `ms`. */
  timings?: boolean;
}

// The report's shape is generated from schemas/report.schema.json (npm run gen:types), so the
// writer and the published schema cannot drift apart.
export type JsonCheck = ReportCheck;
export type JsonReport = ConformanceReport;

function jsonCheck(c: CheckResult, timings: boolean): JsonCheck {
  const out: JsonCheck = {
    id: c.id,
    title: c.title,
    section: c.section,
    level: c.level,
    status: c.status,
    message: c.message,
    expected: c.expected ?? null,
    actual: c.actual ?? null,
    fix: c.fix ?? null,
    spec: c.spec,
    transcript: [...(c.transcript ?? [])],
    rerun: c.rerun,
    explain: explainCommand(c.id),
    details: c.details ? { ...c.details } : null,
  };
  if (timings) out.ms = c.ms ?? null;
  return out;
}

export function toJsonReport(run: RunResult, opts: JsonReportOptions = {}): JsonReport {
  const timings = opts.timings === true;
  const stats: JsonReport['stats'] = { targetStarts: run.stats.targetStarts, requestsSent: run.stats.requestsSent };
  if (timings) stats.wallMs = run.stats.wallMs;
  return {
    tool: { name: run.tool.name, version: run.tool.version },
    target: run.target,
    draft: run.draft,
    seed: run.seed,
    strict: run.strict,
    verdict: run.verdict,
    stopped: run.stopped ?? null,
    summary: countStatuses(run.checks),
    stats,
    checks: sortChecks(run.checks).map((c) => jsonCheck(c, timings)),
    stderrTail: [...run.stderrTail],
    fatal: run.fatal ? { kind: run.fatal.kind, message: run.fatal.message } : null,
    incidents: (run.incidents ?? []).map((i) => ({
      kind: i.kind,
      level: i.level,
      message: i.message,
      checks: [...i.checks],
      exit: i.exit ? { code: i.exit.code, signal: i.exit.signal } : null,
      stderrTail: [...i.stderrTail],
    })),
    discovery: run.discovery ? { ...run.discovery, notes: [...run.discovery.notes] } : null,
    toolSurvey: run.toolSurvey
      ? {
          ...run.toolSurvey,
          tools: run.toolSurvey.tools.map((t) => ({ ...t })),
          notCalled: run.toolSurvey.notCalled.map((t) => ({ ...t })),
        }
      : null,
    expectedFailures: [...(run.expectedFailures ?? [])]
      .map((e) => ({ id: e.id, reason: e.reason, stillFails: e.stillFails }))
      .sort((a, b) => compareIds(a.id, b.id)),
  };
}

/** The JSON report as text: two-space indent, trailing newline. */
export function formatJson(run: RunResult, opts: JsonReportOptions = {}): string {
  return `${JSON.stringify(toJsonReport(run, opts), jsonReplacer, 2)}\n`;
}
