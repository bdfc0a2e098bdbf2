// The CLI compiles its bundle (dist/cli/cli.cjs) with a V8 code cache kept on disk (cli/bin.ts):
// the first run writes it, later runs read it and leave it be, a cache V8 refuses (damaged, or
// made by another V8) is replaced, and the run's verdicts never depend on any of it.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli, type CliRun } from '../conformance/run-cli.js';

const RUN = ['--reference', 'broken/delete-result-true', '--only', 'BASE-INIT-1,SESS-DELETE-1', '--seed', '7', '-q'];

/** What a run decided: its exit code and each check's status. */
const verdicts = (run: CliRun) => ({ code: run.code, checks: Object.fromEntries(run.json.checks.map((c: { id: string; status: string }) => [c.id, c.status])) });

/** The cache files in `dir` (Node ≥ 22.1 may keep its own cache of bin.js in a subdirectory). */
const caches = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.bin')).map((f) => join(dir, f.name));

describe.concurrent('the CLI code cache', () => {
  test('the first run writes it, the next reads it and leaves it, a damaged one is replaced; the verdicts stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-code-cache-'));
    const env = { NODE_COMPILE_CACHE: dir };
    const first = await runCli(RUN, { env });
    expect(verdicts(first)).toEqual({ code: 1, checks: { 'BASE-INIT-1': 'pass', 'SESS-DELETE-1': 'fail' } });
    const [cache] = caches(dir);
    expect(caches(dir), 'one cache file after the first run').toHaveLength(1);
    expect(statSync(cache!).size).toBeGreaterThan(100_000);

    const before = statSync(cache!);
    const second = await runCli(RUN, { env });
    expect(verdicts(second)).toEqual(verdicts(first));
    // Renamed into place when written: the same inode and time mean V8 took the cache as it was.
    expect(statSync(cache!)).toMatchObject({ ino: before.ino, mtimeMs: before.mtimeMs });

    writeFileSync(cache!, 'not a V8 code cache'.repeat(100));
    const damaged = await runCli(RUN, { env });
    expect(verdicts(damaged)).toEqual(verdicts(first));
    expect(damaged.stderr).not.toContain('internal error');
    expect(readFileSync(cache!, 'utf8')).not.toContain('not a V8 code cache');
    expect(caches(dir), 'no partial file left behind').toEqual([cache]);
  });

  test('NODE_DISABLE_COMPILE_CACHE=1: nothing is written; a place that cannot hold one: the run is as without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-code-cache-'));
    const off = await runCli(RUN, { env: { NODE_COMPILE_CACHE: dir, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(verdicts(off)).toEqual({ code: 1, checks: { 'BASE-INIT-1': 'pass', 'SESS-DELETE-1': 'fail' } });
    expect(readdirSync(dir)).toEqual([]);

    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const nowhere = await runCli(RUN, { env: { NODE_COMPILE_CACHE: join(file, 'cache') } });
    expect(verdicts(nowhere)).toEqual(verdicts(off));
    expect(nowhere.stderr).not.toContain('internal error');
  });

  test('the build made the cache its CLI runs read (dist/cli/code-cache/)', () => {
    const built = caches(join(ROOT, 'dist/cli/code-cache')).map((f) => f.split('/').pop());
    expect(built).toHaveLength(1);
    expect(built[0]).toMatch(new RegExp(`^cli-${process.version.replaceAll('.', '\\.')}-${process.arch}-${statSync(join(ROOT, 'dist/cli/cli.cjs')).size}-\\d+\\.bin$`));
  });
});
