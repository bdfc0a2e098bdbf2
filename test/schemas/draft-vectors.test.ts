// The eight test vectors of draft-sessions.md §2, copied verbatim, must be committed byte for byte
// as examples and validate both as their own schema and as a plain JSON-RPC message.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { validate, type SchemaName } from '../../harness/validate.js';
import { EXAMPLES_DIR } from './examples.js';

const VECTORS: { line: string; schema: SchemaName }[] = [
  { schema: 'sessions-create-request', line: '{"jsonrpc":"2.0","id":1,"method":"sessions/create"}' },
  {
    schema: 'sessions-create-response',
    line: '{"jsonrpc":"2.0","id":1,"result":{"session":{"sessionId":"sess-abc123","expiresAt":"2026-03-01T00:00:00Z","state":"eyJrIjoidiJ9"}}}',
  },
  {
    schema: 'session-request',
    line: '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"msg":"hi"},"_meta":{"io.modelcontextprotocol/session":{"sessionId":"sess-abc123","state":"eyJrIjoidiJ9"}}}}',
  },
  {
    schema: 'session-response',
    line: '{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"hi"}],"_meta":{"io.modelcontextprotocol/session":{"sessionId":"sess-abc123","state":"eyJrIjoidjIifQ==","expiresAt":"2026-03-01T00:00:00Z"}}}}',
  },
  {
    schema: 'session-request',
    line: '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{},"_meta":{"io.modelcontextprotocol/session":{"sessionId":"sess-invalid"}}}}',
  },
  {
    schema: 'error-session-not-found',
    line: '{"jsonrpc":"2.0","id":3,"error":{"code":-32043,"message":"Session not found","data":{"sessionId":"sess-invalid"}}}',
  },
  { schema: 'jsonrpc-request', line: '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{}}}' },
  { schema: 'error-session-required', line: '{"jsonrpc":"2.0","id":4,"error":{"code":-32044,"message":"Session required"}}' },
];

test.each(VECTORS.map((v, i) => [i + 1, v.schema, v.line] as const))(
  'draft vector %i is committed byte for byte as a %s example and as a jsonrpc-message example',
  (n, schema, line) => {
    for (const folder of [schema, 'jsonrpc-message']) {
      const file = new URL(`${folder}/valid/draft-vector-${n}.json`, EXAMPLES_DIR);
      expect(readFileSync(file, 'utf8'), `${folder}/valid/draft-vector-${n}.json`).toBe(`${line}\n`);
    }
  },
);

test.each(VECTORS.map((v, i) => [i + 1, v.schema, v.line] as const))(
  'draft vector %i validates as %s and as jsonrpc-message',
  (_n, schema, line) => {
    const value: unknown = JSON.parse(line);
    for (const name of [schema, 'jsonrpc-message'] as const) {
      const result = validate(name, value);
      expect(result.valid ? '' : result.text, name).toBe('');
    }
  },
);
