// The pure helpers behind SESS-EXP-* and SESS-STATE-3, and proof that the two info checks of
// the group (SESS-USE-3, SESS-EXP-2) report what they observe: a broken server changes the report.
import { describe, expect, test } from 'vitest';
import { createRandom } from '../../harness/random.js';
import { isRfc3339DateTime } from '../../suites/expiry.js';
import { flipCharacter } from '../../suites/state.js';
import { brokenServer, runCli } from '../conformance/run-cli.js';

describe('isRfc3339DateTime', () => {
  test.each([
    '2026-03-01T00:00:00Z',
    '2026-03-01t00:00:00z',
    '2026-03-01T00:00:00.123456Z',
    '2026-03-01T23:59:60+01:00',
    '2024-02-29T12:00:00-08:00',
  ])('accepts %s', (text) => expect(isRfc3339DateTime(text)).toBe(true));

  test.each([
    ['tomorrow', 'a word'],
    ['2026-03-01', 'a date without a time'],
    ['2026-03-01 00:00:00Z', 'a space separator'],
    ['2026-03-01T00:00Z', 'no seconds'],
    ['2026-03-01T00:00:00', 'no offset'],
    ['2026-03-01T00:00:00+0100', 'an offset without a colon'],
    ['2026-02-30T00:00:00Z', 'February 30'],
    ['2025-02-29T00:00:00Z', 'February 29 of a common year'],
    ['2026-13-01T00:00:00Z', 'month 13'],
    ['2026-03-01T24:00:00Z', 'hour 24'],
    ['2026-03-01T00:00:00+24:00', 'an offset of 24 hours'],
    ['1772323200', 'epoch seconds'],
  ])('rejects %s (%s)', (text) => expect(isRfc3339DateTime(text)).toBe(false));
});

describe('flipCharacter', () => {
  test('changes exactly one character and keeps a base64 token in the base64 alphabet', () => {
    const random = createRandom(7, 'flip');
    const token = Buffer.from(JSON.stringify({ callCount: 12 })).toString('base64');
    for (let i = 0; i < 50; i++) {
      const flipped = flipCharacter(token, random);
      expect(flipped).toHaveLength(token.length);
      expect([...flipped].filter((c, at) => c !== token[at])).toHaveLength(1);
      expect(flipped).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      // The last two characters (padding, unused bits) are never the ones changed.
      expect(flipped.slice(-2)).toBe(token.slice(-2));
    }
  });

  test('changes a token of non-base64 characters too', () => {
    expect(flipCharacter('!!', createRandom(1, 'flip'))).not.toBe('!!');
  });
});

async function report(target: string[], only: string) {
  const run = await runCli([...target, '--only', only, '--seed', '1', '-q'], { timeoutMs: 60_000 });
  expect(run.json, `no JSON report; stderr: ${run.stderr}`).toBeDefined();
  return run.json.checks.find((c: any) => c.id === only);
}

const reference = (name: string) => ['--reference', name];
const broken = (name: string) => ['--server', brokenServer(name)];

describe.concurrent('info checks report the observation, and a different server changes it', () => {
  test('SESS-USE-3: the references ignore session metadata on lists; a session middleware echoes it', async () => {
    const [ref, other] = await Promise.all([report(reference('session_server'), 'SESS-USE-3'), report(broken('use-state-number'), 'SESS-USE-3')]);
    expect(ref.status).toBe('info');
    expect(ref.details.reactions['tools/list']).toEqual({ live: 'ignore', unknown: 'ignore' });
    expect(ref.details.reactions.ping).toEqual({ live: 'ignore', unknown: 'ignore' });
    expect(ref.message).toContain('tools/list: live session → ignore');
    expect(other.status).toBe('info');
    expect(other.details.reactions['tools/list']).toEqual({ live: 'echo', unknown: 'ignore' });
    expect(other.details.reactions['resources/list'].live).toBe('echo');
    expect(other.message).toContain('tools/list: live session → echo');
  });

  test('SESS-EXP-2: the reference expiresAt lies 30 min ahead; "tomorrow" cannot be placed in time', async () => {
    const [ref, other] = await Promise.all([report(reference('session_server'), 'SESS-EXP-2'), report(broken('exp-tomorrow'), 'SESS-EXP-2')]);
    expect(ref.status).toBe('info');
    expect(ref.details).toMatchObject({ issued: 'future', when: '30 min ahead' });
    expect(ref.message).toMatch(/^expiresAt lies 30 min ahead when the session is created/);
    expect(other.status).toBe('info');
    expect(other.details).toMatchObject({ issued: 'not a date-time', value: 'tomorrow' });
    expect(other.message).toContain('"tomorrow" is not an RFC 3339 date-time');
  });
});
