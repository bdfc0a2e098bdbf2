// A port the suite picks for `{port}` is free only when the suite looks: another process can take
// it before the target binds it. A target that exits saying its address is in use lost that race,
// the suite's, not its own: it is started again on another port (harness/http/launch.ts). One
// that says so every time is reported as not started, after three ports, within --start-timeout.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../conformance/run-cli.js';
import { killLeftovers, leftoverAfter, newMarker, runWithReports, statusOf } from '../robustness/helpers.js';

const SERVER = join(ROOT, 'dist/reference-servers/session_server.js');
/** What Node prints when listen() finds the port taken. */
const IN_USE = 'Error: listen EADDRINUSE: address already in use 127.0.0.1:{port}';

describe.concurrent('a launched HTTP target whose port was taken', () => {
  test('taken once: started again on another port, the run goes on and passes, the transcript says why', async () => {
    const marker = newMarker();
    const dir = mkdtempSync(join(tmpdir(), 'msc-port-'));
    const lost = join(dir, 'lost-once');
    // The first launch of the run loses the race; every later one (other ports) listens.
    const command = `if [ -e "${lost}" ]; then exec "${process.execPath}" --title=msc-${marker} "${SERVER}" --transport http --port {port}; else touch "${lost}"; echo "${IN_USE}" >&2; exit 1; fi`;
    try {
      const run = await runWithReports(['--server', command, '--url', 'http://127.0.0.1:{port}/mcp', '--only', 'SESS-CREATE-1', '--seed', '3', '-q'], { timeoutMs: 120_000 });
      expect(existsSync(lost)).toBe(true);
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(statusOf(run.json, 'SESS-CREATE-1')).toBe('pass');
      const transcript = readFileSync(join(run.transcriptsDir, 'transcript.jsonl'), 'utf8');
      expect(transcript).toMatch(/port \d+ was taken before the target could listen on it \(Error: listen EADDRINUSE[^)]*\): starting the target again on another port/);
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 130_000);

  test('taken every time (a server that ignores {port}): not started after three ports, exit 3, the report shows its stderr, no hang', async () => {
    const startedAt = performance.now();
    const run = await runWithReports(['--server', `echo "${IN_USE}" >&2; exit 1`, '--url', 'http://127.0.0.1:{port}/mcp', '--only', 'SESS-CREATE-1', '-q'], { timeoutMs: 60_000 });
    expect(run.code, run.stdout.slice(-3000)).toBe(3);
    expect(performance.now() - startedAt).toBeLessThan(30_000);
    expect(run.json.fatal).toMatchObject({ kind: 'target-start', message: expect.stringMatching(/the target exited before answering initialize/) });
    // Three ports, three times the same complaint: the server's own port, not the suite's pick.
    expect(run.json.stderrTail.filter((l: string) => /EADDRINUSE/.test(l))).toHaveLength(3);
    // BASE-INIT-1 names the fix: listen on {port}, not a fixed port.
    const init = await runWithReports(['--server', `echo "${IN_USE}" >&2; exit 1`, '--url', 'http://127.0.0.1:{port}/mcp', '--only', 'BASE-INIT-1', '-q'], { timeoutMs: 60_000 });
    expect(statusOf(init.json, 'BASE-INIT-1')).toBe('fail');
    expect(init.json.checks.find((c: any) => c.id === 'BASE-INIT-1').fix).toMatch(/^listen on the port the suite passes in \{port\}/);
    const transcript = readFileSync(join(run.transcriptsDir, 'transcript.jsonl'), 'utf8');
    expect(transcript.match(/starting the target again on another port/g)?.length).toBe(2);
  }, 70_000);
});
