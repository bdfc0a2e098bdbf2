// The validator's API beyond the examples: profiles, readable messages, raw schemas.
import { expect, test } from 'vitest';
import { loadSchema, schemasFor, validate } from '../../harness/validate.js';
import { exampleSchemas, examples } from './examples.js';

test("schemasFor('2026-02-27') leaves out the -32044 schema that only the 2026-03-13 revision has", () => {
  const names = schemasFor('2026-02-27');
  expect(names).not.toContain('error-session-required');
  expect(names).toContain('error-session-not-found');
  expect(names).toContain('jsonrpc-message');
});

test("schemasFor('2026-03-13') includes error-session-required", () => {
  expect(schemasFor('2026-03-13')).toContain('error-session-required');
});

test('schemasFor never lists the report format, only wire schemas', () => {
  expect(schemasFor('2026-03-13')).not.toContain('report');
});

test('no problem message or text contains a ~1 escape, for any invalid example', () => {
  let checked = 0;
  for (const name of exampleSchemas()) {
    for (const example of examples(name, 'invalid')) {
      const result = validate(name as never, example.value);
      if (result.valid) continue;
      checked++;
      expect(result.text).not.toContain('~1');
      for (const p of result.problems) expect(p.message).not.toContain('~1');
    }
  }
  expect(checked).toBeGreaterThan(50);
});

test('text names the unescaped path of the bad value, one line per problem', () => {
  const result = validate('sessions-create-response', {
    jsonrpc: '2.0',
    id: 1,
    result: { session: { sessionId: 7 }, _meta: { 'io.modelcontextprotocol/session': { sessionId: false } } },
  });
  expect(result.valid).toBe(false);
  if (result.valid) return;
  expect(result.text.split('\n').sort()).toEqual([
    'at /result/_meta/io.modelcontextprotocol/session/sessionId: must be string',
    'at /result/session/sessionId: must be string',
  ]);
  // The machine-readable path stays a real JSON pointer.
  expect(result.problems.map((p) => p.path)).toContain('/result/_meta/io.modelcontextprotocol~1session/sessionId');
});

test('the root is shown as (root)', () => {
  const result = validate('session-metadata', 'sess-abc123');
  expect(result).toEqual({
    valid: false,
    problems: [{ path: '', keyword: 'type', message: 'must be object' }],
    text: 'at (root): must be object',
  });
});

test('a bad jsonrpc-message reports only the branch its shape announces, not every oneOf branch', () => {
  const result = validate('jsonrpc-message', { jsonrpc: '2.0', id: 1, error: { code: '-32043', message: 'x' } });
  expect(result.valid).toBe(false);
  if (result.valid) return;
  expect(result.problems).toHaveLength(1);
  expect(result.text).toBe('at /error/code: must be integer (as a JSON-RPC error)');
});

test('a request whose params._meta carries the session key with a numeric sessionId names the full path', () => {
  const result = validate('session-request', {
    jsonrpc: '2.0',
    id: 'x-1',
    method: 'tools/call',
    params: { name: 'echo', _meta: { 'io.modelcontextprotocol/session': { sessionId: 1 } } },
  });
  expect(result.valid ? '' : result.text).toBe('at /params/_meta/io.modelcontextprotocol/session/sessionId: must be string');
});

test('sessions/create carrying session metadata is reported at the forbidden key', () => {
  const result = validate('sessions-create-request', {
    jsonrpc: '2.0',
    id: 1,
    method: 'sessions/create',
    params: { _meta: { 'io.modelcontextprotocol/session': { sessionId: 'mine' } } },
  });
  expect(result.valid ? '' : result.text).toBe('at /params/_meta/io.modelcontextprotocol/session: must NOT be present');
});

test('loadSchema returns the raw schema with its $id, and a copy callers may change', () => {
  const schema = loadSchema('session-metadata') as { $id: string; required: string[] };
  expect(schema.$id).toBe('https://mcp-session-conformance/schemas/session-metadata.schema.json');
  expect(schema.required).toEqual(['sessionId']);
  schema.required.push('state');
  expect((loadSchema('session-metadata') as { required: string[] }).required).toEqual(['sessionId']);
});

test('every wire schema has a $id under the suite base, a title and a description', () => {
  for (const name of schemasFor('2026-03-13')) {
    const schema = loadSchema(name) as Record<string, unknown>;
    expect(schema.$id, name).toBe(`https://mcp-session-conformance/schemas/${name}.schema.json`);
    expect(typeof schema.title, name).toBe('string');
    expect(typeof schema.description, name).toBe('string');
    expect(schema.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
  }
});

test('no wire schema uses prefixItems or unevaluatedProperties (json-schema-to-typescript mis-types them)', () => {
  for (const name of schemasFor('2026-03-13')) {
    const text = JSON.stringify(loadSchema(name));
    expect(text, name).not.toContain('"prefixItems"');
    expect(text, name).not.toContain('"unevaluatedProperties"');
  }
});

test('validating an unknown schema name throws a clear error', () => {
  expect(() => validate('no-such-schema' as never, {})).toThrow(/unknown schema no-such-schema/);
});
