// The harness's I/O with hostile targets (issue 14): any depth, a byte order mark, a flood of
// non-JSON before initialize, a closed stdout, a flood during a request, a grandchild in its
// own session. Real processes over real stdio (the misbehaving corpus fixtures).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { connect, type Connection, type StartFailure } from '../../harness/mcp.js';
import { shellCommand } from '../../harness/process.js';
import { markedProcesses, RUN_MARKER_VAR } from '../../harness/process-groups.js';
import { Transcript } from '../../harness/transcript.js';
import { LineSplitter } from '../../harness/transport.js';
import { depthOf, MAX_DEPTH, pruneDepth, safeStringify, TOO_DEEP } from '../../harness/values.js';
import { FIXTURES, killLeftovers, leftoverAfter, newMarker, processesWith } from '../robustness/helpers.js';
import { PROFILE, spec } from './helpers.js';

const open: Connection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function start(file: string, overrides: { startTimeout?: number; requestTimeout?: number } = {}, args = '') {
  const marker = newMarker();
  const transcript = new Transcript();
  const command = `"${process.execPath}" "${join(FIXTURES, file)}" --marker ${marker}${args ? ` ${args}` : ''}`;
  const started = performance.now();
  const result = await connect(spec(command, overrides), { transcript, profile: PROFILE, conn: 1 });
  if (!('failed' in result)) open.push(result);
  return { result, transcript, marker, ms: performance.now() - started };
}

/** The value of RUN_MARKER_VAR in a process's environment (Linux /proc). */
function runMarkerOf(pid: number): string | undefined {
  const entry = readFileSync(`/proc/${pid}/environ`, 'latin1')
    .split('\0')
    .find((e) => e.startsWith(`${RUN_MARKER_VAR}=`));
  return entry?.slice(RUN_MARKER_VAR.length + 1);
}

function connected(result: Connection | StartFailure): Connection {
  if ('failed' in result) throw new Error(`did not start: ${result.reason}: ${result.detail}`);
  return result;
}

describe('values of any depth', () => {
  const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000));

  test('depthOf counts without recursion; pruneDepth cuts at the bound; safeStringify never throws', () => {
    expect(() => JSON.stringify(deep)).toThrow(RangeError); // the defect the guard exists for
    expect(depthOf(deep)).toBe(MAX_DEPTH + 1); // stops counting past the limit
    expect(depthOf(deep, 10_000)).toBe(5000);
    const pruned = pruneDepth(deep);
    expect(depthOf(pruned, 10_000)).toBe(MAX_DEPTH);
    expect(safeStringify(deep)).toContain(TOO_DEEP);
    const shallow = { a: [1, { b: 2 }] };
    expect(pruneDepth(shallow)).toBe(shallow); // untouched within the bound
    const cyclic: any = {};
    cyclic.self = cyclic;
    expect(safeStringify(cyclic)).toContain(TOO_DEEP); // a cycle is cut at the depth bound
    expect(safeStringify(10n)).toMatch(/^\[not serializable/);
    expect(Object.getPrototypeOf(pruneDepth(JSON.parse(`{"__proto__":${'['.repeat(300)}${']'.repeat(300)}}`)))).toBe(Object.prototype);
  });

  test('a response nested 5,000 levels deep settles its request with a cut value and a too-deep violation', async () => {
    const { result, transcript } = await start('deep-nesting.mjs');
    const c = connected(result);
    const outcome = await c.peer.request('tools/list', {});
    expect(outcome.kind).toBe('result');
    expect(safeStringify(outcome)).toContain(TOO_DEEP);
    expect(() => JSON.stringify(outcome)).not.toThrow();
    expect(transcript.violations.map((v) => v.kind)).toEqual(['too-deep']);
  });
});

describe('stdout framing', () => {
  test('LineSplitter: lines across chunks, CRLF, the cap, a partial last line', () => {
    const got: [string, number][] = [];
    const s = new LineSplitter(8);
    const sink = (line: string, cut: number) => got.push([line, cut]);
    s.push(Buffer.from('ab\r\ncd'), sink);
    s.push(Buffer.from('e\n0123456789abc\nxy'), sink);
    s.flush(sink);
    expect(got).toEqual([['ab', 0], ['cde', 0], ['01234567', 5], ['xy', 0]]);
  });

  test('a UTF-8 byte order mark before the first line: initialize answered at once, a byte-order-mark violation', async () => {
    const { result, transcript, ms } = await start('byte-order-mark.mjs', { startTimeout: 20_000 });
    connected(result);
    expect(ms).toBeLessThan(10_000);
    expect(transcript.violations.map((v) => v.kind)).toEqual(['byte-order-mark']);
    expect(transcript.violations[0]!.detail).toMatch(/UTF-8 byte order mark \(bytes EF BB BF\)/);
  });

  test('non-JSON flooding stdout before initialize: given up on at once, with the reason', async () => {
    const { result, ms, marker } = await start('noise-before-initialize.mjs', { startTimeout: 60_000 });
    expect(result).toMatchObject({ failed: true, reason: 'noise' });
    expect((result as StartFailure).detail).toMatch(/printed more than .* of non-JSON-RPC output on stdout .* before answering anything/);
    expect(ms).toBeLessThan(15_000);
    expect(await leftoverAfter(marker, 2000)).toEqual([]);
  });

  test('a target that closes stdout but keeps running: the pending request ends as exit at once', async () => {
    const { result, transcript, marker } = await start('closes-stdout.mjs', { requestTimeout: 60_000 });
    const c = connected(result);
    const created = await c.peer.request('sessions/create', {});
    expect(created.kind).toBe('result');
    const t0 = performance.now();
    const outcome = await c.peer.request('tools/call', { name: 'echo', arguments: {} });
    expect(outcome.kind).toBe('exit');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(c.peer.exited).toMatchObject({ stdoutClosed: true });
    expect(transcript.entries.some((e) => e.text.includes('target closed its stdout while still running'))).toBe(true);
    expect(await leftoverAfter(marker, 5000)).toEqual([]);
  });

  test('a request that times out during a flood of notifications says how many arrived meanwhile', async () => {
    // The target never answers this call (it floods until stdin ends): with an answer after a
    // finite flood the test would race the flood's length against the 300 ms timeout, and a
    // quiet machine drains 50,000 lines first (the answer, a -32044 error, then wins).
    const { result, transcript } = await start('flood-during-call.mjs', {}, '--never-answer');
    const c = connected(result);
    await c.peer.request('sessions/create', {});
    const outcome = await c.peer.request('tools/call', { name: 'echo', arguments: {} }, { timeout: 300, check: 'T-FLOOD' });
    expect(outcome.kind).toBe('timeout');
    const meanwhile = outcome.kind === 'timeout' ? outcome.notificationsMeanwhile ?? 0 : 0;
    expect(meanwhile).toBeGreaterThanOrEqual(100);
    const note = transcript.forCheck('T-FLOOD').find((e) => e.dir === 'event' && e.text.startsWith('no response to tools/call'));
    expect(note?.text).toMatch(/within 300 ms; meanwhile the target sent \d+ notifications/);
  });
});

describe('processes outside the group', () => {
  test('a SIGTERM-ignoring grandchild in its own session is found by the run marker and ended', async () => {
    const { result, marker } = await start('setsid-grandchild.mjs');
    const c = connected(result);
    try {
      // This connection's own run marker (read from its target's environment): other test files
      // run beside this one, and their targets carry RUN_MARKER_VAR too.
      const runMarker = runMarkerOf(c.pid!);
      expect(runMarker).toBeDefined();
      const ours = () => markedProcesses((value) => value === runMarker);
      const deadline = performance.now() + 5000;
      while (ours().length < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // Target and grandchild carry RUN_MARKER_VAR, and they are exactly this test's processes.
      expect(ours().sort()).toEqual(processesWith(marker).map((p) => p.pid).sort());
      expect(ours()).toHaveLength(2);
      // A scan from the target's pid up (as its close makes) still finds the grandchild: started
      // after the target, it has the larger pid (until the pid counter wraps: then every pid is read).
      expect(markedProcesses((value) => value === runMarker, c.pid!)).toEqual(ours().filter((pid) => pid > c.pid!));
      expect(markedProcesses((value) => value === runMarker, c.pid!)).toHaveLength(1);
      expect(RUN_MARKER_VAR).toBe('MCP_SESSION_CONFORMANCE_RUN');
      await c.close();
      expect(await leftoverAfter(marker, 2000)).toEqual([]);
    } finally {
      killLeftovers(marker);
    }
  });

  test('shellCommand execs simple commands only', () => {
    expect(shellCommand('node server.js --x 1')).toBe('exec node server.js --x 1');
    expect(shellCommand('"/usr/bin/node" "/a b/s.mjs"')).toBe('exec "/usr/bin/node" "/a b/s.mjs"');
    for (const cmd of ['cd x && node y', 'node a | tee b', 'FOO=1 node a', 'if true; then x; fi', 'node $HOME/a', 'exec node a', 'a; b']) {
      expect(shellCommand(cmd)).toBe(cmd);
    }
  });
});
