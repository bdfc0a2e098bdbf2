// The JSON-RPC peer against real fixture targets: correlation by exact id, violations recorded
// on the transcript, server→client requests answered, timeouts and exits as outcomes.
import { describe, expect, test } from 'vitest';
import { connectTo } from './helpers.js';

const kinds = (t: { violations: readonly { kind: string }[] }) => t.violations.map((v) => v.kind);

describe('Peer', () => {
  test('a tool call to a well-behaved server ends as a result, recorded both ways with its check', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const outcome = await c.peer.request('tools/call', { name: 'echo', arguments: { msg: 'hi' } }, { check: 'T-1' });
    expect(outcome.kind).toBe('result');
    expect(outcome.kind === 'result' && outcome.result.content[0].text).toBe('{"msg":"hi"}');
    const lines = transcript.format(transcript.forCheck('T-1'));
    expect(lines[0]).toMatch(/^>>> \{"jsonrpc":"2.0","id":"[0-9a-f]{8}-\d+","method":"tools\/call"/);
    expect(lines[1]).toMatch(/^<<< \{"jsonrpc":"2.0","id":"[0-9a-f]{8}-\d+","result"/);
    const exchange = transcript.exchanges.find((e) => e.check === 'T-1')!;
    expect(exchange).toMatchObject({ method: 'tools/call', outcome: 'result', conn: 1 });
    expect(exchange.response.result.content[0].text).toBe('{"msg":"hi"}');
    expect(transcript.violations).toEqual([]);
  });

  test('non-JSON text on stdout is a violation and the harness keeps going', async () => {
    const { c, transcript } = await connectTo('noisy-stdout');
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} });
    expect(outcome.kind).toBe('result');
    expect(kinds(transcript)).toEqual(['non-json', 'non-json']); // the banner, then one per tool call
    const noisy = transcript.entries.find((e) => e.text === 'starting up, please wait')!;
    expect(noisy.problems).toEqual(['non-json: stdout line is not JSON']);
  });

  test('a target that crashes mid-request ends the request as exit with its code', async () => {
    const { c, transcript } = await connectTo('crash-mid-request');
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} });
    expect(outcome).toMatchObject({ kind: 'exit', code: 3, signal: null });
    expect(c.peer.exited).toEqual({ code: 3, signal: null });
    expect(transcript.format(transcript.entries)).toContain('!!! stderr: fixture: crashing now');
    expect(await c.peer.request('ping')).toMatchObject({ kind: 'exit', code: 3 });
  });

  test('a request nobody answers times out, and close still ends the target', async () => {
    const { c } = await connectTo('silent');
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} }, { timeout: 100 });
    expect(outcome).toMatchObject({ kind: 'timeout', ms: 100 });
    const exit = await c.close();
    expect(exit.code).toBe(0); // it ends on end of stdin
    expect(c.peer.exited).toEqual(exit);
  });

  test('a late answer after the timeout is recorded as unknown-id and settles nothing', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const held = await c.peer.request('tools/call', { name: 'hold', arguments: {} }, { timeout: 50 });
    expect(held.kind).toBe('timeout');
    const next = await c.peer.request('tools/call', { name: 'echo', arguments: { n: 2 } });
    expect(next.kind === 'result' && next.result.content[0].text).toBe('{"n":2}');
    expect(transcript.violations).toMatchObject([{ kind: 'unknown-id', detail: 'late response after timeout' }]);
    expect(transcript.exchanges.map((e) => e.outcome)).toEqual(['result', 'timeout', 'result']);
  });

  test('an answer that arrived while the suite itself was stalled past the deadline is the answer, not a timeout (D18)', async () => {
    // A loaded machine deschedules the suite's process: on waking, its timers run before the input
    // that arrived meanwhile is read. Here the stall is a blocked thread (200 ms) and the echo is
    // answered within milliseconds, long before it ends; the deadline is 50 ms.
    const { c, transcript } = await connectTo('well-behaved');
    expect((await c.peer.request('ping')).kind).toBe('result'); // warmed up: it answers at once
    const answered = c.peer.request('tools/call', { name: 'echo', arguments: { n: 1 } }, { timeout: 50 });
    // The line leaves at the end of the tick (one pipe write per tick); then the stall.
    await new Promise((resolve) => setImmediate(resolve));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    const outcome = await answered;
    expect(outcome.kind, JSON.stringify(outcome)).toBe('result');
    expect(transcript.violations).toEqual([]);
  });

  test("the target's own requests reusing our integer ids are answered and never taken for responses", async () => {
    const { c, transcript } = await connectTo('client-requests');
    const seen: string[] = [];
    c.peer.onNotification('*', (_p, m) => seen.push(m.method));
    const id = c.peer.nextIntegerId();
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} }, { id });
    expect(outcome.kind).toBe('result');
    if (outcome.kind !== 'result') return;
    expect(outcome.id).toBe(id);
    expect(outcome.result.content[0].text).toBe('done'); // the real answer, not the ping
    expect(outcome.result.answers[id]).toEqual({ jsonrpc: '2.0', id, result: {} });
    expect(outcome.result.answers[id + 1]).toMatchObject({ id: id + 1, error: { code: -32601 } });
    expect(seen).toEqual(['notifications/message']);
    expect(c.peer.notifications.map((n) => n.method)).toEqual(['notifications/message']);
    expect(transcript.violations).toEqual([]);
  });

  test('a partial last line at exit is recorded as a violation and still answers its request', async () => {
    const { c, transcript } = await connectTo('partial-line');
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} });
    expect(outcome.kind).toBe('result');
    expect(kinds(transcript)).toEqual(['partial-line']);
    expect(await c.peer.waitForExit(5000)).toEqual({ code: 0, signal: null });
  });

  test('a response whose id has the wrong type (1 vs "1") is a violation and settles nothing', async () => {
    const { c, transcript } = await connectTo('id-type-mismatch');
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} }, { id: 1 });
    expect(outcome.kind === 'result' && outcome.result.answer).toBe('right id');
    expect(transcript.violations).toMatchObject([
      { kind: 'id-type-mismatch', detail: 'response id "1" does not match request id 1 (type differs)' },
    ]);
  });

  test('a second response to the same id is a duplicate-response violation', async () => {
    const { c, transcript } = await connectTo('duplicate-response');
    const mark = transcript.nextSeq();
    const outcome = await c.peer.request('tools/call', { name: 'x', arguments: {} });
    expect(outcome.kind === 'result' && outcome.result.n).toBe(1);
    const second = await c.peer.waitForMessage((m) => m.result?.n === 2, 5000, mark);
    expect(second).not.toBeNull();
    expect(transcript.violations).toMatchObject([{ kind: 'duplicate-response', seq: second!.seq }]);
  });

  test('a line over --max-message-bytes is cut, flagged with its size, and the next answer still arrives', async () => {
    const { c, transcript } = await connectTo('well-behaved', { maxMessageBytes: 1024 * 1024 });
    const outcome = await c.peer.request('tools/call', { name: 'noise', arguments: { bytes: 3_000_000 } });
    expect(outcome.kind).toBe('result');
    const big = transcript.entries.find((e) => e.problems?.[0]?.startsWith('oversized-line'))!;
    expect(big.text.length).toBeLessThanOrEqual(8192);
    expect(big.truncated).toBeGreaterThan(2_990_000);
    expect(big.problems![0]).toMatch(/^oversized-line: message of 300\d{4} bytes is larger than the harness reads \(1048576 bytes, --max-message-bytes\)/);
    expect(kinds(transcript)).toEqual(['oversized-line']);
  });

  test('under the default message bound (64 MiB) a 3 MB line is read whole (judged as what it is: not JSON)', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    const outcome = await c.peer.request('tools/call', { name: 'noise', arguments: { bytes: 3_000_000 } });
    expect(outcome.kind).toBe('result');
    expect(kinds(transcript)).toEqual(['non-json']);
  });

  test('ids are <8 hex>-<counter>, unique per connection; forced integer ids keep their type', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    await c.peer.request('ping');
    await c.peer.request('ping', undefined, { id: 7 });
    const sent = transcript.entries.filter((e) => e.dir === 'out').map((e) => (e.json as any).id);
    expect(sent[0]).toMatch(new RegExp(`^${c.peer.idPrefix}-1$`)); // initialize
    expect(sent[1]).toBeUndefined(); // notifications/initialized
    expect(sent.slice(2)).toEqual([`${c.peer.idPrefix}-2`, 7]);
    expect(c.peer.requestsSent).toBe(3);
  });
});
