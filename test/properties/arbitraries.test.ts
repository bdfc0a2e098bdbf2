// The generated inputs follow schemas/session-metadata.schema.json: valid values validate,
// near misses with an unusable id do not, hostile states cover the types STATE-4 names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validate } from '../../harness/validate.js';
import {
  hostileState,
  nearMissShapes,
  OPTIONAL_PROPERTIES,
  STRING_PROPERTIES,
  tamper,
  validSessionMetadata,
} from '../../suites/properties/arbitraries.js';

describe('arbitraries derived from the SessionMetadata schema', () => {
  it('reads the properties and their types from the schema', () => {
    expect(STRING_PROPERTIES).toEqual(expect.arrayContaining(['sessionId', 'state', 'expiresAt']));
    expect(OPTIONAL_PROPERTIES).toEqual(expect.arrayContaining(['state', 'expiresAt']));
    expect(OPTIONAL_PROPERTIES).not.toContain('sessionId');
  });

  it('generates only valid SessionMetadata with visible-ASCII ids', () => {
    fc.assert(
      fc.property(validSessionMetadata(), (meta) => {
        expect(validate('session-metadata', meta)).toEqual({ valid: true });
        expect(meta.sessionId).toMatch(/^[\x21-\x7e]+$/);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('makes near misses whose unusable ids the schema rejects (or that are empty)', () => {
    const shapes = nearMissShapes('sess-live');
    expect(shapes.length).toBeGreaterThanOrEqual(15);
    for (const shape of shapes.filter((s) => s.malformedId)) {
      const v = shape.value as any;
      const rejected = !validate('session-metadata', v).valid || v?.sessionId === '';
      expect(rejected, shape.label).toBe(true);
    }
    // A wrong-typed state or expiresAt keeps a usable id: only "one answer, no crash" is asked.
    const stateWrong = shapes.find((s) => s.label === 'state is a number')!;
    expect(stateWrong.malformedId).toBe(false);
    expect(validate('session-metadata', stateWrong.value).valid).toBe(false);
  });

  it('produces hostile states of every JSON type, a 64 KiB one included', () => {
    const labels = new Set(fc.sample(hostileState, { seed: 3, numRuns: 400 }).map((h) => typeof h.value));
    expect([...labels]).toEqual(expect.arrayContaining(['string', 'number', 'object', 'boolean']));
    const sizes = fc.sample(hostileState, { seed: 3, numRuns: 400 }).map((h) => (typeof h.value === 'string' ? h.value.length : 0));
    expect(Math.max(...sizes)).toBe(64 * 1024);
  });

  it('tampers a token by exactly one character', () => {
    const token = 'eyJjYWxsQ291bnQiOjN9';
    const changed = tamper(token, 5);
    expect(changed).toHaveLength(token.length);
    expect([...changed].filter((c, i) => c !== token[i])).toHaveLength(1);
  });
});
