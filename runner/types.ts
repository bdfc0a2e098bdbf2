// What a suite run produces: one result per check and the run's verdict. Reports are pure
// functions of these types; the runner fills them.
import type { ReportToolSurvey } from '../schemas/types.js';
import type { Level } from '../harness/types.js';

export type { Level };

/**
 * `incomplete`: the check was selected but not (fully) judged, because the run was cut short
 * (run deadline, Ctrl-C, SIGTERM) or a time budget ended it (D17, D18). It never counts as passed.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'info' | 'skip' | 'untestable' | 'incomplete' | 'harness-error';

/** Every status, in the order counts are listed. */
export const STATUSES: readonly Status[] = ['pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'incomplete', 'harness-error'];

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
  /**
   * The check's whole exchange when `transcript` leaves lines out or cuts them (at most 400
   * lines of 2000 characters). The HTML report shows it behind the excerpt; JSON does not carry it.
   */
  exchange?: string[];
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
  /**
   * What was tested: a server (the default) or, in client mode, a client. In client mode the
   * stats count the server instances the client started and the requests it sent.
   */
  kind?: 'server' | 'client';
  /** The target command (or `reference:<name>`). */
  target: string;
  draft: string;
  seed: number;
  strict: boolean;
  /**
   * error: the suite broke (harness-error, internal fault) — it wins, since nothing it says is
   * reliable. incomplete: the run was cut short or a check was not fully judged — never
   * conformant, even with no failure listed. non-conformant: a blocking finding. conformant:
   * every selected check was judged and nothing blocks.
   */
  verdict: 'conformant' | 'non-conformant' | 'incomplete' | 'error';
  /** Why the run is incomplete (run deadline, interrupt), when it was cut short. */
  stopped?: string;
  summary: Record<Status, number>;
  stats: RunStats;
  checks: CheckResult[];
  /** Last stderr lines of the target(s). */
  stderrTail: string[];
  /** Set when the run could not proceed (target did not start, internal error). */
  fatal?: { kind: 'target-start' | 'internal'; message: string };
  /** Run-level findings that belong to no single check (an unexplained target death). */
  incidents: Incident[];
  /** What tool discovery found and its notes (why a tool could not be used, a cut-off list…). */
  discovery?: DiscoverySummary;
  /** Discovery's tool survey (D21): each tool called once inside a session, and what came back. */
  toolSurvey?: ReportToolSurvey;
  /** Ids expected to fail (from --expected-failures) and whether each did. */
  expectedFailures?: { id: string; reason: string; stillFails: boolean }[];
}

/**
 * A shared target process died while checks ran on it, and rerunning each of them on a process
 * of its own did not reproduce the death: the crash is real but no single check explains it.
 * Counts as a warning (level SHOULD): it fails the run under --strict.
 */
export interface Incident {
  kind: 'target-died';
  level: Level;
  message: string;
  /** Checks that were running on the process when it died. */
  checks: string[];
  exit: { code: number | null; signal: string | null } | null;
  stderrTail: string[];
}
