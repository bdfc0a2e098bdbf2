// Tool discovery on targets nobody described to us: what it calls, what it picks, and what
// the checks say when there is nothing to pick.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { synthesizeArguments, synthesizeToolArguments } from '../../harness/arguments.js';
import { SCHEMAS } from '../fixtures/discovery/rich-schemas.mjs';
import { ROOT, runCli } from '../conformance/run-cli.js';

const server = (toolset: string) => `TOOLSET=${toolset} "${process.execPath}" "${join(ROOT, 'test/fixtures/discovery/tools-server.mjs')}"`;

function transcriptOf(transcriptDir: string): { dir: string; text: string; check?: string }[] {
  const file = readFileSync(join(transcriptDir, 'transcript.jsonl'), 'utf8');
  return file
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** The tool calls the target logged (on stderr), of one check when `check` is given. */
function toolCalls(transcriptDir: string, check?: string): string[] {
  return transcriptOf(transcriptDir)
    .filter((e) => e.dir === 'stderr' && e.text.startsWith('CALLED ') && (check === undefined || e.check === check))
    .map((e) => e.text);
}

/** A transcript line's JSON; undefined for a line the transcript clipped (8 KiB). */
function parsed(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The tools/call requests the suite sent: which check, which tool, in which session. (Calls
 * whose line was clipped are left out; the test compares the count with the fixture's log.)
 */
function sentToolCalls(transcriptDir: string): { check: string; name: string; session?: string }[] {
  return readFileSync(join(transcriptDir, 'transcript.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.dir === 'out' && e.text.includes('"tools/call"'))
    .map((e) => ({ check: e.check, message: parsed(e.text) }))
    .filter((e) => e.message?.method === 'tools/call')
    .map((e) => ({ check: e.check, name: e.message.params.name, session: e.message.params._meta?.['io.modelcontextprotocol/session']?.sessionId }));
}

describe('argument synthesis', () => {
  test('fills required properties within their bounds, enums and nested objects; leaves optional ones out', () => {
    const args = synthesizeArguments({
      type: 'object',
      required: ['amount', 'mode', 'target', 'ratio', 'tags'],
      properties: {
        amount: { type: 'integer', minimum: 3, maximum: 5 },
        mode: { enum: ['slow', 'fast'] },
        target: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 20 } } },
        ratio: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
        tags: { type: 'array', minItems: 2, items: { type: 'string', format: 'email' } },
        optional: { type: 'string' },
      },
    });
    expect(args).toEqual({ amount: 3, mode: 'slow', target: { name: expect.stringMatching(/^.{20,}$/) }, ratio: 0.5, tags: ['probe@example.com', 'probe@example.com'] });
  });

  test('resolves local $refs and picks the non-null branch of anyOf', () => {
    const args = synthesizeArguments({
      type: 'object',
      required: ['a', 'b'],
      properties: { a: { $ref: '#/$defs/count' }, b: { anyOf: [{ type: 'null' }, { type: 'boolean' }] } },
      $defs: { count: { type: 'integer', minimum: 7 } },
    });
    expect(args).toEqual({ a: 7, b: true });
  });
});

/** The fixture's tools, validated the way the fixture server validates them. */
function validatorFor(schema: Record<string, any>): ValidateFunction {
  const ajv = /draft-07/.test(schema.$schema ?? '') ? new Ajv({ strict: false }) : new Ajv2020({ strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('argument synthesis against rich schemas and budgets', () => {
  test.each(Object.entries(SCHEMAS))('%s: valid, deterministic arguments', (_name, schema) => {
    const first = synthesizeToolArguments(schema);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const validate = validatorFor(schema as Record<string, any>);
    expect(validate(first.ok && first.args), JSON.stringify(validate.errors)).toBe(true);
    expect(synthesizeToolArguments(structuredClone(schema))).toEqual(first);
  });

  // Tools' schemas are compiled on one ajv instance per dialect (issue 15), so nothing of one
  // tool's schema may leak into another's: ajv keeps a nested $id to the schema that declares it
  // (the root $id is dropped before compiling), and a schema the shared instance refuses is
  // compiled on one of its own. Here the second tool would get a string if the first one's
  // definition of the same $id had stuck.
  test('two tools declaring the same nested $id differently each get arguments valid for their own schema', () => {
    const tool = (type: 'string' | 'integer') => ({
      type: 'object',
      required: ['item'],
      properties: { item: { $ref: 'urn:msc-test:item' } },
      $defs: { item: { $id: 'urn:msc-test:item', type } },
    });
    for (const [schema, want] of [[tool('string'), 'string'], [tool('integer'), 'number'], [tool('string'), 'string']] as const) {
      const found = synthesizeToolArguments(schema);
      expect(found.ok, JSON.stringify(found)).toBe(true);
      expect(typeof (found.ok && found.args.item)).toBe(want);
      expect(validatorFor(schema)(found.ok && found.args)).toBe(true);
    }
  });

  test('the smallest value is the aim: required properties only, distinct minimal items, the first fitting branch', () => {
    const pick = (schema: unknown) => {
      const found = synthesizeToolArguments(schema);
      if (!found.ok) throw new Error(found.why);
      return found.args;
    };
    expect(pick(SCHEMAS.unique_numbers)).toEqual({ ids: [1, 2, 3] });
    expect(pick(SCHEMAS.prefix_items)).toEqual({ pair: ['left', 5] });
    expect(pick(SCHEMAS.pattern_code)).toEqual({ code: 'AAA-0000' });
    expect(pick(SCHEMAS.one_of_numbers)).toEqual({ n: 1.5 });
    expect(Object.keys(pick(SCHEMAS.min_properties))).toHaveLength(1);
    expect(Object.keys(pick(SCHEMAS.dependent_required)).sort()).toEqual(['billing', 'card']);
  });

  test.each([
    ['a billion characters', { type: 'object', required: ['s'], properties: { s: { type: 'string', minLength: 1e9 } } }, /minLength 1000000000/],
    ['a hundred million items', { type: 'object', required: ['a'], properties: { a: { type: 'array', minItems: 1e8 } } }, /minItems 100000000/],
    ['a million properties', { type: 'object', minProperties: 1e6 }, /minProperties 1000000/],
    ['arrays of arrays of long strings', { type: 'object', required: ['a'], properties: { a: { type: 'array', minItems: 250, items: { type: 'array', minItems: 250, items: { type: 'string', minLength: 4000 } } } } }, /budget/],
    ['a required self-reference', { type: 'object', required: ['next'], properties: { next: { $ref: '#' } } }, /nested deeper/],
    ['a pattern repeated a million times', { type: 'object', required: ['p'], properties: { p: { type: 'string', pattern: '^(a{1000}){1000}$' } } }, /pattern/],
    ['an invalid regex', { type: 'object', required: ['p'], properties: { p: { type: 'string', pattern: '([' } } }, /ajv cannot compile/],
    ['no value at all', { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 5, maximum: 4 } } }, /could not build/],
    ['not a schema', 'a string', /not a JSON Schema object/],
  ])('%s: untestable with the reason, within a second', (_what, schema, why) => {
    const started = performance.now();
    const found = synthesizeToolArguments(schema);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(found.ok).toBe(false);
    expect(!found.ok && found.why).toMatch(why);
  });
});

describe.concurrent('discovery against a generic server', () => {
  test('prefers harmless tools; discovery calls a destructive one once only, by the tool survey, after all others (D21); later only SESS-ISO-1 calls it, last in its session (D16)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msc-discovery-'));
    const run = await runCli(['--server', server('mixed'), '-q', '--seed', '2', '--transcripts', dir]);
    const calls = sentToolCalls(dir);
    const names = calls.filter((c) => c.check === 'discovery').map((c) => c.name);
    expect(names).toContain('get_status');
    expect(names.filter((n) => n === 'delete_everything')).toHaveLength(1);
    // Besides the survey, only SESS-ISO-1 calls it: D16 calls tools that end or empty something
    // last in its own sessions A and B (suites/properties/noninterference.ts).
    const elsewhere = transcriptOf(dir).filter((e) => e.dir === 'stderr' && e.text.startsWith('CALLED delete_everything') && e.check !== 'discovery');
    expect(new Set(elsewhere.map((e) => e.check))).toEqual(new Set(elsewhere.length > 0 ? ['SESS-ISO-1'] : []));
    const destructiveAt = names.indexOf('delete_everything');
    for (const other of ['get_status', 'public_info', 'adjust']) expect(names.indexOf(other)).toBeLessThan(destructiveAt);
    // After discovery, only the noninterference check calls it: as the last call of a session.
    const later = calls.filter((c) => c.check !== 'discovery' && c.name === 'delete_everything');
    expect(new Set(later.map((c) => c.check))).toEqual(new Set(['SESS-ISO-1']));
    for (const call of later) expect(calls.filter((c) => c.session === call.session).at(-1)).toBe(call);
    // The fixture logs each call it receives: no call the transcript does not show.
    expect(toolCalls(dir).filter((c) => c.startsWith('CALLED delete_everything ')).length).toBe(1 + later.length);
    expect(run.json.checks.find((c: any) => c.id === 'SESS-REQ-1').status).toBe('pass');
  });

  test('--tool with --tool-args drives sessions through the named tool', async () => {
    const args = JSON.stringify({ amount: 4, mode: 'fast', target: { name: 'x'.repeat(25) } });
    const dir = mkdtempSync(join(tmpdir(), 'msc-discovery-'));
    const run = await runCli(['--server', server('mixed'), '-q', '--tool', 'adjust', '--tool-args', args, '--transcripts', dir]);
    expect(run.json.checks.find((c: any) => c.id === 'SESS-ERR-1').status).toBe('pass');
    const calls = toolCalls(dir);
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.every((c) => c.startsWith('CALLED adjust '))).toBe(true);
    expect(calls).toContain(`CALLED adjust ${args}`);
  });

  test('a server with only public tools: session-tool checks are untestable and say why; the rest is judged', async () => {
    const run = await runCli(['--server', server('public-only'), '-q']);
    const req = run.json.checks.find((c: any) => c.id === 'SESS-REQ-1');
    expect(req.status).toBe('untestable');
    expect(req.message).toMatch(/no session-only tool/);
    expect(req.message).toMatch(/--tool/);
    const create = run.json.checks.find((c: any) => c.id === 'SESS-CREATE-1');
    expect(create.status).toBe('pass');
    const probeUsing = run.json.checks.find((c: any) => c.id === 'SESS-USE-1');
    expect(probeUsing.status).toBe('pass'); // the public tool carries the session
    expect(run.code).toBe(1);
  });

  test('a server with no tools: every check that needs a tool is untestable with the reason', async () => {
    const run = await runCli(['--server', server('none'), '-q']);
    const untestable = run.json.checks.filter((c: any) => c.status === 'untestable');
    expect(untestable.map((c: any) => c.id)).toEqual(expect.arrayContaining(['SESS-ERR-1', 'SESS-REQ-1', 'SESS-USE-1']));
    for (const c of untestable) expect(c.message).toMatch(/no tools|lists no tools|no session-only tool|no tool works/);
    expect(run.json.checks.find((c: any) => c.id === 'SESS-CREATE-1').status).toBe('pass');
    expect(run.json.checks.some((c: any) => c.status === 'harness-error')).toBe(false);
  });
});
