// Candidate scalar values for a JSON Schema, smallest first: numbers within bounds and
// multipleOf, strings within lengths and formats, strings matching a pattern (randexp, driven
// to its minimal choices, then seeded variants). Shared by the value builder.
import RandExpModule from 'randexp';
import { createRandom } from './random.js';
import { BUDGET } from './tool-schema.js';

type Schema = Record<string, any>;
// randexp is CommonJS with `exports.default` and `module.exports` both set to the class.
const RandExp: typeof RandExpModule.default = (RandExpModule as any).default ?? RandExpModule;

export const SAMPLE_STRING = 'conformance-probe';

const FORMATS: Record<string, string> = {
  email: 'probe@example.com',
  'idn-email': 'probe@example.com',
  uri: 'https://example.com/probe',
  'uri-reference': 'https://example.com/probe',
  iri: 'https://example.com/probe',
  url: 'https://example.com/probe',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  'json-pointer': '/probe',
  regex: 'probe',
};

export function* numbers(schema: Schema, integer: boolean): Generator<number> {
  const exclusive = (key: 'exclusiveMinimum' | 'exclusiveMaximum', bound: string) =>
    typeof schema[key] === 'number' ? schema[key] : schema[key] === true && typeof schema[bound] === 'number' ? schema[bound] : undefined;
  const exMin = exclusive('exclusiveMinimum', 'minimum');
  const exMax = exclusive('exclusiveMaximum', 'maximum');
  const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : undefined;
  let low = typeof schema.minimum === 'number' && schema.exclusiveMinimum !== true ? schema.minimum : -Infinity;
  let high = typeof schema.maximum === 'number' && schema.exclusiveMaximum !== true ? schema.maximum : Infinity;
  // Off an exclusive bound by one step, or (no step) by half the gap, at most 0.5.
  const gap = Math.min(high, exMax ?? Infinity) - Math.max(low, exMin ?? -Infinity);
  const delta = step ?? (Number.isFinite(gap) ? Math.min(0.5, gap / 2) : 0.5);
  if (exMin !== undefined) low = Math.max(low, exMin + delta);
  if (exMax !== undefined) high = Math.min(high, exMax - delta);
  const fit = (v: number): number | undefined => {
    let x = Math.min(Math.max(v, low), high);
    if (step !== undefined) {
      x = Math.ceil(x / step) * step;
      if (x > high) x = Math.floor(high / step) * step;
      if (exMin !== undefined && x <= exMin) x += step;
    }
    if (integer && !Number.isInteger(x)) x = Math.ceil(x);
    return Number.isFinite(x) && x >= low && x <= high ? x : undefined;
  };
  const seen = new Set<number>();
  const start = Number.isFinite(low) ? low : Number.isFinite(high) ? Math.min(1, high) : 1;
  const seeds = [1, 0, 2, ...(integer ? [] : [1.5, 0.5]), -1, low];
  for (let k = 0; k < 1000; k++) {
    const v = fit(k < seeds.length ? seeds[k]! : start + (k - seeds.length + 1) * (step ?? 1));
    if (v === undefined || seen.has(v)) continue;
    seen.add(v);
    yield v;
  }
}

export function* strings(schema: Schema): Generator<string> {
  const min = num(schema.minLength);
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (typeof schema.pattern === 'string') {
    yield* patternStrings(schema.pattern, min, max);
    return;
  }
  const base = (typeof schema.format === 'string' && FORMATS[schema.format]) || SAMPLE_STRING;
  const fit = (s: string) => (s.length < min ? s.padEnd(min, 'x') : s.length > max ? s.slice(0, Math.max(0, max)) : s);
  yield fit(base);
  for (let n = 1; n < 1000; n++) yield fit(n === 1 ? '' : `${base}-${n}`.slice(-Math.max(min, `${base}-${n}`.length)));
}

/** Strings matching a pattern: randexp's minimal choice first, then seeded variants. */
export function* patternStrings(pattern: string, min: number, max: number): Generator<string> {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    try {
      regex = new RegExp(pattern);
    } catch {
      return;
    }
  }
  const fits = (s: string) => s.length >= min && s.length <= max && safeMatch(regex, s);
  const minimal = new RandExp(regex);
  minimal.max = Math.max(1, min);
  minimal.randInt = (a: number) => a;
  const seen = new Set<string>();
  const attempts = [(): string => minimal.gen()];
  const random = createRandom(0x5eed, pattern);
  for (let i = 0; i < 24; i++) {
    attempts.push(() => {
      const r = new RandExp(regex);
      r.max = Math.max(8, min + i);
      r.randInt = (a: number, b: number) => random.int(a, b);
      return r.gen();
    });
  }
  for (const attempt of attempts) {
    let generated: string;
    try {
      generated = attempt();
    } catch {
      continue;
    }
    // An unanchored pattern matches inside a longer string: try it alone and around the sample.
    for (const candidate of [generated, `probe${generated}`, `${SAMPLE_STRING}${generated}`, `${generated}${SAMPLE_STRING}`]) {
      if (candidate.length > BUDGET.stringLength || seen.has(candidate) || !fits(candidate)) continue;
      seen.add(candidate);
      yield candidate;
    }
  }
}

function safeMatch(regex: RegExp, text: string): boolean {
  try {
    return regex.test(text);
  } catch {
    return false;
  }
}

export function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}

export function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const item of items) {
    yield item;
    if (++i >= n) return;
  }
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
}
