// What one invocation does: resolve the target(s), run, write the requested reports, and
// return the exit code. Output goes through `io`, so tests and the CLI share it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { REFERENCE_SERVERS, referenceCommand } from '../reference-servers/catalog.js';
import { formatConsoleReport, formatMatrix, formatProgress, summaryLine } from '../reports/console.js';
import type { Invocation } from './args.js';
import { loadProfile, UsageError } from '../runner/profiles.js';
import { randomSeed } from '../harness/random.js';
import { runSuite } from '../runner/runner.js';
import type { Transcript } from '../harness/transcript.js';
import type { RunResult } from '../runner/types.js';

export const EXIT = { conformant: 0, nonConformant: 1, usage: 2, targetStart: 3, internal: 4 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  signal?: AbortSignal;
}

interface Target {
  label: string;
  command: string;
  /** The CLI words that name this target in a rerun command. */
  words: string[];
  server?: string;
}

export async function execute(inv: Invocation, io: Io): Promise<number> {
  // Fault injection for the suite's own tests of exit code 4 (internal error).
  if (process.env.MCP_SESSION_CONFORMANCE_FAULT === 'internal') throw new Error('internal fault injected by MCP_SESSION_CONFORMANCE_FAULT');
  const profile = loadProfile(inv.draft);
  if (inv.command === 'list') return await list(inv, io, profile);

  const targets = resolveTargets(inv);
  const seed = inv.seed ?? randomSeed();
  const expectedFailures = inv.expectedFailures ? readExpectedFailures(inv.expectedFailures) : undefined;
  const runs: { target: Target; run: RunResult }[] = [];
  // Several targets (--reference all): one summary line each and the matrix; the full report
  // only for a target that is not conformant (or with --verbose).
  const compact = targets.length > 1 && !inv.verbose;
  for (const target of targets) {
    if (io.signal?.aborted) break;
    if (targets.length > 1 && !compact && !inv.quiet) io.out(`\n== ${target.label} ==\n`);
    const { run, transcript } = await runSuite({
      target: {
        command: target.command,
        cwd: inv.cwd,
        env: inv.env,
        startTimeout: inv.startTimeout,
        requestTimeout: inv.requestTimeout,
        protocolVersion: inv.protocolVersion,
        advertiseClientSessions: inv.advertiseClientSessions,
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
      app: inv.app,
      checkTimeout: inv.checkTimeout,
      runTimeout: inv.runTimeout,
      rerun: (id) => rerunCommand(inv, target, seed, id),
      expectedFailures,
      onResult: inv.quiet || compact ? undefined : (r) => io.out(`${formatProgress(r, { color: io.color })}\n`),
      signal: io.signal,
    });
    runs.push({ target, run });
    if (compact && run.verdict === 'conformant') io.out(`${(target.server ?? target.label).padEnd(26)} ${summaryLine(run)}\n`);
    else io.out(`${formatConsoleReport(run, { color: io.color, verbose: inv.verbose, timings: inv.timings })}\n`);
    await writeReports(inv, run, transcript, targets.length > 1 ? target.server : undefined);
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
  if (runs.some((r) => r.verdict !== 'conformant')) return EXIT.nonConformant;
  return EXIT.conformant;
}

function resolveTargets(inv: Invocation): Target[] {
  if (inv.server) return [{ label: inv.server, command: inv.server, words: ['--server', shellQuote(inv.server)] }];
  const names = REFERENCE_SERVERS.map((s) => s.name);
  const wanted = inv.reference === 'all' ? names : [inv.reference!];
  for (const name of wanted) {
    if (!names.includes(name)) throw new UsageError(`unknown reference server "${name}" (known: ${names.join(', ')}, all)`);
  }
  return wanted.map((name) => ({
    label: `reference:${name}`,
    command: referenceCommand(name, inv.draft),
    words: ['--reference', name],
    server: name,
  }));
}

function rerunCommand(inv: Invocation, target: Target, seed: number, id: string): string {
  const words = ['npx', 'mcp-session-conformance', ...target.words];
  if (inv.draft) words.push('--draft', inv.draft);
  if (inv.tool) words.push('--tool', inv.tool);
  if (inv.toolArgs) words.push('--tool-args', shellQuote(JSON.stringify(inv.toolArgs)));
  if (inv.app) words.push('--app', inv.app);
  if (inv.cwd) words.push('--cwd', shellQuote(inv.cwd));
  for (const [k, v] of Object.entries(inv.env)) words.push('--env', shellQuote(`${k}=${v}`));
  if (inv.requestTimeout !== 5000) words.push('--timeout', String(inv.requestTimeout));
  if (inv.runs !== 25) words.push('--runs', String(inv.runs));
  if (inv.strict) words.push('--strict');
  words.push('--seed', String(seed), '--only', id);
  return words.join(' ');
}

export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The file reports are loaded only when asked for (the CLI's start stays short). */
async function writeReports(inv: Invocation, run: RunResult, transcript: Transcript, server?: string): Promise<void> {
  const path = (file: string) => (server ? join(dirname(file), `${basename(file, extname(file))}.${server}${extname(file)}`) : file);
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  if (inv.json) write(path(inv.json), (await import('../reports/json.js')).formatJson(run, { timings: inv.timings }));
  if (inv.junit) write(path(inv.junit), (await import('../reports/junit.js')).toJUnit(run, { strict: inv.strict, timings: inv.timings }));
  if (inv.markdown) write(path(inv.markdown), (await import('../reports/markdown.js')).toMarkdown(run));
  if (inv.transcripts) {
    const name = server ?? 'transcript';
    const lines = transcript.entries.map((e) =>
      JSON.stringify({ seq: e.seq, ...(inv.timings ? { t: Math.round(e.t * 10) / 10 } : {}), conn: e.conn, dir: e.dir, check: e.check, text: e.text, problems: e.problems }),
    );
    write(join(inv.transcripts, `${name}.jsonl`), `${lines.join('\n')}\n`);
  }
}

function readExpectedFailures(file: string): { id: string; reason: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --expected-failures file: ${(err as Error).message}`);
  }
  if (text.trim().startsWith('[')) {
    const entries = JSON.parse(text) as { id: string; reason?: string }[];
    return entries.map((e) => ({ id: String(e.id).toUpperCase(), reason: e.reason ?? '' }));
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [id, ...rest] = l.split(/\s+/);
      return { id: id!.toUpperCase(), reason: rest.join(' ') };
    });
}

async function list(inv: Invocation, io: Io, profile: ReturnType<typeof loadProfile>): Promise<number> {
  const { ALL_CHECKS } = await import('../suites/index.js');
  const rows = ALL_CHECKS.map((c) => ({ id: c.id, title: c.title, section: c.section, level: profile.levels[c.id] ?? null, spec: c.spec }));
  if (inv.listJson) {
    io.out(`${JSON.stringify({ draft: profile.draft, checks: rows }, null, 2)}\n`);
  } else {
    io.out(`Checks for draft ${profile.draft} (${profile.title}):\n`);
    for (const r of rows) io.out(`${r.id.padEnd(16)} ${(r.level ?? '—').padEnd(6)} ${r.section.padEnd(10)} ${r.title}\n`);
  }
  return EXIT.conformant;
}
