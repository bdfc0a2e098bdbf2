// The CLI over Streamable HTTP as users run it: `--url` for a server that is already running,
// `--server "<cmd {port}>" --url "…{port}…"` for one the suite launches, `--header` values
// that never appear in any report or transcript, and the usage errors of the flags.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { waitForPort } from '../../harness/http/launch.js';
import { freePort } from '../../harness/http/ports.js';
import { ROOT, runCli } from '../conformance/run-cli.js';
import { killLeftovers, leftoverAfter, newMarker, runWithReports, statusOf } from '../robustness/helpers.js';
import { mcpResult, sendJson, startServer, type TestServer } from './servers.js';

const REFERENCE = (name: string) => join(ROOT, 'dist/reference-servers', `${name}.js`);
const started: TestServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

describe.concurrent('CLI over Streamable HTTP', () => {
  test('--url: an already running reference server is conformant; SESS-ERR-5 (a restart) is skipped with the reason, never passed', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [REFERENCE('session_server'), '--transport', 'http', '--port', String(port)], { stdio: 'ignore' });
    try {
      const url = new URL(`http://127.0.0.1:${port}/mcp`);
      expect(await waitForPort(url, 15_000, () => server.exitCode !== null)).toBe('open');
      const run = await runCli(['--url', url.href, '--seed', '7', '-q'], { timeoutMs: 240_000 });
      const context = run.json?.checks.filter((c: any) => c.status === 'fail').map((c: any) => `${c.id}: ${c.message}\n${(c.transcript ?? []).join('\n')}`).join('\n') + run.stderr;
      expect(run.code, context).toBe(0);
      expect(run.json.verdict).toBe('conformant');
      expect(run.json.target).toBe(url.href);
      const err5 = run.json.checks.find((c: any) => c.id === 'SESS-ERR-5');
      expect(err5.status).toBe('skip');
      expect(err5.message).toMatch(/already running server \(--url\).*cannot restart it/);
      expect(statusOf(run.json, 'HTTP-MIRROR-1'), run.json.checks.find((c: any) => c.id === 'HTTP-MIRROR-1').message).toBe('pass');
      // One server process: SESS-ID-2 does not claim to have compared ids across processes (D24).
      expect(run.json.checks.find((c: any) => c.id === 'SESS-ID-2').message).toMatch(/not compared across processes \(an already running server/);
      // The server is the test's, not the suite's: it is still running after the run.
      expect(server.exitCode).toBeNull();
    } finally {
      server.kill('SIGKILL');
    }
  }, 240_000);

  test('--header values never appear in the console report, the JSON report, the transcripts or rerun commands, though the server echoes them', async () => {
    const secret = 'Bearer s3cret-token-4242';
    const server = await startServer((message, res, req) => {
      if (message?.method !== 'initialize') return false;
      // The server puts the credential it received into its answer (a careless log or echo).
      const result = { ...mcpResult(message), serverInfo: { name: `echo ${req.headers.authorization}`, version: '1' } };
      sendJson(res, 200, { jsonrpc: '2.0', id: message.id, result });
      return true;
    });
    started.push(server);
    const run = await runWithReports(['--url', server.url, '--header', `Authorization: ${secret}`, '--seed', '1', '-v'], { timeoutMs: 120_000 });
    expect(server.received.filter((r) => r.method === 'POST').every((r) => r.headers.authorization === secret)).toBe(true);
    expect(run.json, run.stderr).toBeDefined();
    const transcripts = readdirSync(run.transcriptsDir).map((f) => readFileSync(join(run.transcriptsDir, f), 'utf8')).join('\n');
    expect(transcripts).toMatch(/echo <redacted>/);
    for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr], ['json', JSON.stringify(run.json)], ['junit', readFileSync(run.junitPath, 'utf8')], ['transcripts', transcripts]]) {
      expect(text!.includes('s3cret-token-4242'), `${where} shows the header value`).toBe(false);
    }
    expect(run.json.checks[0].rerun).toContain(`--header 'Authorization: <redacted>'`);
  }, 120_000);

  test('--header values stay redacted when the server refuses initialize quoting them (exit 3)', async () => {
    const secret = 'Bearer init-s3cret-777';
    const server = await startServer((message, res, req) => {
      if (message?.method !== 'initialize') return false;
      sendJson(res, 401, { jsonrpc: '2.0', id: message.id, error: { code: -32001, message: `credential ${req.headers.authorization} refused` } });
      return true;
    });
    started.push(server);
    const run = await runWithReports(['--url', server.url, '--header', `Authorization: ${secret}`, '-q'], { timeoutMs: 60_000 });
    expect(run.code, run.stdout).toBe(3);
    expect(run.json.checks.find((c: any) => c.id === 'BASE-INIT-1').message).toMatch(/credential <redacted> refused/);
    for (const text of [run.stdout, run.stderr, JSON.stringify(run.json), readFileSync(run.junitPath, 'utf8')]) expect(text.includes('init-s3cret-777')).toBe(false);
  });

  test('HTTP-NOTIF-1: a notification refused with an HTTP error status obeys the text (reported, not failed); one answered 200 with a body fails', async () => {
    const refusing = await startServer((message, res) => message?.method === 'notifications/cancelled' && !!res.writeHead(400).end());
    const chatty = await startServer((message, res) => message?.method === 'notifications/cancelled' && (sendJson(res, 200, { ok: true }), true));
    started.push(refusing, chatty);
    const [refused, answered] = await Promise.all([
      runCli(['--url', refusing.url, '--only', 'HTTP-NOTIF-1', '-q'], { timeoutMs: 60_000 }),
      runCli(['--url', chatty.url, '--only', 'HTTP-NOTIF-1', '-q'], { timeoutMs: 60_000 }),
    ]);
    const check = (run: any) => run.json.checks.find((c: any) => c.id === 'HTTP-NOTIF-1');
    expect(check(refused).status, refused.stdout).toBe('pass');
    expect(check(refused).message).toMatch(/notifications\/cancelled refused with HTTP 400/);
    expect(check(answered).status, answered.stdout).toBe('fail');
    expect(check(answered).message).toMatch(/notifications\/cancelled notification got HTTP 200 with a 11-byte body instead of 202 without a body/);
  }, 120_000);

  test('--server with {port}: each target process listens on a port of its own; nothing is left running', async () => {
    const marker = newMarker();
    try {
      const run = await runWithReports(
        // node's --title carries the marker into the process's command line (the server rejects unknown arguments).
        ['--server', `"${process.execPath}" --title=msc-${marker} "${REFERENCE('notebook_server')}" --transport http --port {port}`, '--url', 'http://127.0.0.1:{port}/mcp', '--seed', '3', '-q'],
        { timeoutMs: 240_000 },
      );
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      const transcript = readFileSync(join(run.transcriptsDir, 'transcript.jsonl'), 'utf8');
      const ports = [...transcript.matchAll(/listening: http:\/\/127\.0\.0\.1:(\d+)\/mcp/g)].map((m) => m[1]);
      expect(ports.length).toBe(run.json.stats.targetStarts);
      expect(new Set(ports).size).toBe(ports.length);
      expect(statusOf(run.json, 'SESS-ERR-5')).toBe('info');
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  }, 240_000);

  test('--server with {port} whose command never listens: BASE-INIT-1 fails within --start-timeout, exit 3, nothing left running', async () => {
    const marker = newMarker();
    try {
      const startedAt = performance.now();
      const run = await runCli(['--server', `sleep 60 # {port} ${marker}`, '--url', 'http://127.0.0.1:{port}/mcp', '--start-timeout', '1500', '-q'], { timeoutMs: 60_000 });
      expect(run.code, run.stdout).toBe(3);
      expect(performance.now() - startedAt).toBeLessThan(30_000);
      expect(statusOf(run.json, 'BASE-INIT-1')).toBe('fail');
      expect(run.json.checks.find((c: any) => c.id === 'BASE-INIT-1').message).toMatch(/accepted no connection|no answer to initialize/);
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  });

  const usage: [string[], RegExp][] = [
    [['--url', 'http://127.0.0.1:1/mcp', '--reference', 'session_server'], /--url names a server of your own/],
    [['--server', 'node x.js', '--url', 'http://127.0.0.1:3000/mcp'], /put \{port\} in the URL/],
    [['--url', 'http://127.0.0.1:{port}/mcp'], /only a server the suite starts/],
    [['--server', 'node x.js', '--transport', 'http'], /needs --url/],
    [['--server', 'node x.js', '--header', 'X-Key: 1'], /--header is for HTTP targets/],
    [['--url', 'http://127.0.0.1:1/mcp', '--header', 'no colon'], /--header takes "Name: value"/],
    [['--url', 'http://127.0.0.1:1/mcp', '--header', 'Mcp-Session-Id: x'], /sets this header itself/],
    [['--url', 'ftp://127.0.0.1/mcp'], /must be http:\/\/ or https:\/\//],
    [['--reference', 'session_server', '--transport', 'carrier-pigeon'], /--transport takes stdio, http or both/],
  ];
  test.each(usage)('usage error: %j', async (args, message) => {
    const run = await runCli(args, { timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('HTTP-MIRROR-1 without an answer', () => {
  test('a probe call that is never answered (a stalled SSE stream after discovery) is untestable, saying so, never a skip: the runner judges an untestable check again on its own', async () => {
    const fixture = join(ROOT, 'test/fixtures/misbehaving-http/stalls-later-calls.mjs');
    const run = await runCli(['--server', `"${process.execPath}" "${fixture}" --port {port}`, '--url', 'http://127.0.0.1:{port}/mcp', '--only', 'HTTP-MIRROR-1', '--timeout', '1000', '--seed', '1', '-q'], { timeoutMs: 60_000 });
    const mirror = run.json.checks.find((c: any) => c.id === 'HTTP-MIRROR-1');
    expect(mirror.status, mirror.message).toBe('untestable');
    expect(mirror.message).toMatch(/the probe call with the new session got no response \(no response within 1000 ms/);
  }, 90_000);
});
