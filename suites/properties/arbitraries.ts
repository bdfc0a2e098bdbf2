// Inputs for the property runs, derived from schemas/session-metadata.schema.json: which
// properties SessionMetadata has and of what type, so valid values and near misses follow the
// schema when it changes (a new optional property gets generated without touching this file).
import fc from 'fast-check';
import { loadSchema } from '../../harness/validate.js';
import { clip } from '../../harness/values.js';
export { clip };

interface PropertySchema {
  type?: string | string[];
}
interface ObjectSchema {
  required?: string[];
  properties?: Record<string, PropertySchema>;
}

const schema = loadSchema('session-metadata') as ObjectSchema;
const properties: Record<string, PropertySchema> = schema.properties ?? {};
const required = new Set(schema.required ?? []);

/** The properties of SessionMetadata whose schema type is `string` (sessionId, expiresAt, state). */
export const STRING_PROPERTIES = Object.keys(properties).filter((name) => properties[name]!.type === 'string');
/** The optional properties (a valid value may leave them out). */
export const OPTIONAL_PROPERTIES = Object.keys(properties).filter((name) => !required.has(name));

/** Visible ASCII 0x21–0x7E, the only characters a session id may hold. */
const visibleAscii = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));

/** An id the server cannot have issued (the prefix makes it readable in transcripts). */
export const unknownSessionId: fc.Arbitrary<string> = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 })
  .map((hex) => `conformance-unknown-${hex}`);

/** RFC 3339 date-times around now (expiresAt values a client might carry back). */
const dateTime = fc
  .integer({ min: -86_400, max: 86_400 * 30 })
  .map((seconds) => new Date(Date.UTC(2026, 2, 1) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** A string value that fits the property's role: ids visible ASCII, expiresAt a date-time, state anything. */
function stringFor(name: string): fc.Arbitrary<string> {
  if (name === 'sessionId') return unknownSessionId;
  if (name === 'expiresAt') return dateTime;
  return fc.string({ unit: visibleAscii, maxLength: 40 });
}

/**
 * Valid SessionMetadata (per the schema) naming `sessionId`: the optional string properties
 * present or not, plus at most one extra key (the schema allows extra fields).
 */
export function validSessionMetadata(sessionId: fc.Arbitrary<string> = unknownSessionId): fc.Arbitrary<Record<string, unknown>> {
  const optional = Object.fromEntries(
    STRING_PROPERTIES.filter((n) => n !== 'sessionId' && OPTIONAL_PROPERTIES.includes(n)).map((n) => [n, stringFor(n)]),
  );
  return fc
    .tuple(sessionId, fc.record(optional, { requiredKeys: [] }), fc.option(fc.constantFrom('x-extra', 'vendor/hint'), { nil: undefined }))
    .map(([id, rest, extra]) => ({ sessionId: id, ...rest, ...(extra ? { [extra]: 'conformance' } : {}) }));
}

/** Values of every JSON type but `string`, to put where the schema says string. */
const wrongTypeValues: { label: string; value: unknown }[] = [
  { label: 'a number', value: 42 },
  { label: 'null', value: null },
  { label: 'an object', value: { nested: 'x' } },
  { label: 'an array', value: ['x'] },
  { label: 'a boolean', value: true },
];

export interface NearMiss {
  /** What is wrong, for the step name and messages. */
  label: string;
  /** The value to put under the `_meta` key. */
  value: unknown;
  /**
   * The sessionId part is unusable (missing, not a string, empty, or the metadata is not an
   * object): SESS-ERR-4's shapes, which must get a JSON-RPC error. Otherwise only another
   * property has the wrong type, and only "one response, no crash" is required.
   */
  malformedId: boolean;
}

/**
 * Near-miss invalid SessionMetadata around a live id: each required property missing, each
 * string property of a wrong type, an empty sessionId, and metadata that is not an object.
 */
/**
 * Session metadata wrong in exactly one way. `state` (the newest token the server issued, if
 * any) rides along in every shape that is not about state, so a server that needs its state
 * back is not tripped by its absence (SESS-STATE-2's business) instead of the defect probed.
 */
export function nearMissShapes(sessionId: string, state?: string): NearMiss[] {
  const valid: Record<string, unknown> = state === undefined ? { sessionId } : { sessionId, state };
  const shapes: NearMiss[] = [];
  for (const name of required) {
    shapes.push({ label: `${name} missing`, value: { ...withoutKey(valid, name) }, malformedId: name === 'sessionId' });
  }
  for (const name of STRING_PROPERTIES) {
    for (const wrong of wrongTypeValues) {
      shapes.push({ label: `${name} is ${wrong.label}`, value: { ...valid, [name]: wrong.value }, malformedId: name === 'sessionId' });
    }
  }
  shapes.push({ label: 'sessionId is an empty string', value: { ...valid, sessionId: '' }, malformedId: true });
  shapes.push({ label: 'metadata is the id as a bare string', value: sessionId, malformedId: true });
  shapes.push({ label: 'metadata is an array', value: [valid], malformedId: true });
  shapes.push({ label: 'metadata is null', value: null, malformedId: true });
  return shapes;
}

function withoutKey(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** An index into the near-miss shapes (which list depends on the live id, known only at run time). */
export const nearMissIndex = fc.nat({ max: 1000 });

export interface HostileState {
  label: string;
  value: unknown;
}

const fixedHostile: HostileState[] = [
  { label: 'an empty string', value: '' },
  { label: 'a 64 KiB string', value: 'A'.repeat(64 * 1024) },
  { label: 'non-base64 text', value: '!!tampered!!%%' },
  { label: 'control characters', value: '\u0000\u0001\u0007\u001b[2J\u007f\n\r\t' },
  { label: 'non-BMP characters', value: '\u{1F600}\u{1D11E}\u{10FFFF}' },
  { label: 'a lone surrogate', value: '\ud800x' },
  { label: 'JSON text', value: '{"callCount":999999999,"notes":["forged"]}' },
  { label: 'a number', value: 12345 },
  { label: 'an object', value: { forged: true } },
  { label: 'an array', value: ['forged'] },
  { label: 'null', value: null },
  { label: 'a boolean', value: false },
];

/**
 * Any code point but the surrogates, controls included. (fast-check's built-in 'binary' unit
 * would do the same but costs ~400 ms to construct, at every start of the CLI.) Unpaired
 * surrogates are the fixed case 'a lone surrogate': a parser may drop such a line unanswered
 * (D20), which costs a whole request timeout each time, so random strings leave them out.
 */
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

/** Hostile `state` values (SESS-STATE-4): fixed edge cases, random strings and random JSON. */
export const hostileState: fc.Arbitrary<HostileState> = fc.oneof(
  { arbitrary: fc.constantFrom(...fixedHostile), weight: 4 },
  { arbitrary: fc.string({ unit: anyCodePoint, maxLength: 64 }).map((s) => ({ label: `the random string ${JSON.stringify(s)}`, value: s })), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => ({ label: `the random JSON value ${clip(JSON.stringify(v) ?? 'null', 60)}`, value: v })), weight: 1 },
);

/** A one-character change to a state token (the position wraps around the token's length). */
export function tamper(state: string, position: number): string {
  if (state.length === 0) return 'A';
  const at = position % state.length;
  const c = state[at]!;
  const replacement = c === 'A' ? 'B' : 'A';
  return state.slice(0, at) + replacement + state.slice(at + 1);
}

