// The misbehaving corpus over Streamable HTTP (issue 16): each fixture in
// test/fixtures/misbehaving-http/ breaks one HTTP rule (stalls or never ends an SSE stream, sends
// a 50 MB event, answers 500 / 404 / an HTML page, closes the connection mid-response,
// redirects in a loop). Launched with `--server "<cmd> --port {port}" --url …{port}…`, or
// already running and reached with `--url` alone, the CLI must judge it, finish within a bound,
// write parseable reports, and leave no process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort } from '../../harness/http/ports.js';
import { idsWithStatus, ROOT } from '../conformance/run-cli.js';
import { killLeftovers, leftoverAfter, newMarker, runWithReports, slots } from './helpers.js';

const FIXTURES = join(ROOT, 'test/fixtures/misbehaving-http');
const START_TIMEOUT = 1500;
const REQUEST_TIMEOUT = 1000;
const COMMON = ['--seed', '1', '-q', '--runs', '5', '--start-timeout', String(START_TIMEOUT), '--timeout', String(REQUEST_TIMEOUT)];
/** As in corpus.test.ts: start timeout + shutdown ladder + CLI and target start-up under load. */
const START_FAILURE_BOUND = START_TIMEOUT + 600 + 6000;
/** As in corpus.test.ts: a full run is a few seconds; 30 s is slack for a loaded machine. */
const FULL_RUN_BOUND = 30_000;

interface Case {
  name: string;
  file: string;
  /** `launch`: the CLI starts the fixture (`--server … --url …{port}…`); `url`: it is already running. */
  mode: 'launch' | 'url';
  args?: string[];
  code: 0 | 1 | 3;
  /** Exactly these ids are fail/untestable/harness-error (when `exact`), or at least these. */
  failing: string[];
  exact: boolean;
  boundMs: number;
  why: string;
}

const CASES: Case[] = [
  { name: 'conformant control', file: 'conformant.mjs', mode: 'launch', code: 0, failing: [], exact: true, boundMs: FULL_RUN_BOUND, why: 'the HTTP base is conformant, so each fixture fails only for its defect' },
  { name: 'conformant control, already running (--url)', file: 'conformant.mjs', mode: 'url', code: 0, failing: [], exact: true, boundMs: FULL_RUN_BOUND, why: 'a server the suite did not start is judged on new connections' },
  {
    name: 'stalls the SSE stream of every tools/call',
    file: 'sse-stall.mjs',
    mode: 'launch',
    args: ['--check-timeout', '5000'],
    code: 1,
    failing: ['SESS-USE-1'],
    exact: false,
    boundMs: FULL_RUN_BOUND,
    why: 'a stream that sends nothing is a request timeout, the target\'s fault; the open stream is abandoned',
  },
  {
    name: 'stalls SSE streams, already running (--url)',
    file: 'sse-stall.mjs',
    mode: 'url',
    args: ['--check-timeout', '5000'],
    code: 1,
    failing: ['SESS-USE-1'],
    exact: false,
    boundMs: FULL_RUN_BOUND,
    why: 'the same verdict when the suite cannot kill the target: it must close its own connections',
  },
  {
    name: 'never ends an SSE stream after the response',
    file: 'sse-never-ends.mjs',
    mode: 'launch',
    code: 0,
    failing: [],
    exact: true,
    boundMs: FULL_RUN_BOUND,
    why: 'the response event is the answer; closing the stream afterwards is only a SHOULD',
  },
  {
    name: 'a 50 MB SSE event under the default message bound',
    file: 'huge-event.mjs',
    mode: 'launch',
    args: ['--timeout', '20000'],
    code: 0,
    failing: [],
    exact: true,
    boundMs: 90_000,
    why: 'a valid notification below --max-message-bytes (64 MiB) is no violation',
  },
  {
    name: 'a 50 MB SSE event over --max-message-bytes 1048576',
    file: 'huge-event.mjs',
    mode: 'launch',
    args: ['--max-message-bytes', '1048576'],
    code: 1,
    failing: ['BASE-WIRE-1'],
    exact: false,
    boundMs: FULL_RUN_BOUND,
    why: 'the oversized event is not read whole: it is reported, memory stays bounded',
  },
  {
    name: 'answers 500 with an HTML page after initialize',
    file: 'error-500.mjs',
    mode: 'launch',
    args: ['--check-timeout', '5000'],
    code: 1,
    failing: ['SESS-CREATE-1'],
    exact: false,
    boundMs: FULL_RUN_BOUND,
    why: 'an HTTP error is the target failing the request, never a harness error',
  },
  { name: 'answers 404 at the URL', file: 'not-found-404.mjs', mode: 'launch', code: 3, failing: ['BASE-INIT-1'], exact: true, boundMs: START_FAILURE_BOUND, why: 'initialize cannot be answered: the start fails and says what came back' },
  { name: 'a web page, not an MCP server', file: 'html-page.mjs', mode: 'launch', code: 3, failing: ['BASE-INIT-1'], exact: true, boundMs: START_FAILURE_BOUND, why: 'an HTML answer to initialize is no JSON-RPC answer' },
  { name: 'a web page, already running (--url)', file: 'html-page.mjs', mode: 'url', code: 3, failing: ['BASE-INIT-1'], exact: true, boundMs: START_FAILURE_BOUND, why: 'the usual wrong --url' },
  {
    name: 'closes the connection in the middle of every tools/call answer',
    file: 'closes-mid-response.mjs',
    mode: 'launch',
    args: ['--check-timeout', '5000'],
    code: 1,
    failing: ['SESS-USE-1'],
    exact: false,
    boundMs: FULL_RUN_BOUND,
    why: 'a cut answer is the target\'s failure to answer, reported at once, not a timeout or a crash',
  },
  { name: 'redirects in a loop', file: 'redirect-loop.mjs', mode: 'launch', code: 3, failing: ['BASE-INIT-1'], exact: true, boundMs: START_FAILURE_BOUND, why: 'a redirect loop ends after a bounded number of hops' },
];

/** Starts a fixture ourselves (the `--url` cases) and waits until it accepts connections. */
async function startFixture(file: string, marker: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(FIXTURES, file), '--port', String(port), '--marker', marker], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/mcp`;
  const deadline = performance.now() + 10_000;
  for (;;) {
    try {
      await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(1000), redirect: 'manual' }).then((r) => r.arrayBuffer());
      return { child, url };
    } catch (error) {
      if (performance.now() > deadline) throw new Error(`fixture ${file} did not listen on ${url}: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Its bounds are tight (1 s requests, 1.5 s starts), so this file runs in the `timed` project,
 * with no other file beside it (vitest.config.ts): beside the CPU-heavy HTTP reference runs, its
 * conformant control went unanswered within 1 s. Three CLI runs at a time, as the stdio corpus
 * (most of them wait on the fixture: 8 s for the file, against 10.5–11 s with two).
 */
const inSlot = slots(3);

describe.concurrent('misbehaving HTTP targets: judged, bounded, reported, cleaned up', () => {
  test('the --url control fails when nothing listens (connection refused)', () => inSlot(async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const run = await runWithReports(['--url', url, ...COMMON], { timeoutMs: START_FAILURE_BOUND + 30_000 });
    expect(run.code, run.stderr).toBe(3);
    expect(idsWithStatus(run.json, ['fail', 'untestable', 'harness-error'])).toEqual(['BASE-INIT-1']);
    expect(run.ms).toBeLessThan(START_FAILURE_BOUND);
  }), 60_000);

  test.each(CASES)('$name ($mode) → exit $code', (c) => inSlot(async () => {
    const marker = newMarker();
    const started = c.mode === 'url' ? await startFixture(c.file, marker) : undefined;
    try {
      const target = started
        ? ['--url', started.url]
        : ['--server', `"${process.execPath}" "${join(FIXTURES, c.file)}" --port {port} --marker ${marker}`, '--url', 'http://127.0.0.1:{port}/mcp'];
      const run = await runWithReports([...target, ...COMMON, ...(c.args ?? [])], { timeoutMs: c.boundMs + 30_000 });
      const failing = run.json ? idsWithStatus(run.json, ['fail', 'untestable', 'harness-error']) : [];
      const context = `${c.name} (${c.why})\nexit ${run.code}\nfailing: ${failing.join(', ')}\nstderr: ${run.stderr.slice(-2000)}\nstdout: ${run.stdout.slice(-3000)}`;

      // Never a crash of the CLI, never an internal error.
      expect(run.signal, context).toBeNull();
      expect(run.stderr, context).not.toMatch(/internal error/);
      expect(run.code, context).toBe(c.code);

      // Reports exist and parse; the verdict and the failing ids are the ones this defect causes.
      expect(run.json, context).toBeDefined();
      expect(run.json.verdict, context).toBe(c.code === 0 ? 'conformant' : 'non-conformant');
      expect(idsWithStatus(run.json, ['harness-error']), context).toEqual([]);
      if (c.exact) expect(failing, context).toEqual([...c.failing].sort());
      else for (const id of c.failing) expect(failing, context).toContain(id);
      if (c.code === 3) {
        expect(run.json.checks.filter((x: any) => x.id !== 'BASE-INIT-1').every((x: any) => x.status === 'skip'), context).toBe(true);
      }
      expect(run.junit, `JUnit report missing or unparseable at ${run.junitPath}`).toBeDefined();

      // Bounded time.
      expect(run.ms, `${c.name} took ${Math.round(run.ms)} ms (bound ${c.boundMs} ms)`).toBeLessThan(c.boundMs);

      if (started) {
        // A server the suite did not start is not the suite's to stop.
        expect(started.child.exitCode, 'the --url target is still running').toBeNull();
      } else {
        expect(await leftoverAfter(marker, 2000), `processes left behind by ${c.name}`).toEqual([]);
      }
    } finally {
      started?.child.kill('SIGKILL');
      killLeftovers(marker);
    }
  }), 150_000);
});
