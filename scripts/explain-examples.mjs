// The example findings `explain <id>` shows, produced by the broken servers themselves: for every
// check id one manifest entry of reference-servers/broken/manifest.*.json that must fail (or warn)
// it is run with `--only <ids>`, and the finding of that id is kept. Shared by the generator
// (scripts/gen-explain.mjs) and the test that the stored examples still match what the broken
// servers produce (test/cli/explain-examples.test.ts), so both run exactly the same commands.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
const DEFAULT_DRAFT = '2026-02-27';
const DRAFTS = ['2026-02-27', '2026-03-13'];
/** The seed of every example run: the same seed, the same probes. */
export const SEED = 1;
/** Transcript lines kept per example (head and tail, like the console report). */
const TRANSCRIPT_LINES = 8;
const LINE_MAX = 200;

function manifestEntries() {
  const dir = join(ROOT, 'reference-servers/broken');
  return readdirSync(dir)
    .filter((f) => /^manifest.*\.json$/.test(f))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/**
 * One example per id: the first manifest entry that must fail it (else the first that must warn
 * it), under the default draft when the entry covers it. Grouped by run: a broken server that
 * fails several chosen ids is run once, with all of them in --only.
 */
export function exampleRuns() {
  const chosen = new Map();
  const entries = manifestEntries();
  for (const kind of ['mustFail', 'mustWarn']) {
    for (const e of entries) {
      const drafts = e.draft ? [e.draft] : DRAFTS;
      const draft = drafts.includes(DEFAULT_DRAFT) ? DEFAULT_DRAFT : drafts[0];
      for (const id of e[kind] ?? []) {
        if (!chosen.has(id)) chosen.set(id, { server: e.server, args: e.args ?? [], draft, ...(e.transport === 'http' ? { transport: 'http' } : {}) });
      }
    }
  }
  const runs = new Map();
  for (const [id, c] of [...chosen].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = JSON.stringify([c.server, c.args, c.draft, c.transport ?? 'stdio']);
    if (!runs.has(key)) runs.set(key, { ...c, ids: [] });
    runs.get(key).ids.push(id);
  }
  return [...runs.values()];
}

/**
 * The words a user types to reproduce a run (from the repository root, after `npm run build`);
 * with the built broken-server `catalog`, the words of the run as it is made here: the server
 * started as `--reference broken/<name>` starts it, from the build's start-up snapshot when this
 * Node made it (the same compiled code, ~0.1 s of CPU less per start; the findings compared do
 * not name it).
 */
function cliWords(run, catalog) {
  const server = catalog ? catalog.brokenServerCommand(run.server, run.draft) : `node dist/reference-servers/broken/${run.server}.js --draft ${run.draft}`;
  // An HTTP entry: launched on a port the suite picks, reached over Streamable HTTP (issue 16).
  const target = run.transport === 'http' ? ['--server', `${server} --transport http --port {port}`, '--url', 'http://127.0.0.1:{port}/mcp'] : ['--server', server];
  return [...target, ...run.args, '--draft', run.draft, '--seed', String(SEED), '--only', run.ids.join(',')];
}

function quote(word) {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function excerpt(lines) {
  const cut = (l) => (l.length > LINE_MAX ? `${l.slice(0, LINE_MAX)}…` : l);
  if (lines.length <= TRANSCRIPT_LINES) return lines.map(cut);
  const head = TRANSCRIPT_LINES / 2;
  return [...lines.slice(0, head).map(cut), `… ${lines.length - TRANSCRIPT_LINES} lines omitted …`, ...lines.slice(-head).map(cut)];
}

/** Runs one example run through the built CLI; resolves with one finding per id. */
export async function runExample(run, { timeoutMs = 120_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'msc-explain-'));
  const json = join(dir, 'report.json');
  const words = cliWords(run);
  const catalog = await import(pathToFileURL(join(ROOT, 'dist/reference-servers/broken-catalog.js')).href);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...cliWords(run, catalog), '-q', '--json', json], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      let report;
      try {
        report = JSON.parse(readFileSync(json, 'utf8'));
      } catch {
        reject(new Error(`${run.server} (${run.draft}): no JSON report, exit ${code}: ${stderr}`));
        return;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const missing = run.ids.filter((id) => !report.checks.some((x) => x.id === id));
      if (missing.length > 0) {
        reject(new Error(`${run.server} (${run.draft}): ${missing.join(', ')} not run`));
        return;
      }
      // A run whose target did not start says why (the findings alone say only "not run").
      const why = report.fatal ? `${report.fatal.message}; target stderr: ${(report.stderrTail ?? []).slice(-5).join(' | ')}` : undefined;
      resolve(
        run.ids.map((id) => {
          const c = report.checks.find((x) => x.id === id);
          return {
            id,
            server: run.server,
            draft: run.draft,
            command: `node dist/cli/bin.js ${words.map(quote).join(' ')}`,
            status: c.status,
            level: c.level,
            message: c.message,
            expected: c.expected,
            actual: c.actual,
            fix: c.fix,
            transcript: excerpt(c.transcript ?? []),
            ...(why ? { why } : {}),
          };
        }),
      );
    });
  });
}

/** Runs every example run, `jobs` at a time; findings sorted by id. */
export async function runExamples(runs = exampleRuns(), jobs = 2) {
  const out = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < runs.length) out.push(...(await runExample(runs[next++])));
    }),
  );
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * A finding with what varies between runs of the same broken server masked: the session ids it
 * mints (hex runs), its clock (times) and counts that depend on timing ("9 of 100 creates"), and the excerpt
 * around a first difference in such an id.
 * Words, negative error codes and the seeded ids of the suite (conformance-unknown-…) stay, so a
 * stored example and a fresh run compare equal only when the check said the same thing.
 */
export function comparable(f) {
  const mask = (text) =>
    text == null
      ? text
      : text
          .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>')
          .replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, '<uuid>')
          .replace(/(first difference at character \d+: )"[^"]*" vs "[^"]*"/g, '$1<excerpt>')
          .replace(/[0-9a-fA-F]{16,}/g, '<hex>')
          .replace(/(?<![-\w])\d+/g, '<n>');
  return { id: f.id, status: f.status, level: f.level, message: mask(f.message), expected: mask(f.expected), actual: mask(f.actual), fix: mask(f.fix) };
}
