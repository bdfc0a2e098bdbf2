// The noninterference method of SESS-ISO-1 (D16): how answers are compared (pure functions),
// how the calls are chosen, and what it finds on real servers that share data across sessions.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../harness/random.js';
import type { ToolInfo } from '../../harness/discovery.js';
import type { Outcome } from '../../harness/types.js';
import { answerOf, learnTemplate, mismatch, tokens } from '../../suites/properties/interference-compare.js';
import { nameWords, planCalls, withMarker } from '../../suites/properties/noninterference.js';
import { REFERENCE_SERVERS, runModel } from './run-model.js';

const text = (t: string): Outcome => ({ kind: 'result', id: 1, result: { content: [{ type: 'text', text: t }] }, message: {} });
const error = (code: number, message: string, data?: unknown): Outcome => ({ kind: 'error', id: 1, error: { code, message, data }, message: {} });
const tool = (name: string, properties: Record<string, unknown> = {}, required: string[] = []): ToolInfo => ({
  name,
  inputSchema: { type: 'object', properties, required },
  args: Object.fromEntries(required.map((k) => [k, 'conformance-probe'])),
});

describe('comparing session B alone with session B next to session A', () => {
  it('masks the own session id, other sessions\' ids, times, UUIDs and epoch numbers', () => {
    const a = answerOf(text('Session sess-aaaaaaaa at 2026-12-01T03:23:21.845829+00:00 saw sess-bbbbbbbb, id 0b9e3c1a-1111-4222-8333-444455556666, t=1764559401'), 'sess-aaaaaaaa', ['sess-bbbbbbbb']);
    expect(a.text).toBe('result: Session <session> at <time> saw <other-session>, id <uuid>, t=<epoch>');
    expect(a.raw).toContain('sess-bbbbbbbb');
  });

  it('does not mask short ids by text (they would hit unrelated digits)', () => {
    expect(answerOf(text('session 7: 17 notes'), '7', []).text).toBe('result: session 7: 17 notes');
  });

  it('words the outcome, so failures compare too', () => {
    expect(answerOf(error(-32043, 'Session not found', { sessionId: 'sess-aaaaaaaa' }), 'sess-aaaaaaaa', []).text).toBe(
      'error -32043: Session not found {"sessionId":"<session>"}',
    );
    expect(answerOf({ kind: 'result', id: 1, result: { content: [{ type: 'text', text: 'no' }], isError: true }, message: {} }, 'x', []).text).toBe('isError: no');
  });

  it('learns which tokens vary by themselves, and accepts any value there', () => {
    const alone = ['roll 4 of 6', 'roll 2 of 6', 'roll 5 of 6'].map((t) => answerOf(text(t), 'id-unused', []));
    const template = learnTemplate(alone);
    expect(template).toEqual(['result:', 'roll', undefined, 'of', '6']);
    expect(mismatch(template, alone[0]!, answerOf(text('roll 1 of 6'), 'id-unused', []))).toBeUndefined();
    expect(mismatch(template, alone[0]!, answerOf(text('roll 1 of 7'), 'id-unused', []))?.changed).toBe('"6" → "7"');
  });

  it('names the new words when the answer next to A has another shape', () => {
    const alone = [answerOf(text('(notebook is empty)'), 'x', [])];
    const got = answerOf(text('Notebook (1 notes):\n  1. iso-A-1234'), 'x', []);
    const found = mismatch(learnTemplate(alone), alone[0]!, got);
    expect(found?.changed).toMatch(/^4 words alone, 6 next to session A; new: .*"iso-A-1234"/);
  });

  it('does not compare an answer whose shape varies between runs alone', () => {
    const alone = ['a b', 'a b c'].map((t) => answerOf(text(t), 'x', []));
    expect(learnTemplate(alone)).toBeNull();
    expect(mismatch(null, alone[0]!, answerOf(text('anything at all'), 'x', []))).toBeUndefined();
  });

  it('splits JSON answers into values, so a varying id does not hide the rest', () => {
    expect(tokens('{"count":1,"id":"r-9f"}')).toEqual(['count', ':1', 'id', ':', 'r-9f']);
  });
});

describe('choosing the calls', () => {
  const tools = [
    tool('notes_add', { text: { type: 'string' } }, ['text']),
    tool('notes_read'),
    tool('notes_clear'),
    tool('server_shutdown'),
    tool('notes_tag', { tag: { enum: ['red', 'blue'] }, note: { type: 'string', maxLength: 4 } }, ['tag']),
  ];

  it('is the same for the same seed', () => {
    const plan = (seed: number) => planCalls(tools, new Map(), createRandom(seed, 'SESS-ISO-1'));
    expect(plan(3)).toEqual(plan(3));
    expect(plan(3).markers).not.toEqual(plan(4).markers);
  });

  it('never calls a tool whose name reads as stopping the server, and calls ending tools last', () => {
    const plan = planCalls(tools, new Map(), createRandom(1, 'SESS-ISO-1'));
    expect(plan.b.map((c) => c.tool)).not.toContain('server_shutdown');
    expect(plan.leftOut).toEqual(['server_shutdown (named as stopping the server)']);
    expect(plan.b.at(-1)!.tool).toBe('notes_clear');
    expect(plan.b.filter((c) => c.tool === 'notes_clear')).toHaveLength(1);
    // Every other tool twice in B, and A's calls (one before each of B's) include the writes.
    expect(plan.b.filter((c) => c.tool === 'notes_add')).toHaveLength(2);
    expect(plan.a).toHaveLength(plan.b.length);
    expect(plan.a.some((c) => c.tool === 'notes_add' && c.args.text === plan.markers.a)).toBe(true);
  });

  it('reads tool names word by word (append is no "end", clearAll is a clear)', () => {
    expect(nameWords('notebook_append')).toEqual(['notebook', 'append']);
    expect(nameWords('clearAll')).toEqual(['clear', 'all']);
    const plan = planCalls([tool('notebook_append', { text: { type: 'string' } }, ['text']), tool('clearAll'), tool('sendEmail')], new Map(), createRandom(1));
    expect(plan.b.map((c) => c.tool)).toEqual([...plan.b.slice(0, 4).map((c) => c.tool), 'clearAll']);
    expect(plan.b.filter((c) => c.tool === 'notebook_append')).toHaveLength(2);
  });

  it('uses arguments chosen elsewhere (--tool-args) as they are, without markers', () => {
    const given = new Map([['notes_add', { text: 'my own note' }]]);
    const plan = planCalls(tools, given, createRandom(1, 'SESS-ISO-1'));
    expect(plan.b.filter((c) => c.tool === 'notes_add').map((c) => c.args)).toEqual([{ text: 'my own note' }, { text: 'my own note' }]);
  });

  it('puts the session\'s marker only into plain string arguments that can hold it', () => {
    const marked = withMarker(tools[4]!, { tag: 'red' }, 'iso-A-12345678');
    expect(marked).toEqual({ args: { tag: 'red' }, marked: false });
    expect(withMarker(tools[0]!, { text: 'conformance-probe' }, 'iso-B-1')).toEqual({ args: { text: 'iso-B-1' }, marked: true });
  });
});

describe.concurrent('SESS-ISO-1 on undeclared targets (noninterference)', () => {
  it.each(REFERENCE_SERVERS)('%s, undeclared: the same answers next to another session, no warning', async (server) => {
    const { iso } = await runModel(server, '2026-02-27', 5, 25, null);
    expect(iso.status, `${iso.message}\n${iso.actual ?? ''}`).toBe('pass');
    expect(iso.details?.method).toBe('noninterference');
  });

  it('iso-memo-leak: session A\'s text shows in session B\'s memo_read answer → a warning naming tool and data', async () => {
    const { iso } = await runModel('broken/iso-memo-leak', '2026-02-27', 1, 25, null);
    expect(iso.status).toBe('warn');
    expect(iso.message).toMatch(/^text written in session A \("iso-A-[0-9a-f]{8}", passed to memo_append\) appeared in session B's memo_read answer/);
    expect(iso.fix).toMatch(/shares this data across sessions on purpose/);
    expect(iso.transcript?.join('\n')).toContain('memo_append');
  });

  it('iso-memo-leak declared as notebook_server: the same finding fails (MUST)', async () => {
    const { iso } = await runModel('broken/iso-memo-leak', '2026-03-13', 1, 25, 'notebook_server');
    expect(iso.status).toBe('fail');
    expect(iso.details?.method).toBe('noninterference');
  });

  it('iso-digest-leak: only a digest crosses; B\'s answers count A\'s entries → a warning from the comparison', async () => {
    const { iso } = await runModel('broken/iso-digest-leak', '2026-02-27', 1, 25, null);
    expect(iso.status).toBe('warn');
    const differences = iso.details?.differences as { tool: string; crossed?: string }[];
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.every((d) => d.crossed === undefined)).toBe(true);
    expect(iso.message).toMatch(/session B's digest_(list|store) answer .* changed when session A made other calls before and in between/);
  });
});
