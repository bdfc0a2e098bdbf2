// A failing check's whole exchange (shown by the HTML report behind its transcript excerpt):
// every line the check caused, bounded, and when bounded it keeps the end, where the problem showed.
import { describe, expect, test } from 'vitest';
import { Transcript } from '../../harness/transcript.js';
import { wholeExchange } from '../../runner/execute.js';

function entries(n: number) {
  const t = new Transcript();
  for (let i = 1; i <= n; i++) t.add({ conn: 1, dir: i % 2 ? 'out' : 'in', text: `{"id":${i}}`, check: 'A-1' });
  return { t, list: t.entries.filter((e) => e.check === 'A-1') };
}

describe('a check\'s whole exchange', () => {
  test('a short exchange is every line, in order', () => {
    const { t, list } = entries(30);
    const lines = wholeExchange(t, list);
    expect(lines).toHaveLength(30);
    expect(lines[0]).toBe('>>> {"id":1}');
    expect(lines[29]).toBe('<<< {"id":30}');
  });

  test('past 400 lines it keeps the last 399 and says how many earlier lines were not kept', () => {
    const { t, list } = entries(1000);
    const lines = wholeExchange(t, list);
    expect(lines).toHaveLength(400);
    expect(lines[0]).toBe('… 601 earlier lines not kept');
    expect(lines[1]).toBe('<<< {"id":602}');
    expect(lines[399]).toBe('<<< {"id":1000}');
  });

  test('a long line is cut in the middle at 2000 characters', () => {
    const t = new Transcript();
    t.add({ conn: 1, dir: 'in', text: `"${'x'.repeat(5000)}"`, check: 'A-1' });
    const [line] = wholeExchange(t, t.entries);
    expect(line!.length).toBeLessThanOrEqual(2000);
    expect(line).toMatch(/^<<< "x+…\(\d+ chars\)…x+"$/);
  });
});
