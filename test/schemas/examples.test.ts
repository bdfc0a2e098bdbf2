// Every example under schemas/examples/ is judged by the validator exactly as its folder and
// reasons.json say: valid ones pass, invalid ones fail with the named keyword at the named path.
import { describe, expect, test } from 'vitest';
import { loadSchema, schemasFor, validate, type SchemaName } from '../../harness/validate.js';
import { exampleSchemas, examples, lastSegment, parentPointer, reasons } from './examples.js';

// ajv reports these keywords on the object that holds (or lacks) the named member.
const REPORTED_ON_PARENT = new Set(['required', 'additionalProperties']);

const wireSchemas = schemasFor('2026-03-13');

test('every wire schema has at least one valid and one invalid example', () => {
  for (const name of wireSchemas) {
    expect(examples(name, 'valid').length, `${name}: valid examples`).toBeGreaterThanOrEqual(1);
    expect(examples(name, 'invalid').length, `${name}: invalid examples`).toBeGreaterThanOrEqual(1);
  }
});

test('every examples folder belongs to a schema file', () => {
  for (const name of exampleSchemas()) expect(() => loadSchema(name), name).not.toThrow();
});

describe.each(exampleSchemas())('%s', (name) => {
  const schema = name as SchemaName;

  test.each(examples(name, 'valid').map((e) => [e.file, e] as const))('valid/%s validates', (_file, example) => {
    const result = validate(schema, example.value);
    expect(result.valid ? '' : result.text, `${name}/valid/${example.file}`).toBe('');
  });

  test('reasons.json names exactly the invalid example files', () => {
    const files = examples(name, 'invalid').map((e) => e.file);
    expect(Object.keys(reasons(name)).sort()).toEqual(files);
  });

  const why = reasons(name);
  test.each(examples(name, 'invalid').map((e) => [e.file, e] as const))(
    'invalid/%s fails for the reason reasons.json gives',
    (file, example) => {
      const reason = why[file];
      expect(reason, `reasons.json entry for ${file}`).toBeDefined();
      const result = validate(schema, example.value);
      expect(result.valid, `${name}/invalid/${file} must not validate`).toBe(false);
      if (result.valid) return;
      const accepted = REPORTED_ON_PARENT.has(reason.keyword)
        ? [reason.path, parentPointer(reason.path)]
        : [reason.path];
      const match = result.problems.find((p) => p.keyword === reason.keyword && accepted.includes(p.path));
      expect(match, `expected ${reason.keyword} at ${reason.path}; got:\n${result.text}`).toBeDefined();
      if (match && REPORTED_ON_PARENT.has(reason.keyword) && match.path !== reason.path) {
        // The message must name the member, since the path stops at its parent.
        expect(match.message).toContain(`'${lastSegment(reason.path)}'`);
      }
    },
  );
});
