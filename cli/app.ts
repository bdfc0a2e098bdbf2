// What one invocation does: resolve the target(s), run, write the requested reports, and
// return the exit code. Output goes through `io`, so tests and the CLI share it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { REFERENCE_SERVERS, referenceCommand } from '../reference-servers/catalog.js';
import { formatConsoleReport, formatMatrix, formatProgress, summaryLine } from '../reports/console.js';
import type { Invocation } from './args.js';
import { checkOutputDirectory, checkOutputFile, checkWorkingDirectory, readExpectedFailures } from './files.js';
import { loadProfile, UsageError } from '../runner/profiles.js';
import { randomSeed } from '../harness/random.js';
import { REFERENCE_APPS } from '../harness/reference-apps.js';
import { runSuite } from '../runner/runner.js';
import { Transcript } from '../harness/transcript.js';
import { TranscriptFile } from '../harness/transcript-file.js';
import type { RunResult } from '../runner/types.js';

/** 5: the run was cut short (--run-timeout) or a check was not fully judged: no verdict (D17). */
export const EXIT = { conformant: 0, nonConformant: 1, usage: 2, targetStart: 3, internal: 4, incomplete: 5 } as const;

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
  command: string;
  /** The CLI words that name this target in a rerun command. */
  words: string[];
  server?: string;
  /** The reference application the target is declared as (D15): --app, or the --reference name. */
  app?: string;
}

export async function execute(inv: Invocation, io: Io): Promise<number> {
  // Fault injection for the suite's own tests of exit code 4 (internal error).
  if (process.env.MCP_SESSION_CONFORMANCE_FAULT === 'internal') throw new Error('internal fault injected by MCP_SESSION_CONFORMANCE_FAULT');
  const profile = loadProfile(inv.draft);
  if (inv.command === 'list') return await list(inv, io, profile);
  if (inv.command === 'client') {
    const { executeClient } = await import('./client-app.js');
    return await executeClient(inv, io, { exitCode, writeReports: (i, run) => writeReports(i, run) });
  }

  const targets = resolveTargets(inv);
  checkFileArguments(inv, targets);
  const seed = inv.seed ?? randomSeed();
  const expectedFailures = inv.expectedFailures ? readExpectedFailures(inv.expectedFailures) : undefined;
  const runs: { target: Target; run: RunResult }[] = [];
  // Several targets (--reference all): one summary line each and the matrix; the full report
  // only for a target that is not conformant (or with --verbose).
  const compact = targets.length > 1 && !inv.verbose;
  for (const target of targets) {
    if (io.signal?.aborted) break;
    if (targets.length > 1 && !compact && !inv.quiet) io.out(`\n== ${target.label} ==\n`);
    // --transcripts: every entry goes to disk as it is recorded, none waits in memory for the end.
    const file = inv.transcripts
      ? new TranscriptFile(join(inv.transcripts, `${targets.length > 1 ? target.server : 'transcript'}.jsonl`), { timings: inv.timings })
      : undefined;
    const running = runSuite({
      transcript: new Transcript({}, file && ((e) => file.write(e))),
      target: {
        command: target.command,
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
    if (compact && run.verdict === 'conformant') io.out(`${(target.server ?? target.label).padEnd(26)} ${summaryLine(run)}\n`);
    else io.out(`${formatConsoleReport(run, { color: io.color, verbose: inv.verbose, timings: inv.timings })}\n`);
    await writeReports(inv, run, targets.length > 1 ? target.server : undefined);
  }
  if (runs.length > 1) {
    io.out(`\n${formatMatrix(runs.map((r) => ({ server: r.target.server ?? r.target.label, run: r.run })), { color: io.color })}\n`);
    if (compact) io.out('Each check of one server: --reference <name>; every report in full: --verbose.\n');
  }
  if (io.signal?.aborted) return 130;
  return exitCode(runs.map((r) => r.run));
}

function exitCode(runs: RunResult[]): number {
  if (runs.some((r) => r.fatal?.kind === 'internal' || r.verdict === 'error')) return EXIT.internal;
  if (runs.some((r) => r.fatal?.kind === 'target-start')) return EXIT.targetStart;
  if (runs.some((r) => r.verdict === 'incomplete')) return EXIT.incomplete;
  if (runs.some((r) => r.verdict !== 'conformant')) return EXIT.nonConformant;
  return EXIT.conformant;
}

function resolveTargets(inv: Invocation): Target[] {
  const apps = Object.keys(REFERENCE_APPS);
  if (inv.app !== undefined && !apps.includes(inv.app)) {
    throw new UsageError(`--app: unknown application "${inv.app}" (known: ${apps.join(', ')})`);
  }
  if (inv.server) return [{ label: inv.server, command: inv.server, words: ['--server', shellQuote(inv.server)], app: inv.app }];
  const names = REFERENCE_SERVERS.map((s) => s.name);
  const wanted = inv.reference === 'all' ? names : [inv.reference!];
  for (const name of wanted) {
    if (!names.includes(name)) throw new UsageError(`unknown reference server "${name}" (known: ${names.join(', ')}, all)`);
  }
  // A bundled reference is declared as its own application (D15); --app may only repeat that.
  if (inv.app !== undefined && wanted.some((name) => name !== inv.app)) {
    throw new UsageError(`--app ${inv.app} does not fit --reference ${inv.reference}: a reference server is declared as its own application`);
  }
  return wanted.map((name) => ({
    label: `reference:${name}`,
    command: referenceCommand(name, inv.draft),
    words: ['--reference', name],
    server: name,
    app: name,
  }));
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
  const servers = targets.length > 1 ? targets.map((t) => t.server) : [undefined];
  for (const [flag, file] of [['--json', inv.json], ['--junit', inv.junit], ['--markdown', inv.markdown]] as const) {
    if (file) for (const server of servers) checkOutputFile(flag, reportPath(file, server));
  }
  if (inv.transcripts) checkOutputDirectory('--transcripts', inv.transcripts);
  if (inv.cwd) checkWorkingDirectory(inv.cwd);
}

/** The report file of one target: `<stem>.<server>.<ext>` when several targets run. */
function reportPath(file: string, server?: string): string {
  return server ? join(dirname(file), `${basename(file, extname(file))}.${server}${extname(file)}`) : file;
}

/** The file reports are loaded only when asked for (the CLI's start stays short). */
async function writeReports(inv: Invocation, run: RunResult, server?: string): Promise<void> {
  const path = (file: string) => reportPath(file, server);
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  if (inv.json) write(path(inv.json), (await import('../reports/json.js')).formatJson(run, { timings: inv.timings }));
  if (inv.junit) write(path(inv.junit), (await import('../reports/junit.js')).toJUnit(run, { strict: inv.strict, timings: inv.timings }));
  if (inv.markdown) write(path(inv.markdown), (await import('../reports/markdown.js')).toMarkdown(run));
}

async function list(inv: Invocation, io: Io, profile: ReturnType<typeof loadProfile>): Promise<number> {
  const { ALL_CHECKS } = await import('../suites/index.js');
  const { specOf } = await import('../suites/check.js');
  const { CLIENT_CHECKS, SCENARIO_NAMES } = await import('../client-mode/catalog.js');
  const rows = ALL_CHECKS.map((c) => ({ id: c.id, title: c.title, section: c.section, level: profile.levels[c.id] ?? null, spec: specOf(c, profile) }));
  const clientRows = CLIENT_CHECKS.map((c) => ({ id: c.id, title: c.title, section: 'client', level: profile.levels[c.id] ?? null, spec: c.spec }));
  if (inv.listJson) {
    io.out(`${JSON.stringify({ draft: profile.draft, checks: [...rows, ...clientRows] }, null, 2)}\n`);
  } else {
    io.out(`Checks for draft ${profile.draft} (${profile.title}):\n`);
    for (const r of rows) io.out(`${r.id.padEnd(16)} ${(r.level ?? '—').padEnd(6)} ${r.section.padEnd(10)} ${r.title}\n`);
    io.out(`\nClient checks (mcp-session-conformance client --command "<client cmd>"), judged per scenario:\n`);
    for (const r of clientRows) io.out(`${r.id.padEnd(16)} ${(r.level ?? '—').padEnd(6)} ${r.section.padEnd(10)} ${r.title}\n`);
    io.out(`Scenarios: ${SCENARIO_NAMES.join(', ')}\n`);
  }
  return EXIT.conformant;
}
