// Verdicts that hold on servers nobody here wrote (issue 13): every server in
// test/fixtures/foreign/ is run once per draft through the built CLI, as a user runs it, and the
// JSON report is compared with the exact verdict its manifest entry derives from the decisions.
// Two runs at a time (the machine has 2 cores); `--runs 10` bounds the property-based runs by
// count, which leaves every verdict of the corpus unchanged (D18: runs are bounded by count), and
// `--timeout 3000` bounds the wait for the one line a server drops on purpose (the lone surrogate
// of touch_counter_sdk_like, D20): every server here answers in milliseconds, so no verdict
// depends on it (D18: a target answering within --timeout is never failed for speed).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliRun } from '../conformance/run-cli.js';
import { DRAFTS, differences, loadManifest, type Draft, type ForeignServer } from './compare.js';

const manifest = loadManifest();
const RUNS = '10';
const TIMEOUT_MS = '3000';
const CONCURRENCY = 2;
const RUN_TIMEOUT_MS = 180_000;

const key = (server: string, draft: Draft) => `${server}@${draft}`;
const runs = new Map<string, CliRun | Error>();
let wallMs = 0;

function cliArgs(server: ForeignServer, draft: Draft): string[] {
  return ['--server', server.command, ...(server.url ? ['--url', server.url] : []), '--draft', draft, '--runs', RUNS, '--timeout', TIMEOUT_MS, '--quiet'];
}

function rerunLine(server: ForeignServer, draft: Draft, seed: unknown): string {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const words = cliArgs(server, draft).map((w, i, all) => (all[i - 1] === '--server' || all[i - 1] === '--url' ? quote(w) : w));
  return `node dist/cli/bin.js ${words.join(' ')}${seed === undefined ? '' : ` --seed ${seed}`}`;
}

beforeAll(async () => {
  const jobs = Object.entries(manifest).flatMap(([name, server]) => DRAFTS.map((draft) => ({ name, draft, server })));
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      try {
        runs.set(key(job.name, job.draft), await runCli(cliArgs(job.server, job.draft), { timeoutMs: RUN_TIMEOUT_MS }));
      } catch (err) {
        runs.set(key(job.name, job.draft), err as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  wallMs = performance.now() - started;
}, 30 * 60_000);

afterAll(() => {
  const rows = [...runs.entries()].map(([k, r]) => `${k.padEnd(40)} ${r instanceof Error ? 'did not finish' : `${Math.round(r.ms)} ms, exit ${r.code}`}`);
  console.log(`foreign corpus: ${runs.size} CLI runs, ${CONCURRENCY} at a time, ${Math.round(wallMs)} ms wall\n${rows.join('\n')}`);
  for (const run of runs.values()) if (!(run instanceof Error)) rmSync(run.dir, { recursive: true, force: true });
});

describe('the foreign corpus and its manifest agree', () => {
  it('every server file in test/fixtures/foreign has a manifest entry with both drafts, and every entry a file', () => {
    const files = readdirSync(join(ROOT, 'test/fixtures/foreign')).filter((f) => /\.(mjs|py)$/.test(f));
    const named = Object.values(manifest).map((s) => s.command.split(' ').at(-1)!.split('/').at(-1)!);
    expect([...named].sort()).toEqual([...files].sort());
    for (const [name, server] of Object.entries(manifest)) expect(Object.keys(server.drafts).sort(), name).toEqual([...DRAFTS]);
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it('every id the manifest names is a check of that draft', async () => {
    for (const draft of DRAFTS) {
      const listed = await runCli(['list', '--json', '--draft', draft]);
      const ids = new Set((JSON.parse(listed.stdout).checks as { id: string }[]).map((c) => c.id));
      const unknown = Object.entries(manifest).flatMap(([name, s]) => {
        const want = s.drafts[draft];
        return [...want.fail, ...want.warn, ...Object.keys(want.status ?? {}), ...(want.untestable ?? [])]
          .filter((id) => !ids.has(id))
          .map((id) => `${name} --draft ${draft}: ${id}`);
      });
      expect(unknown).toEqual([]);
    }
  });
});

describe.each(Object.entries(manifest))('foreign server %s', (name, server) => {
  it.each([...DRAFTS])(`gets exactly its manifest verdict under --draft %s (${server.layer})`, (draft) => {
    const run = runs.get(key(name, draft));
    if (run instanceof Error || run === undefined) throw run ?? new Error('the run did not happen');
    const found = differences(name, draft, server.drafts[draft], { code: run.code, report: run.json, stderr: run.stderr });
    const header = `${name} under ${draft} — expected: ${server.drafts[draft].why}\nrerun: ${rerunLine(server, draft, run.json?.seed)}`;
    expect(found, header).toEqual([]);
  });
});
