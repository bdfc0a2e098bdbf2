// What one invocation does: resolve the target(s), run, write the requested reports, and
// return the exit code. Output goes through `io`, so tests and the CLI share it.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { REFERENCE_SERVERS, referenceCommand } from '../reference-servers/catalog.js';
import { brokenEntry, brokenEntryApp, brokenServerCommand, brokenServerNames } from '../reference-servers/broken-catalog.js';
import { closest } from '../runner/select.js';
import { formatConsoleReport, formatMatrix, formatProgress, summaryLine } from '../reports/console.js';
import { commandGuard, githubAnnotations } from '../reports/github.js';
import { explainCommand } from '../reports/model.js';
import type { Invocation } from './args.js';
import { checkOutputDirectory, checkOutputFile, checkWorkingDirectory, readExpectedFailures, writeReportFile } from './files.js';
import { loadProfile, UsageError } from '../runner/profiles.js';
import { randomSeed } from '../harness/random.js';
import { REFERENCE_APPS } from '../harness/reference-apps.js';
import { runSuite } from '../runner/runner.js';
// Loaded before the run anyway (the runner and the argument parser use them): static imports.
import { specOf } from '../suites/check.js';
import { CLIENT_CHECKS, CLIENT_RULES, SCENARIO_NAMES } from '../client-mode/catalog.js';
import { Transcript } from '../harness/transcript.js';
import { TranscriptFile } from '../harness/transcript-file.js';
import type { RunResult } from '../runner/types.js';
import type { HttpTargetSpec } from '../harness/http/types.js';

/**
 * 5: the run was cut short (--run-timeout) or a check was not fully judged: no verdict (D17).
 * 6: the run finished but a report file asked for could not be written (the verdict is in the
 * console report; the other reports were written).
 */
export const EXIT = { conformant: 0, nonConformant: 1, usage: 2, targetStart: 3, internal: 4, incomplete: 5, reportWrite: 6 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * Where the live line per finished check goes; none when unset. The CLI sends it to a
   * terminal only (stdout if it is one, else stderr if that is one), so a redirected report
   * lists each check once.
   */
  progress?(text: string): void;
  color: boolean;
  signal?: AbortSignal;
}

interface Target {
  label: string;
  /** None for an already running HTTP server (--url alone). */
  command?: string;
  /** Streamable HTTP endpoint and --header pairs. */
  http?: HttpTargetSpec;
  /** Names this target's report files and transcripts when several targets run. */
  key?: string;
  /** The CLI words that name this target in a rerun command. */
  words: string[];
  server?: string;
  /** The reference application the target is declared as (D15): --app, or the --reference name. */
  app?: string;
  /** Printed before the run (a broken server: what it must fail, and why). */
  note?: string;
}

export async function execute(inv: Invocation, io: Io): Promise<number> {
  // Fault injection for the suite's own tests of exit code 4 (internal error).
  if (process.env.MCP_SESSION_CONFORMANCE_FAULT === 'internal') throw new Error('internal fault injected by MCP_SESSION_CONFORMANCE_FAULT');
  const profile = loadProfile(inv.draft);
  if (inv.command === 'list') return await list(inv, io, profile);
  if (inv.command === 'explain') return await explain(inv, io);
  if (inv.command === 'client') {
    const { executeClient } = await import('./client-app.js');
    return await executeClient(inv, io, { exitCode, writeReports: async (i, run) => {
      for (const problem of await writeReports(i, run)) io.err(`mcp-session-conformance: ${problem}\n`);
    } });
  }

  const targets = resolveTargets(inv, profile.draft);
  checkFileArguments(inv, targets);
  const seed = inv.seed ?? randomSeed();
  const expectedFailures = inv.expectedFailures ? readExpectedFailures(inv.expectedFailures) : undefined;
  const runs: { target: Target; run: RunResult }[] = [];
  let unwritten = 0;
  // Several targets (--reference all): one summary line each and the matrix; the full report
  // only for a target that is not conformant (or with --verbose).
  const compact = targets.length > 1 && !inv.verbose;
  const nameWidth = Math.max(26, ...targets.map((t) => (t.server ?? t.label).length + 1));
  for (const target of targets) {
    if (io.signal?.aborted) break;
    if (targets.length > 1 && !compact && !inv.quiet) io.out(`\n== ${target.label} ==\n`);
    if (target.note) io.out(`${target.note}\n\n`);
    // --transcripts: every entry goes to disk as it is recorded, none waits in memory for the end.
    const file = inv.transcripts
      ? new TranscriptFile(join(inv.transcripts, `${targets.length > 1 ? target.key : 'transcript'}.jsonl`), { timings: inv.timings })
      : undefined;
    const transcript = new Transcript({}, file && ((e) => file.write(e)));
    // --header values never appear in a transcript or report (a target may echo them back).
    transcript.redact(inv.headers.map(([, value]) => value));
    const running = runSuite({
      transcript,
      target: {
        command: target.command,
        ...(target.http ? { http: target.http } : {}),
        cwd: inv.cwd,
        env: inv.env,
        startTimeout: inv.startTimeout,
        requestTimeout: inv.requestTimeout,
        protocolVersion: inv.protocolVersion,
        advertiseClientSessions: inv.advertiseClientSessions,
        maxMessageBytes: inv.maxMessageBytes,
      },
      targetLabel: target.label,
      profile,
      seed,
      strict: inv.strict,
      only: inv.only,
      skip: inv.skip,
      jobs: inv.jobs ?? Math.max(1, availableParallelism()),
      runs: inv.runs,
      replay: inv.replay,
      tool: inv.tool ? { name: inv.tool, args: inv.toolArgs } : undefined,
      app: target.app,
      checkTimeout: inv.checkTimeout,
      runTimeout: inv.runTimeout,
      rerun: (id) => rerunCommand(inv, target, seed, id),
      expectedFailures,
      onResult: inv.quiet || compact || !io.progress ? undefined : (r) => io.progress!(`${formatProgress(r, { color: io.color })}\n`),
      signal: io.signal,
    });
    const { run } = await running.finally(() => file?.close());
    runs.push({ target, run });
    if (compact && run.verdict === 'conformant') io.out(`${(target.server ?? target.label).padEnd(nameWidth)} ${summaryLine(run)}\n`);
    else report(inv, io, `${formatConsoleReport(run, { color: io.color, verbose: inv.verbose, timings: inv.timings })}\n`, run, targets.length > 1 ? target.label : undefined);
    for (const problem of await writeReports(inv, run, targets.length > 1 ? target.key : undefined)) {
      io.err(`mcp-session-conformance: ${problem}\n`);
      unwritten++;
    }
  }
  if (runs.length > 1) {
    io.out(`\n${formatMatrix(runs.map((r) => ({ server: r.target.server ?? r.target.label, run: r.run })), { color: io.color })}\n`);
    if (compact) io.out('Each check of one server: --reference <name>; every report in full: --verbose.\n');
  }
  if (io.signal?.aborted) return 130;
  const code = exitCode(runs.map((r) => r.run));
  // A missing report outranks the verdict (a CI step must not read 0 and find no report), not a
  // harness failure (4) or a target that never started (3), which say more about the run.
  if (unwritten > 0 && code !== EXIT.internal && code !== EXIT.targetStart) {
    io.err(`mcp-session-conformance: ${unwritten === 1 ? 'a report' : `${unwritten} reports`} could not be written (exit ${EXIT.reportWrite}); the run's verdict: ${verdicts(runs.map((r) => r.run))}\n`);
    return EXIT.reportWrite;
  }
  return code;
}

function verdicts(runs: RunResult[]): string {
  return [...new Set(runs.map((r) => r.verdict))].join(', ');
}

/**
 * A run's console report. With --annotations github: wrapped in ::stop-commands:: so nothing a
 * target wrote into it can act as a workflow command, then one annotation per problem.
 */
function report(inv: Invocation, io: Io, text: string, run: RunResult, target?: string): void {
  if (inv.annotations !== 'github') return io.out(text);
  const guard = commandGuard(randomUUID());
  io.out(`${guard.stop}\n${text}${guard.resume}\n`);
  const lines = githubAnnotations(run, { target });
  if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
}

function exitCode(runs: RunResult[]): number {
  if (runs.some((r) => r.fatal?.kind === 'internal' || r.verdict === 'error')) return EXIT.internal;
  if (runs.some((r) => r.fatal?.kind === 'target-start')) return EXIT.targetStart;
  if (runs.some((r) => r.verdict === 'incomplete')) return EXIT.incomplete;
  if (runs.some((r) => r.verdict !== 'conformant')) return EXIT.nonConformant;
  return EXIT.conformant;
}

function resolveTargets(inv: Invocation, draft: string): Target[] {
  const apps = Object.keys(REFERENCE_APPS);
  if (inv.app !== undefined && !apps.includes(inv.app)) {
    throw new UsageError(`--app: unknown application "${inv.app}" (known: ${apps.join(', ')})`);
  }
  const headerWords = inv.headers.flatMap(([name]) => ['--header', shellQuote(`${name}: <redacted>`)]);
  if (inv.url !== undefined) {
    const http = { url: inv.url, headers: inv.headers };
    const urlWords = ['--url', shellQuote(inv.url), ...headerWords];
    if (inv.server) return [{ label: inv.server, command: inv.server, http, words: ['--server', shellQuote(inv.server), ...urlWords], app: inv.app }];
    return [{ label: inv.url, http, words: urlWords, app: inv.app }];
  }
  if (inv.server) return [{ label: inv.server, command: inv.server, words: ['--server', shellQuote(inv.server)], app: inv.app }];
  if (inv.reference?.startsWith('broken/')) return [brokenTarget(inv.reference.slice('broken/'.length), draft, inv.app)];
  const names = REFERENCE_SERVERS.map((s) => s.name);
  const wanted = inv.reference === 'all' ? names : [inv.reference!];
  for (const name of wanted) {
    if (!names.includes(name)) throw new UsageError(`unknown reference server "${name}" (known: ${names.join(', ')}, all)`);
  }
  // A bundled reference is declared as its own application (D15); --app may only repeat that.
  if (inv.app !== undefined && wanted.some((name) => name !== inv.app)) {
    throw new UsageError(`--app ${inv.app} does not fit --reference ${inv.reference}: a reference server is declared as its own application`);
  }
  const both = inv.transports.length > 1;
  return wanted.flatMap((name) =>
    inv.transports.map((transport): Target => {
      const over = transport === 'http';
      return {
        label: `reference:${name}${over ? ' (http)' : ''}`,
        // The contract with the reference servers: `--transport http --port N` serves http://127.0.0.1:N/mcp.
        command: over ? `${referenceCommand(name, inv.draft)} --transport http --port {port}` : referenceCommand(name, inv.draft),
        ...(over ? { http: { url: 'http://127.0.0.1:{port}/mcp', headers: inv.headers } } : {}),
        words: ['--reference', name, ...(over ? ['--transport', 'http', ...headerWords] : [])],
        server: both ? `${name} (${transport})` : name,
        key: both && over ? `${name}.http` : name,
        app: name,
      };
    }),
  );
}

/** A broken server (`--reference broken/<name>`): run with its manifest's --app, its defect named up front. */
function brokenTarget(name: string, draft: string, app?: string): Target {
  const names = brokenServerNames();
  if (!names.includes(name)) {
    const near = closest(name, names);
    throw new UsageError(`unknown broken server "${name}"${near ? `; did you mean broken/${near}?` : ''} (${names.length} known: ${names.join(', ')})`);
  }
  const entry = brokenEntry(name, draft, app);
  const declared = app ?? brokenEntryApp(entry);
  const expect = entry
    ? [entry.mustFail?.length ? `must fail ${entry.mustFail.join(', ')}` : 'fails nothing', entry.mustWarn?.length ? `warns ${entry.mustWarn.join(', ')}` : '']
        .filter(Boolean)
        .join('; ')
    : 'no manifest entry for this draft and application';
  return {
    label: `reference:broken/${name}`,
    command: brokenServerCommand(name, draft),
    words: ['--reference', `broken/${name}`, ...(app ? ['--app', app] : [])],
    server: `broken-${name}`,
    key: `broken-${name}`,
    app: declared,
    note: `broken/${name} is broken on purpose (${expect}${declared ? `, declared as --app ${declared}` : ''}): ${entry?.why ?? ''}`,
  };
}

function rerunCommand(inv: Invocation, target: Target, seed: number, id: string): string {
  const words = ['npx', 'mcp-session-conformance', ...target.words];
  if (inv.draft) words.push('--draft', inv.draft);
  if (inv.tool) words.push('--tool', inv.tool);
  if (inv.toolArgs) words.push('--tool-args', shellQuote(JSON.stringify(inv.toolArgs)));
  if (inv.app && !inv.reference) words.push('--app', inv.app);
  if (inv.cwd) words.push('--cwd', shellQuote(inv.cwd));
  for (const [k, v] of Object.entries(inv.env)) words.push('--env', shellQuote(`${k}=${v}`));
  if (inv.requestTimeout !== 5000) words.push('--timeout', String(inv.requestTimeout));
  if (inv.runs !== 25) words.push('--runs', String(inv.runs));
  if (inv.strict) words.push('--strict');
  if (inv.maxMessageBytes !== undefined) words.push('--max-message-bytes', String(inv.maxMessageBytes));
  words.push('--seed', String(seed), '--only', id);
  return words.join(' ');
}

export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Every report path and the target's --cwd, checked before the run: a bad one is a usage error (exit 2). */
function checkFileArguments(inv: Invocation, targets: Target[]): void {
  const servers = targets.length > 1 ? targets.map((t) => t.key) : [undefined];
  for (const [flag, file] of [['--json', inv.json], ['--junit', inv.junit], ['--markdown', inv.markdown], ['--html', inv.html]] as const) {
    if (file) for (const server of servers) checkOutputFile(flag, reportPath(file, server));
  }
  if (inv.transcripts) checkOutputDirectory('--transcripts', inv.transcripts);
  if (inv.cwd) checkWorkingDirectory(inv.cwd);
}

/** The report file of one target: `<stem>.<server>.<ext>` when several targets run. */
function reportPath(file: string, server?: string): string {
  return server ? join(dirname(file), `${basename(file, extname(file))}.${server}${extname(file)}`) : file;
}

/**
 * The file reports are loaded only when asked for (the CLI's start stays short). Returns what
 * could not be written, one line each; every other report is still written.
 */
async function writeReports(inv: Invocation, run: RunResult, server?: string): Promise<string[]> {
  const problems: string[] = [];
  const write = (flag: string, file: string, text: string) => {
    const problem = writeReportFile(flag, reportPath(file, server), text);
    if (problem) problems.push(problem);
  };
  if (inv.json) write('--json', inv.json, (await import('../reports/json.js')).formatJson(run, { timings: inv.timings }));
  if (inv.junit) write('--junit', inv.junit, (await import('../reports/junit.js')).toJUnit(run, { strict: inv.strict, timings: inv.timings }));
  if (inv.markdown) write('--markdown', inv.markdown, (await import('../reports/markdown.js')).toMarkdown(run));
  if (inv.html) write('--html', inv.html, (await import('../reports/html.js')).toHtml(run, { timings: inv.timings }));
  return problems;
}

async function list(inv: Invocation, io: Io, profile: ReturnType<typeof loadProfile>): Promise<number> {
  const { ALL_CHECKS } = await import('../suites/index.js');
  const rows = ALL_CHECKS.map((c) => ({ id: c.id, title: c.title, section: c.section, level: profile.levels[c.id] ?? null, spec: specOf(c, profile) }));
  const clientRows = CLIENT_CHECKS.map((c) => ({ id: c.id, title: c.title, section: 'client', level: profile.levels[c.id] ?? null, spec: c.spec }));
  if (inv.listJson) {
    // The same fields as `explain <id> --json`: levels and sources per draft, how, example, fix.
    const { explainAll } = await import('../runner/explain.js');
    const explained = explainAll(ALL_CHECKS);
    const checks = rows.map((r, i) => ({ ...r, ...explained[i]!, explain: explainCommand(r.id) }));
    const { explainRule } = await import('../runner/explain.js');
    const clientChecks = clientRows.map((r, i) => ({ ...r, ...explainRule(CLIENT_RULES[i]!), explain: explainCommand(r.id) }));
    io.out(`${JSON.stringify({ draft: profile.draft, checks, clientChecks }, null, 2)}\n`);
  } else {
    io.out(`Checks for draft ${profile.draft} (${profile.title}):\n`);
    for (const r of rows) io.out(`${r.id.padEnd(16)} ${(r.level ?? '—').padEnd(6)} ${r.section.padEnd(10)} ${r.title}\n`);
    io.out(`\nClient checks (mcp-session-conformance client --command "<client cmd>"), judged per scenario:\n`);
    for (const r of clientRows) io.out(`${r.id.padEnd(16)} ${(r.level ?? '—').padEnd(6)} ${r.section.padEnd(10)} ${r.title}\n`);
    io.out(`Scenarios: ${SCENARIO_NAMES.join(', ')}\n`);
  }
  return EXIT.conformant;
}

/** `explain <id>`: the rule, its levels, source, how it is tested, an example failure, the fix. */
async function explain(inv: Invocation, io: Io): Promise<number> {
  const { ALL_CHECKS } = await import('../suites/index.js');
  const { explainOne } = await import('../runner/explain.js');
  const explanation = explainOne(ALL_CHECKS, inv.explainId!, CLIENT_RULES);
  if (inv.listJson) io.out(`${JSON.stringify({ ...explanation, explain: explainCommand(explanation.id) }, null, 2)}\n`);
  else io.out((await import('../reports/explain.js')).formatExplanation(explanation, { color: io.color }));
  return EXIT.conformant;
}
