// The transcript: ordering, caps, and the `>>> / <<< / !!! / ---` rendering used in reports.
import { describe, expect, test } from 'vitest';
import { Transcript, shorten } from '../../harness/transcript.js';

describe('Transcript', () => {
  test('numbers entries across connections and renders them by direction', () => {
    const t = new Transcript();
    t.add({ conn: 1, dir: 'out', text: '{"id":1}', check: 'A' });
    t.add({ conn: 2, dir: 'in', text: '{"id":1}', check: 'A' });
    t.add({ conn: 1, dir: 'stderr', text: 'warning: x' });
    t.note('restarted', 1, 'A');
    expect(t.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(t.format(t.entries)).toEqual(['>>> {"id":1}', '<<< {"id":1}', '!!! stderr: warning: x', '--- restarted']);
    expect(t.forCheck('A').map((e) => e.seq)).toEqual([1, 2, 4]);
    expect(t.nextSeq()).toBe(5);
    expect(t.entries[1].t).toBeGreaterThanOrEqual(t.entries[0].t);
  });

  test('caps stored text per entry and records by how much', () => {
    const t = new Transcript({ maxEntryChars: 10, maxJsonChars: 5 });
    const e = t.add({ conn: 1, dir: 'in', text: '{"long":"abcdefghij"}', json: { long: 'abcdefghij' } });
    expect(e.text).toBe('{"long":"a');
    expect(e.truncated).toBe(11);
    expect(e.json).toBeUndefined();
  });

  test('keeps at most maxEntries, dropping the oldest', () => {
    const t = new Transcript({ maxEntries: 100 });
    for (let i = 0; i < 250; i++) t.add({ conn: 1, dir: 'event', text: String(i) });
    expect(t.entries.length).toBeLessThanOrEqual(100);
    expect(t.entries.at(-1)!.text).toBe('249');
    expect(t.dropped + t.entries.length).toBe(250);
  });

  test('format bounds lines and shortens long ones in the middle', () => {
    const t = new Transcript();
    for (let i = 0; i < 5; i++) t.add({ conn: 1, dir: 'out', text: 'x'.repeat(100) + i });
    const lines = t.format(t.entries, { maxLines: 3, maxChars: 40 });
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('… 3 more lines');
    expect(lines[0].length).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^>>> x+…\(\d+ chars\)…x+0$/);
    expect(shorten('short', 40)).toBe('short');
  });
});
