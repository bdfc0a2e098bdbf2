// What a suite run produces: one result per check and the run's verdict. Reports are pure
// functions of these types; the runner fills them.
import type { Level } from '../harness/types.js';

export type { Level };

export type Status = 'pass' | 'fail' | 'warn' | 'info' | 'skip' | 'untestable' | 'harness-error';

export interface CheckResult {
  id: string;
  title: string;
  section: string;
  level: Level;
  status: Status;
  /** One sentence: what happened. */
  message: string;
  expected?: string;
  actual?: string;
  fix?: string;
  /** Rule source, e.g. "draft 2026-02-27 §Errors; decision D1". */
  spec: string;
  /** Lines of the transcript that show the problem (formatted `>>> …` / `<<< …` / `!!! …`). */
  transcript?: string[];
  /** Command that reruns just this check with the same seed. */
  rerun: string;
  /** Extra facts for info checks and property counterexamples (seed, path, replay command…). */
  details?: Record<string, unknown>;
  /** Wall time of the check, ms (reported only with --timings). */
  ms?: number;
}

export interface RunStats {
  wallMs: number;
  targetStarts: number;
  requestsSent: number;
}

export interface DiscoverySummary {
  /** Tools tools/list gave. */
  tools: number;
  /** The tool checks drive sessions through, the session-only one, the public one (null: none). */
  probe: string | null;
  sessionTool: string | null;
  publicTool: string | null;
  notes: string[];
}

export interface RunResult {
  tool: { name: string; version: string };
  /** The target command (or `reference:<name>`). */
  target: string;
  draft: string;
  seed: number;
  strict: boolean;
  verdict: 'conformant' | 'non-conformant' | 'error';
  summary: Record<Status, number>;
  stats: RunStats;
  checks: CheckResult[];
  /** Last stderr lines of the target(s). */
  stderrTail: string[];
  /** Set when the run could not proceed (target did not start, internal error). */
  fatal?: { kind: 'target-start' | 'internal'; message: string };
  /** What tool discovery found and its notes (why a tool could not be used, a cut-off list…). */
  discovery?: DiscoverySummary;
  /** Ids expected to fail (from --expected-failures) and whether each did. */
  expectedFailures?: { id: string; reason: string; stillFails: boolean }[];
}
