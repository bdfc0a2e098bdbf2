// The target launcher: line framing, stderr tail, exit of a missing command, and shutdown of
// the whole process group (grandchildren that ignore SIGTERM included).
import { describe, expect, test } from 'vitest';
import { LineSplitter } from '../../harness/transport.js';
import { StdioTransport } from '../../harness/process.js';
import { killAllTargets } from '../../harness/process-groups.js';
import type { ExitInfo } from '../../harness/types.js';
import { fixture, groupGone, processGone } from './helpers.js';

function collect(split: LineSplitter, chunks: (string | Buffer)[]): [string, number][] {
  const lines: [string, number][] = [];
  for (const c of chunks) split.push(Buffer.isBuffer(c) ? c : Buffer.from(c), (l, n) => lines.push([l, n]));
  return lines;
}

/** Resolves with the first value `register` hands over, or rejects at the deadline. */
function next<T>(register: (cb: (v: T) => void) => void, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe('LineSplitter', () => {
  test('joins lines split across chunks and strips a trailing \\r', () => {
    const lines = collect(new LineSplitter(100), ['{"a":', '1}\r\n{"b"', ':2}\n']);
    expect(lines).toEqual([
      ['{"a":1}', 0],
      ['{"b":2}', 0],
    ]);
  });

  test('keeps the first maxLineBytes of a long line and counts the rest', () => {
    const split = new LineSplitter(4);
    const lines = collect(split, ['abcdefgh', 'ij\nok\n']);
    expect(lines).toEqual([
      ['abcd', 6],
      ['ok', 0],
    ]);
  });

  test('flush delivers a partial last line and nothing when the buffer is empty', () => {
    const split = new LineSplitter(100);
    const lines = collect(split, ['done\nhalf']);
    split.flush((l, n) => lines.push([l, n]));
    split.flush((l, n) => lines.push([l, n]));
    expect(lines).toEqual([
      ['done', 0],
      ['half', 0],
    ]);
  });
});

describe('StdioTransport', () => {
  test('a line sent to `cat` comes back as a line, and close ends the process', async () => {
    const t = new StdioTransport('cat');
    const line = next<string>((cb) => t.onLine(cb));
    await t.start();
    expect(t.send('{"hello":1}')).toBe(true);
    expect(await line).toBe('{"hello":1}');
    const info = await t.close();
    expect(info.code).toBe(0); // cat ends on end of stdin, the gentlest step
    expect(t.exited).toEqual(info);
    expect(groupGone(t.pid!)).toBe(true);
  });

  test('a command that does not exist exits 127 with the shell complaint in the stderr tail', async () => {
    const t = new StdioTransport('definitely-not-a-command-4711 --flag');
    const exit = next<ExitInfo>((cb) => t.onExit(cb));
    await t.start();
    expect(await exit).toEqual({ code: 127, signal: null });
    expect(t.stderrTail().join('\n')).toMatch(/definitely-not-a-command-4711.*not found/);
    expect(t.send('{}')).toBe(false); // no throw, no EPIPE crash
    await t.close();
  });

  test('a target that stops reading mid-write (EPIPE) does not take the harness down', async () => {
    const t = new StdioTransport('head -c 10 >/dev/null');
    const exit = next<ExitInfo>((cb) => t.onExit(cb));
    await t.start();
    expect(t.send('y'.repeat(5_000_000))).toBe(true); // queued; the pipe breaks after 10 bytes
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(t.send('{}')).toBe(false);
    await t.close();
  });

  test('stderr is delivered line by line and the tail keeps only the last 50 lines', async () => {
    const t = new StdioTransport(`'${process.execPath}' -e "for (let i = 1; i <= 60; i++) console.error('line ' + i)"`);
    const seen: string[] = [];
    t.onStderr((l) => seen.push(l));
    const exit = next<ExitInfo>((cb) => t.onExit(cb));
    await t.start();
    await exit;
    expect(seen).toHaveLength(60);
    expect(t.stderrTail()).toHaveLength(50);
    expect(t.stderrTail()[0]).toBe('line 11');
    await t.close();
  });

  test('a partial last line at exit is delivered and flagged', async () => {
    const t = new StdioTransport(`printf 'whole\\nno-newline'`);
    const lines: [string, boolean][] = [];
    t.onLine((l, _n, partial) => lines.push([l, partial === true]));
    const exit = next<ExitInfo>((cb) => t.onExit(cb));
    await t.start();
    await exit;
    expect(lines).toEqual([
      ['whole', false],
      ['no-newline', true],
    ]);
    await t.close();
  });

  test('a 10 MB line is cut at maxLineBytes and the next line still arrives intact', async () => {
    const cap = 1024 * 1024;
    const t = new StdioTransport(`'${process.execPath}' -e "process.stdout.write('x'.repeat(10e6) + '\\nafter\\n')"`);
    const lines: [number, number, string][] = [];
    t.onLine((l, n) => lines.push([l.length, n, l.slice(0, 5)]));
    const exit = next<ExitInfo>((cb) => t.onExit(cb));
    await t.start();
    await exit;
    expect(lines).toEqual([
      [cap, 10e6 - cap, 'xxxxx'],
      [5, 0, 'after'],
    ]);
    await t.close();
  });

  test('close kills the whole group, including a grandchild that ignores SIGTERM', async () => {
    const t = new StdioTransport(fixture('stubborn-grandchild'));
    const pidLine = next<string>((cb) => t.onStderr((l) => l.startsWith('grandchild-pid') && cb(l)));
    await t.start();
    const grandchild = Number((await pidLine).split(' ')[1]);
    expect(processGone(grandchild)).toBe(false);
    const info = await t.close();
    // A simple command is exec'ed: the target is the leader; it and its grandchild ignore
    // SIGTERM and only go with the SIGKILL of the group.
    expect(info.signal).toBe('SIGKILL');
    expect(processGone(grandchild)).toBe(true);
    expect(groupGone(t.pid!)).toBe(true);
  });

  test('killAllTargets kills every live group at once', async () => {
    const a = new StdioTransport(fixture('stubborn-grandchild'));
    const b = new StdioTransport('cat');
    const exits = [next<ExitInfo>((cb) => a.onExit(cb)), next<ExitInfo>((cb) => b.onExit(cb))];
    await a.start();
    await b.start();
    killAllTargets();
    expect(await Promise.all(exits)).toEqual([
      { code: null, signal: 'SIGKILL' },
      { code: null, signal: 'SIGKILL' },
    ]);
    await Promise.all([a.close(), b.close()]);
  });
});
