// A request's deadline runs from the later of its sending and the target's last answer to a
// request sent before it (harness/service-queue.ts, D18): a target working through the requests
// ahead is not slow on the one behind them. A target that answers nothing gets no extension, and
// the extension is bounded.
import { describe, expect, test, vi } from 'vitest';
import { armDeadline, type Pending } from '../../harness/correlation.js';
import { describeOutcome } from '../../harness/discovery.js';
import { Peer } from '../../harness/peer.js';
import { ServiceQueue } from '../../harness/service-queue.js';
import { Transcript } from '../../harness/transcript.js';
import type { Outcome, RequestId } from '../../harness/types.js';
import { PROFILE } from './helpers.js';
import { ScriptedTransport } from './scripted-transport.js';

const TIMEOUT = 300;

function scripted(service?: ServiceQueue): { peer: Peer; transport: ScriptedTransport } {
  const transport = new ScriptedTransport();
  const peer = new Peer(transport, { conn: 1, transcript: new Transcript(), profile: PROFILE, defaultTimeout: TIMEOUT, ...(service ? { service } : {}) });
  return { peer, transport };
}

/** Plays the target: answers `id` after `ms`. */
function answerAfter(transport: ScriptedTransport, id: RequestId, ms: number): void {
  setTimeout(() => transport.answer(id), ms);
}

const kinds = (outcomes: Outcome[]) => outcomes.map((o) => o.kind);

describe('request deadlines and the target queue', () => {
  test('requests queued behind answered ones wait on: three requests answered one every 200 ms, timeout 300 ms, all answered', async () => {
    const { peer, transport } = scripted();
    const outcomes = Promise.all([peer.request('ping'), peer.request('ping'), peer.request('ping')]);
    const ids = transport.sent.map((m) => m.id as RequestId);
    ids.forEach((id, i) => answerAfter(transport, id, 200 * (i + 1)));
    expect(kinds(await outcomes)).toEqual(['result', 'result', 'result']);
  });

  test('a target that answers nothing gets no extension: each request times out at its own timeout', async () => {
    const { peer } = scripted();
    const outcomes = await Promise.all([peer.request('ping'), peer.request('ping'), peer.request('ping')]);
    expect(kinds(outcomes)).toEqual(['timeout', 'timeout', 'timeout']);
    for (const o of outcomes) expect(o.kind === 'timeout' && o.ms).toBe(TIMEOUT);
    expect(describeOutcome(outcomes[0]!)).toBe(`no response within ${TIMEOUT} ms`);
  });

  test('HTTP (a connection per request) is an unordered queue: answered in reverse order, one every 200 ms, timeout 300 ms, all answered; over one pipe the two sent first time out', async () => {
    for (const ordered of [false, true]) {
      const { peer, transport } = scripted(new ServiceQueue(ordered));
      const outcomes = Promise.all([peer.request('ping'), peer.request('ping'), peer.request('ping')]);
      const ids = transport.sent.map((m) => m.id as RequestId);
      [...ids].reverse().forEach((id, i) => answerAfter(transport, id, 200 * (i + 1)));
      expect(kinds(await outcomes), ordered ? 'ordered' : 'unordered').toEqual(ordered ? ['timeout', 'timeout', 'result'] : ['result', 'result', 'result']);
    }
  });

  test('a request the target ignores times out once the requests ahead are answered, saying how long it waited', async () => {
    const { peer, transport } = scripted();
    const ahead = peer.request('ping');
    const ignored = peer.request('ping');
    answerAfter(transport, transport.sent[0].id, 200);
    expect((await ahead).kind).toBe('result');
    const outcome = await ignored;
    expect(outcome.kind).toBe('timeout');
    // Waited from the answer ahead (200 ms) one timeout more, not one timeout from its sending,
    // and the report says why it took longer than --timeout.
    expect(outcome.kind === 'timeout' && outcome.ms).toBeGreaterThanOrEqual(200 + TIMEOUT - 5);
    expect(describeOutcome(outcome)).toMatch(/^no response within \d+ ms \(past --timeout while the target was still answering requests sent before it/);
  });

  test('late answers to requests that had already timed out extend it no further than one timeout per request outstanding at its sending', async () => {
    const { peer, transport } = scripted();
    const early = await Promise.all([peer.request('ping'), peer.request('ping')]);
    expect(kinds(early)).toEqual(['timeout', 'timeout']);
    // Nothing was outstanding when this one went out: its bound is one timeout.
    const last = peer.request('ping');
    const [first, second, own] = transport.sent.map((m) => m.id as RequestId);
    answerAfter(transport, first!, 150);
    answerAfter(transport, second!, 250);
    answerAfter(transport, own!, TIMEOUT + 200);
    expect((await last).kind).toBe('timeout');
  });

  test('over --url every connection shares one queue: a request on one connection waits behind another connection\'s answered requests', async () => {
    const service = new ServiceQueue();
    const busy = scripted(service);
    const other = scripted(service);
    const burst = Promise.all([busy.peer.request('ping'), busy.peer.request('ping')]);
    const behind = other.peer.request('ping');
    busy.transport.sent.forEach((m, i) => answerAfter(busy.transport, m.id, 200 * (i + 1)));
    answerAfter(other.transport, other.transport.sent[0].id, 550);
    expect(kinds(await burst)).toEqual(['result', 'result']);
    expect((await behind).kind).toBe('result');
    // Each connection's own queue: the same timing is a timeout.
    const alone = scripted();
    const unshared = alone.peer.request('ping');
    answerAfter(alone.transport, alone.transport.sent[0].id, 550);
    expect((await unshared).kind).toBe('timeout');
  });
});

// Found in CI: a request sent right after initialize's answer timed out against a silent target
// with `ms: 101` and as "queued" — its timer fired a fraction of a millisecond early by
// performance.now(), so initialize's answer, read just before it was sent, counted as the target
// working through requests ahead of it.
test('an answer read before the request was sent never extends its deadline, even when its timer fires a little early', async () => {
  const queue = new ServiceQueue();
  const before = queue.take();
  let t = 999.7;
  const clock = vi.spyOn(performance, 'now').mockImplementation(() => t);
  try {
    queue.answered(before); // at 999.7
    queue.release();
    t = 1000;
    const p = { ticket: queue.take() } as Pending;
    const waited = await new Promise<number | undefined>((resolve) => {
      armDeadline(p, 50, () => 0, resolve, queue);
      t = 1049.5; // the 50 ms timer fires at 49.5 ms by this clock
      setTimeout(() => (t = 1051), 80); // an extension, if given, ends here: waited 51
    });
    expect(waited, 'a timeout at its own deadline, not one "queued" behind an earlier answer').toBeUndefined();
  } finally {
    clock.mockRestore();
  }
});
