// The vitest integration's plumbing, free of vitest: the CLI words for the options, the ids a
// run will report (known before it starts, so vitest can name one test per check), the run
// itself as a child process with a JSON report, and what each check's result means for a test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFinding } from '../reports/console.js';
import type { CheckResult, RunResult } from '../runner/types.js';
import { selectChecks } from '../runner/select.js';

export interface SessionConformanceOptions {
  /** The command that starts the server over stdio (`--server`), run by /bin/sh in this process's cwd. */
  server?: string;
  /** A bundled reference server instead (`--reference <name>`, also `broken/<name>`; not `all`). */
  reference?: string;
  /** Draft revision (`--draft`), e.g. '2026-02-27'. */
  draft?: string;
  only?: string | string[];
  skip?: string | string[];
  strict?: boolean;
  /** File of known failures (`--expected-failures`). */
  expectedFailures?: string;
  app?: string;
  tool?: string;
  toolArgs?: Record<string, unknown>;
  /** Working directory and extra environment of the target (`--cwd`, `--env K=V`). */
  cwd?: string;
  env?: Record<string, string>;
  protocolVersion?: string;
  advertiseClientSessions?: boolean;
  seed?: number;
  runs?: number;
  /** Per-request deadline, ms (`--timeout`). */
  timeout?: number;
  startTimeout?: number;
  checkTimeout?: number;
  /** Bound on the whole run, ms (`--run-timeout`, default 300000); the beforeAll hook waits this plus a minute. */
  runTimeout?: number;
  jobs?: number;
  maxMessageBytes?: number;
  /** Report files written as well (`--json`, `--junit`, `--markdown`, `--transcripts <dir>`). */
  json?: string;
  junit?: string;
  markdown?: string;
  transcripts?: string;
  /** Any further CLI words, passed as they are. */
  args?: string[];
  /** Name of the describe block (default: `session conformance: <target>`). */
  name?: string;
}

export const BIN = fileURLToPath(new URL('./bin.js', import.meta.url));
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : v.split(','));

/** The CLI words for `options`, without the JSON report (the caller adds it). */
export function cliWords(o: SessionConformanceOptions): string[] {
  if ((o.server === undefined) === (o.reference === undefined)) throw new Error('sessionConformance: give exactly one of `server` or `reference`');
  if (o.reference === 'all') throw new Error('sessionConformance: `reference: "all"` runs several targets; call sessionConformance once per server');
  const words = o.server !== undefined ? ['--server', o.server] : ['--reference', o.reference!];
  const add = (flag: string, value: string | number | undefined) => value !== undefined && words.push(flag, String(value));
  add('--draft', o.draft);
  for (const p of list(o.only)) words.push('--only', p);
  for (const p of list(o.skip)) words.push('--skip', p);
  if (o.strict) words.push('--strict');
  if (o.advertiseClientSessions) words.push('--advertise-client-sessions');
  add('--expected-failures', o.expectedFailures);
  add('--app', o.app);
  add('--tool', o.tool);
  add('--tool-args', o.toolArgs && JSON.stringify(o.toolArgs));
  add('--cwd', o.cwd);
  for (const [k, v] of Object.entries(o.env ?? {})) words.push('--env', `${k}=${v}`);
  add('--protocol-version', o.protocolVersion);
  add('--seed', o.seed);
  add('--runs', o.runs);
  add('--timeout', o.timeout);
  add('--start-timeout', o.startTimeout);
  add('--check-timeout', o.checkTimeout);
  add('--run-timeout', o.runTimeout);
  add('--jobs', o.jobs);
  add('--max-message-bytes', o.maxMessageBytes);
  add('--junit', o.junit);
  add('--markdown', o.markdown);
  add('--transcripts', o.transcripts);
  return [...words, ...(o.args ?? [])];
}

/** The ids the run will report, in the CLI's order: the draft's checks, then --only / --skip. */
export function plannedIds(o: SessionConformanceOptions): { draft: string; ids: string[] } {
  const listed = JSON.parse(
    execFileSync(process.execPath, [BIN, 'list', '--json', ...(o.draft ? ['--draft', o.draft] : [])], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }),
  ) as { draft: string; checks: { id: string; level: string | null }[] };
  const all = listed.checks.map((c) => c.id);
  const ofDraft = listed.checks.filter((c) => c.level !== null).map((c) => c.id);
  return { draft: listed.draft, ids: selectChecks(ofDraft, all, listed.draft, list(o.only), list(o.skip)) };
}

export interface CliOutcome {
  code: number | null;
  report?: RunResult;
  stdout: string;
  stderr: string;
}

/** Runs the CLI once with a JSON report; resolves when it exits. `track` receives the child (to stop it). */
export function runConformance(o: SessionConformanceOptions, track?: (child: ChildProcess) => void): Promise<CliOutcome> {
  // Without o.json the report goes to a directory of its own, removed once it is read.
  const own = o.json === undefined ? mkdtempSync(join(tmpdir(), 'msc-vitest-')) : undefined;
  const json = o.json ?? join(own!, 'report.json');
  const child = spawn(process.execPath, [BIN, ...cliWords(o), '--json', json, '-q'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      if (own) rmSync(own, { recursive: true, force: true });
      reject(err);
    });
    child.on('close', (code) => {
      let report: RunResult | undefined;
      try {
        report = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
      } finally {
        if (own) rmSync(own, { recursive: true, force: true });
      }
      resolve({ code, report, stdout, stderr });
    });
  });
}

/** What one check's result means for its test. */
export type TestVerdict =
  | { kind: 'pass'; note?: { type: 'warning' | 'notice'; message: string } }
  | { kind: 'skip'; message: string }
  | { kind: 'fail'; message: string };

/** Maps a check's result as the CLI counts it: what blocks a conformant verdict fails the test. */
export function testVerdict(report: RunResult, id: string): TestVerdict {
  const c = report.checks.find((x) => x.id === id);
  if (!c) {
    const why = report.fatal ? `${report.fatal.kind}: ${report.fatal.message}` : report.stopped ?? `verdict ${report.verdict}`;
    return { kind: 'fail', message: `${id} was not run (${why})` };
  }
  const ef = report.expectedFailures?.find((e) => e.id === id);
  const finding = (head: string) => `${head}\n${formatFinding(c, { color: false })}`;
  if (ef && ef.stillFails) return { kind: 'pass', note: { type: 'notice', message: `expected failure (${ef.reason}): ${c.status}: ${c.message}` } };
  if (ef && !ef.stillFails) {
    return { kind: 'fail', message: `${id} is listed in the expected failures (${ef.reason}) but no longer fails (${c.status}): remove it from the list` };
  }
  switch (c.status) {
    case 'pass':
      return { kind: 'pass' };
    case 'info':
      return { kind: 'pass', note: { type: 'notice', message: c.message } };
    case 'warn':
      return report.strict ? { kind: 'fail', message: finding(`${id} warn (a failure under strict): ${c.title}`) } : { kind: 'pass', note: { type: 'warning', message: warning(c) } };
    case 'skip':
      return { kind: 'skip', message: c.message };
    case 'fail':
      return { kind: 'fail', message: finding(`${id} fail: ${c.title}`) };
    default:
      // untestable (could not test: blocks the verdict), incomplete (not judged), harness-error (the suite broke).
      return { kind: 'fail', message: finding(`${id} ${c.status}: ${c.title}`) };
  }
}

function warning(c: CheckResult): string {
  return `${c.level} not met: ${c.message}${c.fix ? ` — fix: ${c.fix}` : ''}`;
}
