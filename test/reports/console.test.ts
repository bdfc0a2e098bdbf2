import { describe, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { createWriteStream } from 'node:fs';
import { devNull } from 'node:os';
import { colorEnabled, formatConsoleReport, formatProgress } from '../../reports/console.js';
import { check, everyStatusRun, run } from './factory.js';

const ESC = '\u001b';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1)!;
}

describe('console report', () => {
  test('with color off there is no ANSI escape, even when the target printed one', () => {
    const r = everyStatusRun({ stderrTail: [`${ESC}[2J cleared your screen`] });
    r.checks.push(check({ id: 'SESS-ERR-2', status: 'fail', message: `evil ${ESC}]0;title\u0007`, section: 'errors' }));
    const out = formatConsoleReport(r, { color: false, verbose: true, timings: true });
    expect(out).not.toContain(ESC);
    expect(out).toContain('\\u001b[2J cleared your screen');
    expect(formatProgress(r.checks[1]!, { color: false })).not.toContain(ESC);
  });

  test('with color on the statuses are coloured', () => {
    const out = formatConsoleReport(everyStatusRun(), { color: true });
    expect(out).toContain(`${ESC}[31m`);
    expect(formatProgress(everyStatusRun().checks[0]!, { color: true })).toContain(`${ESC}[32m`);
  });

  test('a failure explains itself: message, Expected, Actual, Fix, transcript lines, Rerun', () => {
    const out = formatConsoleReport(everyStatusRun(), { color: false });
    const block = out.slice(out.indexOf('SESS-ERR-1'), out.indexOf('\nrequired'));
    expect(block).toContain('Message: the server answered with an isError tool result instead of a JSON-RPC error');
    expect(block).toContain('Expected: error.code = -32043 with data.sessionId');
    expect(block).toContain('Actual: result.isError = true');
    expect(block).toContain('Fix: check the session before the tool runs and answer -32043 with data.sessionId');
    expect(block).toContain('    >>> {"jsonrpc":"2.0","id":"h-7","method":"tools/call","params":{"name":"probe"}}');
    expect(block).toContain('    <<< {"jsonrpc":"2.0","id":"h-7","result":{"isError":true,"content":[]}}');
    expect(block).toContain('Rerun: mcp-session-conformance --server "node srv.js" --only SESS-ERR-1 --seed 12345');
  });

  test('untestable, harness-error and warn get the block too; details (seed/path/replay) are shown', () => {
    const out = formatConsoleReport(everyStatusRun(), { color: false });
    for (const id of ['SESS-REQ-1', 'SESS-STATE-4', 'SESS-ID-2']) {
      expect(out).toContain(`--only ${id} --seed 12345`);
    }
    expect(out).toContain('replay: mcp-session-conformance --replay 3:1:0');
    expect(out).toContain('path: 3:1:0');
  });

  test('a skipped check shows its reason; a pass shows no rerun command', () => {
    const out = formatConsoleReport(everyStatusRun(), { color: false });
    expect(out).toContain('Reason: the target matches no known profile');
    expect(out).not.toContain('--only BASE-INIT-1');
  });

  test('a long transcript is cut to at most 12 lines, keeping its start and end', () => {
    const transcript = Array.from({ length: 40 }, (_, i) => `>>> line ${i}`);
    const out = formatConsoleReport(run([check({ id: 'SESS-ERR-1', status: 'fail', transcript })]), { color: false });
    const shown = out.split('\n').filter((l) => /^\s+(>>> line|… \d+ lines omitted)/.test(l));
    expect(shown.length).toBeLessThanOrEqual(12);
    expect(out).toContain('>>> line 0');
    expect(out).toContain('>>> line 39');
    expect(out).toContain('lines omitted');
    const verbose = formatConsoleReport(run([check({ id: 'SESS-ERR-1', status: 'fail', transcript })]), {
      color: false,
      verbose: true,
    });
    expect(verbose).toContain('>>> line 20');
  });

  test('sections come in catalog order, unknown ones after in alphabetical order', () => {
    const lines = formatConsoleReport(everyStatusRun(), { color: false }).split('\n');
    const order = ['create', 'ids', 'use', 'state', 'errors', 'required', 'isolation', 'base', 'alpha', 'zeta'];
    const at = order.map((s) => lines.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(lines.findIndex((l) => l.includes('SESS-CREATE-2'))).toBeLessThan(
      lines.findIndex((l) => l.includes('SESS-CREATE-10')),
    );
  });

  test('the summary gives counts, verdict, seed and stats; wall time only with timings', () => {
    const r = everyStatusRun();
    const out = formatConsoleReport(r, { color: false });
    expect(out).toContain('pass 5, fail 1, warn 1, info 1, skip 1, untestable 1, incomplete 0, harness-error 1');
    expect(out).toContain('verdict: NOT CONFORMANT');
    expect(out).toContain('seed: 12345');
    expect(out).toContain('3 target starts, 120 requests sent');
    expect(out).not.toMatch(/wall|\(40 ms\)/);
    const timed = formatConsoleReport(r, { color: false, timings: true });
    expect(timed).toContain('4322 ms wall');
    expect(timed).toContain('(40 ms)');
  });

  test('a client-mode run reads as one: its stats count what the client did, and no seed is shown', () => {
    const r = run([check({ id: 'CLI-STATE-1', status: 'pass', section: 'demo' })], { kind: 'client', target: 'client: node driver.js', seed: 0, stats: { wallMs: 1, targetStarts: 1, requestsSent: 9 } });
    const out = formatConsoleReport(r, { color: false });
    expect(out).toContain('target: client: node driver.js');
    expect(out).toContain('stats: 1 server instance started by the client, 9 requests from the client');
    expect(out).not.toMatch(/seed/);
    expect(lastLine(out)).toBe('conformant: 1 passed');
  });

  test('the last line is the plain summary', () => {
    expect(lastLine(formatConsoleReport(everyStatusRun(), { color: true }))).toBe(
      'NOT CONFORMANT: 1 failed, 1 untestable, 1 harness error, 5 passed, 1 warning, 1 info, 1 skipped (seed 12345)',
    );
    const checks = [
      ...Array.from({ length: 41 }, (_, i) => check({ id: `P-${i}`, status: 'pass' })),
      ...Array.from({ length: 2 }, (_, i) => check({ id: `W-${i}`, status: 'warn' })),
      ...Array.from({ length: 3 }, (_, i) => check({ id: `S-${i}`, status: 'skip' })),
    ];
    expect(lastLine(formatConsoleReport(run(checks), { color: false }))).toBe(
      'conformant: 41 passed, 2 warnings, 3 skipped (seed 12345)',
    );
  });

  test('stderr tail (last 10 lines) and fatal appear when the run is not conformant', () => {
    const stderrTail = Array.from({ length: 15 }, (_, i) => `stderr line ${i}`);
    const bad = formatConsoleReport(
      everyStatusRun({ stderrTail, verdict: 'error', fatal: { kind: 'target-start', message: 'spawn failed' } }),
      { color: false },
    );
    expect(bad).toContain('stderr line 14');
    expect(bad).toContain('stderr line 5');
    expect(bad).not.toContain('stderr line 4\n');
    expect(bad).toContain('fatal (target-start): spawn failed');
    expect(lastLine(bad)).toMatch(/^ERROR: /);
    const good = formatConsoleReport(run([check({ id: 'A-1', status: 'pass' })], { stderrTail }), { color: false });
    expect(good).not.toContain('stderr line');
  });

  test('expected failures are labelled, and stale ones flagged', () => {
    const out = formatConsoleReport(
      everyStatusRun({
        expectedFailures: [
          { id: 'SESS-ERR-1', reason: 'upstream bug 12', stillFails: true },
          { id: 'SESS-CREATE-2', reason: 'fixed since', stillFails: false },
        ],
      }),
      { color: false },
    );
    expect(out).toMatch(/SESS-ERR-1 .*\(expected failure\)/);
    expect(out).toContain('SESS-ERR-1  expected failure — upstream bug 12');
    expect(out).toMatch(/SESS-CREATE-2 .*STALE/);
    expect(out).toContain('SESS-CREATE-2  STALE');
  });

  test('a progress line has the status symbol, id and title', () => {
    const line = formatProgress(check({ id: 'SESS-ERR-1', status: 'fail', title: 'unknown session gets -32043' }), {
      color: false,
    });
    expect(line).toMatch(/^✗ fail +SESS-ERR-1 +unknown session gets -32043$/);
  });
});

describe('colorEnabled', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
  const file = createWriteStream(devNull) as unknown as NodeJS.WriteStream;

  test('a terminal without NO_COLOR gets colour', () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(tty, { NO_COLOR: '' })).toBe(true);
  });

  test('NO_COLOR set to anything non-empty turns colour off, even with FORCE_COLOR', () => {
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: 'yes', FORCE_COLOR: '1' })).toBe(false);
  });

  test('a stream that is not a terminal gets no colour unless FORCE_COLOR asks', () => {
    expect(colorEnabled(file, {})).toBe(false);
    expect(colorEnabled(file, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
    file.destroy();
  });
});
