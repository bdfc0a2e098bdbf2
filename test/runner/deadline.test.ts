// D18: a check's deadline grows with the requests it sends, and a missed deadline is blamed on
// whoever kept the check from finishing — stated truthfully.
import { describe, expect, test } from 'vitest';
import { DeadlineExceeded, missedDeadline, RunStopped, withGrowingDeadline } from '../../runner/deadline.js';

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('the growing check deadline', () => {
  test('each request sent extends the deadline by one request timeout', async () => {
    let requests = 0;
    const timer = setInterval(() => requests++, 20);
    try {
      // Base 50 ms: a fixed deadline would fire at 50 ms; the requests keep earning time.
      const value = await withGrowingDeadline(after(300, 'done'), { baseMs: 50, perRequestMs: 40, perStartMs: 0 }, () => ({ requests, starts: 0 }), 'X-1');
      expect(value).toBe('done');
    } finally {
      clearInterval(timer);
    }
  });

  test('with no requests, the base deadline holds', async () => {
    const started = performance.now();
    await expect(withGrowingDeadline(never(), { baseMs: 60, perRequestMs: 1000, perStartMs: 0 }, () => ({ requests: 0, starts: 0 }), 'X-1')).rejects.toBeInstanceOf(DeadlineExceeded);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('the run stop ends the check at once with RunStopped', async () => {
    const stop = new AbortController();
    const pending = withGrowingDeadline(never(), { baseMs: 60_000, perRequestMs: 0, perStartMs: 0 }, () => ({ requests: 0, starts: 0 }), 'X-1', {
      signal: stop.signal,
      reason: () => 'the run was interrupted',
    });
    stop.abort();
    await expect(pending).rejects.toThrow(RunStopped);
    await expect(pending).rejects.toThrow('the run was interrupted');
  });
});

describe('a missed deadline says the truth', () => {
  const err = new DeadlineExceeded('SESS-ID-4 did not finish within its deadline of 90000 ms', 90_000);

  test('requests unanswered past --timeout: untestable, with how many of how many', () => {
    const r = missedDeadline(err, { sent: 12, answered: 11, unanswered: 1, lost: 0, inFlight: 0 }, 'MUST', 5000);
    expect(r.status).toBe('untestable');
    expect(r.message).toMatch(/left 1 of its 12 requests unanswered within the 5000 ms request timeout/);
  });

  test('every request answered in time, some still in flight: incomplete, never "unanswered"', () => {
    const r = missedDeadline(err, { sent: 12, answered: 11, unanswered: 0, lost: 0, inFlight: 1 }, 'MUST', 5000);
    expect(r.status).toBe('incomplete');
    expect(r.message).not.toMatch(/unanswered/);
    expect(r.message).toMatch(/still answering.*1 still in flight/);
  });

  test('everything answered and nothing pending: the harness hung', () => {
    expect(missedDeadline(err, { sent: 3, answered: 3, unanswered: 0, lost: 0, inFlight: 0 }, 'MUST', 5000).status).toBe('harness-error');
  });
});
