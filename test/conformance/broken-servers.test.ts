// Every broken server fails exactly the ids its manifest lists: proof that each check can fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brokenServer, idsWithStatus, ROOT, runCli } from './run-cli.js';

interface Entry {
  server: string;
  mustFail?: string[];
  mustWarn?: string[];
  draft?: string;
  /** Extra CLI words, e.g. ["--app", "notebook_server"] to declare the application (D15). */
  args?: string[];
  why: string;
}

const dir = join(ROOT, 'reference-servers/broken');
const entries: Entry[] = readdirSync(dir)
  .filter((f) => /^manifest.*\.json$/.test(f))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Entry[]);
const drafts = ['2026-02-27', '2026-03-13'];
const cases = entries.flatMap((e) =>
  (e.draft ? [e.draft] : drafts).map((draft) => ({ ...e, draft, name: [e.server, ...(e.args ?? [])].join(' ') })),
);

describe.concurrent('broken servers fail exactly their listed checks', () => {
  test('the manifests list at least one broken server', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  test.each(cases)('$name under $draft fails $mustFail and warns $mustWarn', async (entry) => {
    const target = ['--server', brokenServer(entry.server, entry.draft), ...(entry.args ?? [])];
    const run = await runCli([...target, '--draft', entry.draft, '--seed', '1', '-q'], { timeoutMs: 90_000 });
    expect(run.json, `no JSON report; stderr: ${run.stderr}`).toBeDefined();
    const failing = idsWithStatus(run.json, ['fail', 'untestable', 'harness-error']);
    const explain = run.json.checks
      .filter((c: any) => c.status !== 'pass' && c.status !== 'skip')
      .map((c: any) => `${c.id} ${c.status}: ${c.message}`)
      .join('\n');
    expect(failing, `${entry.server}: ${entry.why}\n${explain}`).toEqual([...(entry.mustFail ?? [])].sort());
    const warned = idsWithStatus(run.json, ['warn']);
    for (const id of entry.mustWarn ?? []) expect(warned, `${entry.server} should warn ${id}`).toContain(id);
    // A target that never answered initialize is exit 3; any other failure is 1; warnings alone are 0.
    const expectedCode = run.json.fatal?.kind === 'target-start' ? 3 : (entry.mustFail ?? []).length > 0 ? 1 : 0;
    expect(run.code).toBe(expectedCode);
  });
});
