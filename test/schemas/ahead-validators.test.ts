// The wire validators compiled ahead at build (scripts/gen-validators.mjs → dist/harness/
// wire-validators.cjs, issue 15) judge exactly like the ones ajv compiles at run time, the
// built CLI uses them, and a build whose schemas changed since falls back to compiling.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AJV_OPTIONS, fingerprint, PROFILES_KEYWORD, WIRE_SCHEMAS } from '../../harness/validate-options.js';
import { ROOT } from '../conformance/run-cli.js';
import { exampleSchemas, examples } from './examples.js';

const require = createRequire(import.meta.url);
const GENERATED = join(ROOT, 'dist/harness/wire-validators.cjs');
const SCHEMAS = join(ROOT, 'schemas');

function schemaTexts(dir = SCHEMAS): Map<string, string> {
  const texts = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.schema.json')) texts.set(f.slice(0, -'.schema.json'.length), readFileSync(join(dir, f), 'utf8'));
  return texts;
}

function runtimeValidators(): Record<string, (v: unknown) => boolean> & Record<string, any> {
  const ajv = new Ajv2020({ ...AJV_OPTIONS });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: PROFILES_KEYWORD, schemaType: 'array' });
  const texts = schemaTexts();
  for (const t of texts.values()) ajv.addSchema(JSON.parse(t));
  return Object.fromEntries(WIRE_SCHEMAS.map((name) => [name, ajv.getSchema(JSON.parse(texts.get(name)!).$id)!]));
}

const errorsOf = (fn: any) => (fn.errors ?? []).map((e: any) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, message: e.message }));

describe('wire validators compiled ahead', () => {
  const ahead = require(GENERATED);

  test('the build generated them from the schemas on disk', () => {
    expect(ahead.fingerprint).toBe(fingerprint(schemaTexts()));
    for (const name of WIRE_SCHEMAS) expect(typeof ahead[name], name).toBe('function');
  });

  test('they give the same verdict and the same errors as a run-time compile, on every example', () => {
    const runtime = runtimeValidators();
    let compared = 0;
    for (const folder of exampleSchemas()) {
      for (const kind of ['valid', 'invalid'] as const) {
        for (const ex of examples(folder, kind)) {
          // Every example against every wire schema: most are invalid against most schemas, which
          // compares the error lists too.
          for (const name of WIRE_SCHEMAS) {
            const a = ahead[name](ex.value);
            const r = runtime[name]!(ex.value);
            expect(a, `${folder}/${kind}/${ex.file} as ${name}`).toBe(r);
            expect(errorsOf(ahead[name]), `${folder}/${kind}/${ex.file} as ${name}`).toEqual(errorsOf(runtime[name]));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(WIRE_SCHEMAS.length * 20);
  });

  test('the built harness uses them; with a changed schema it compiles at run time instead', async () => {
    const built = await import(pathToFileURL(join(ROOT, 'dist/harness/validate.js')).href);
    expect(built.validate('jsonrpc-message', { jsonrpc: '2.0', id: 1, result: {} }).valid).toBe(true);
    expect(built.wireValidatorsSource).toBe('ahead');

    // A copy of the built harness beside a schema that no longer matches the generated code:
    // the fingerprint differs, so the changed schema is what judges.
    const dir = mkdtempSync(join(tmpdir(), 'msc-ahead-'));
    mkdirSync(join(dir, 'dist'));
    cpSync(join(ROOT, 'dist/harness'), join(dir, 'dist/harness'), { recursive: true });
    cpSync(SCHEMAS, join(dir, 'schemas'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const file = join(dir, 'schemas/sessions-delete-response.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    // The delete result may no longer be {}.
    schema.allOf[1].properties.result = { ...schema.allOf[1].properties.result, minProperties: 1 };
    writeFileSync(file, JSON.stringify(schema));
    const copy = await import(pathToFileURL(join(dir, 'dist/harness/validate.js')).href);
    const answer = { jsonrpc: '2.0', id: 1, result: {} };
    expect(built.validate('sessions-delete-response', answer).valid).toBe(true);
    expect(copy.validate('sessions-delete-response', answer).valid).toBe(false);
    expect(copy.wireValidatorsSource).toBe('runtime');
  });
});
