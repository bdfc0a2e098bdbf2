// The pure helpers behind SESS-CREATE-* and SESS-ID-*: the id entropy estimator, the sequence
// detector, character checks and the diagnoses printed in failures.
import { describe, expect, test } from 'vitest';
import { createRandom } from '../../harness/random.js';
import { createShapeFix } from '../../suites/create.js';
import {
  echoChange,
  escapeInvisible,
  estimateIdEntropy,
  guessability,
  isVisibleAscii,
  sequentialPattern,
  splitConstantParts,
} from '../../suites/ids.js';

const random = createRandom(20260227, 'create.test');
const sample = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
const uuidV4 = () => {
  const h = random.hex(32).split('');
  h[12] = '4';
  h[16] = random.pick(['8', '9', 'a', 'b']);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};

describe('estimateIdEntropy', () => {
  test('sess-<32 hex> (the reference ports) estimates 128 bits', () => {
    const est = estimateIdEntropy(sample(100, () => `sess-${random.hex(32)}`));
    expect(est.prefix.startsWith('sess-')).toBe(true);
    expect(est.bits).toBeGreaterThanOrEqual(124);
    expect(guessability(sample(100, () => `sess-${random.hex(32)}`)).problems).toEqual([]);
  });

  test('sess-<12 hex> (the Python originals) estimates about 48 bits and is reported', () => {
    const ids = sample(100, () => `sess-${random.hex(12)}`);
    const est = estimateIdEntropy(ids);
    expect(est.bits).toBeGreaterThanOrEqual(44);
    expect(est.bits).toBeLessThanOrEqual(48);
    expect(guessability(ids).problems.join()).toMatch(/below 128/);
  });

  test('a v4 UUID estimates about 122 bits and is accepted because the draft names UUIDs', () => {
    const ids = sample(100, uuidV4);
    const est = estimateIdEntropy(ids);
    expect(est.bits).toBeGreaterThan(117);
    expect(est.bits).toBeLessThan(128);
    const judged = guessability(ids);
    expect(judged.uuid).toBe(true);
    expect(judged.problems).toEqual([]);
  });

  test('a constant suffix and constant middle positions add nothing', () => {
    const ids = sample(100, () => `id-${random.hex(8)}-v1-${random.hex(8)}.x`);
    const est = estimateIdEntropy(ids);
    expect(est.suffix.endsWith('.x')).toBe(true);
    expect(est.varyingPositions).toBe(16);
    expect(est.bits).toBeCloseTo(64, 0);
  });

  test('the slow digits of a millisecond clock count for little', () => {
    const start = 1_767_225_600_000;
    const est = estimateIdEntropy(sample(100, (i) => `sess-${start + i * 7}`));
    expect(est.bits).toBeLessThan(12);
  });
});

describe('sequentialPattern', () => {
  test('sess-1, sess-2, … is a counter stepping by 1', () => {
    expect(sequentialPattern(sample(100, (i) => `sess-${i + 1}`))).toMatch(/stepping by 1/);
  });

  test('a counter shared with other clients (gaps) is still found by its dense span', () => {
    let n = 500;
    const ids = sample(100, () => `sess-${(n += random.int(1, 4))}`);
    expect(sequentialPattern(ids)).toMatch(/sess-<number>|span only/);
  });

  test('a zero-padded hex counter is found', () => {
    expect(sequentialPattern(sample(50, (i) => `s${(4096 + i * 3).toString(16).padStart(8, '0')}`))).toBeDefined();
  });

  test('random hex ids are not sequential', () => {
    expect(sequentialPattern(sample(100, () => `sess-${random.hex(12)}`))).toBeUndefined();
    expect(sequentialPattern(sample(100, () => `sess-${random.hex(32)}`))).toBeUndefined();
  });
});

test('splitConstantParts keeps the varying middle of each id', () => {
  expect(splitConstantParts(['ab1z', 'ab22z', 'ab3z'])).toEqual({ prefix: 'ab', suffix: 'z', cores: ['1', '22', '3'] });
});

test('isVisibleAscii accepts 0x21–0x7E only, and not the empty string', () => {
  expect(isVisibleAscii('sess-abc~!')).toBe(true);
  expect(isVisibleAscii('')).toBe(false);
  expect(isVisibleAscii('sess abc')).toBe(false);
  expect(isVisibleAscii('sess-é')).toBe(false);
  expect(isVisibleAscii('sess-\t')).toBe(false);
});

test('escapeInvisible shows spaces, controls and non-ASCII characters as escapes', () => {
  expect(escapeInvisible('sess a')).toBe('"sess\\u0020a"');
  expect(escapeInvisible('é\n')).toBe('"\\u00e9\\u000a"');
  expect(escapeInvisible('x😀')).toBe('"x\\u{1f600}"');
});

test('echoChange names how an echoed id differs from the one sent', () => {
  expect(echoChange('sess-ab', 'SESS-AB')).toMatch(/letter case/);
  expect(echoChange('sess-ab', 'sess-ab ')).toMatch(/whitespace/);
  expect(echoChange('sess-ab', 'sess-ab-2')).toMatch(/appended "-2"/);
  expect(echoChange('sess-ab', 'x:sess-ab')).toMatch(/prepended "x:"/);
  expect(echoChange('sess-ab', 'sess-zz')).toMatch(/different id/);
  expect(echoChange('sess-ab', 42)).toMatch(/not the string/);
});

test('createShapeFix names where a misplaced session sits', () => {
  const key = 'io.modelcontextprotocol/session';
  expect(createShapeFix({ sessionId: 's' }, key)).toMatch(/top level of result/);
  expect(createShapeFix({ sessionMetadata: { sessionId: 's' } }, key)).toMatch(/result\.sessionMetadata/);
  expect(createShapeFix({ _meta: { [key]: { sessionId: 's' } } }, key)).toMatch(/earlier revision/);
  expect(createShapeFix({ session: 's' }, key)).toMatch(/bare id/);
  expect(createShapeFix({ session: { sessionId: 1 } }, key)).toMatch(/SessionMetadata object/);
});
