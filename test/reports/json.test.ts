import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { formatJson, toJsonReport } from '../../reports/json.js';
import { check, everyStatusRun, run } from './factory.js';

const schemasDir = new URL('../../schemas/', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('report.schema.json', schemasDir), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function errorsOf(value: unknown): string {
  return validate(value) ? '' : ajv.errorsText(validate.errors);
}

const examples = new URL('examples/report/', schemasDir);
const jsonFiles = (dir: string) => readdirSync(new URL(dir, examples)).filter((f) => f.endsWith('.json'));

describe('the JSON report validates against schemas/report.schema.json', () => {
  test('the schema declares draft 2020-12 and its $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://mcp-session-conformance/schemas/report.schema.json');
    expect(JSON.stringify(schema)).not.toMatch(/prefixItems|unevaluatedProperties/);
  });

  test('a run holding every status is valid, with and without timings', () => {
    const r = everyStatusRun({
      stderrTail: ['boom'],
      fatal: { kind: 'internal', message: 'x' },
      expectedFailures: [{ id: 'SESS-ERR-1', reason: 'known', stillFails: true }],
    });
    expect(errorsOf(toJsonReport(r))).toBe('');
    expect(errorsOf(toJsonReport(r, { timings: true }))).toBe('');
    expect(errorsOf(JSON.parse(formatJson(r)))).toBe('');
  });

  test('an empty run is valid', () => {
    expect(errorsOf(toJsonReport(run([])))).toBe('');
  });

  test('the tool survey: null when it did not run, else every tool called and not called, valid', () => {
    expect(toJsonReport(run([])).toolSurvey).toBeNull();
    const toolSurvey = {
      only: null,
      called: 2,
      tools: [
        { name: 'whoami', destructive: false, role: 'session-only' as const, outcome: 'success' as const, echo: 'own-session' as const },
        { name: 'reset', destructive: true, role: null, outcome: 'exit' as const, echo: 'none' as const },
      ],
      notCalled: [{ name: 'huge', why: 'untestable: no arguments fit' }],
      notCalledCount: 1,
    };
    const report = toJsonReport({ ...run([]), toolSurvey });
    expect(report.toolSurvey).toEqual(toolSurvey);
    expect(errorsOf(report)).toBe('');
    expect(errorsOf({ ...report, toolSurvey: { ...toolSurvey, tools: [{ ...toolSurvey.tools[0], echo: 'maybe' }] } })).toMatch(/toolSurvey\/tools\/0\/echo/);
  });

  test.each(jsonFiles('valid/'))('valid example %s validates', (file) => {
    const doc = JSON.parse(readFileSync(new URL(`valid/${file}`, examples), 'utf8'));
    expect(errorsOf(doc)).toBe('');
  });

  const reasons: Record<string, { path: string; keyword: string }> = JSON.parse(
    readFileSync(new URL('invalid/reasons.json', examples), 'utf8'),
  );
  const invalid = jsonFiles('invalid/').filter((f) => f !== 'reasons.json');

  test('every invalid example has a reason and every reason an example', () => {
    expect(Object.keys(reasons).sort()).toEqual([...invalid].sort());
  });

  test.each(invalid)('invalid example %s fails at the pointer and keyword its reason names', (file) => {
    const doc = JSON.parse(readFileSync(new URL(`invalid/${file}`, examples), 'utf8'));
    expect(validate(doc)).toBe(false);
    // A missing property is pointed at where it should be, like the other schemas' reasons.json.
    const found = (validate.errors ?? []).map((e) => ({
      path: e.keyword === 'required' ? `${e.instancePath}/${e.params.missingProperty}` : e.instancePath,
      keyword: e.keyword,
    }));
    expect(found).toContainEqual(reasons[file]);
  });
});

describe('the JSON report content', () => {
  test('summary has a count for every status, zeros included, recomputed from the checks', () => {
    const r = run([check({ id: 'A-1', status: 'pass' }), check({ id: 'A-2', status: 'pass' })]);
    expect(toJsonReport(r).summary).toEqual({
      pass: 2,
      fail: 0,
      warn: 0,
      info: 0,
      skip: 0,
      untestable: 0,
      incomplete: 0,
      'harness-error': 0,
    });
  });

  test('checks are sorted by id in natural order and carry every field', () => {
    const report = toJsonReport(everyStatusRun());
    const ids = report.checks.map((c) => c.id);
    expect(ids.indexOf('SESS-CREATE-2')).toBeLessThan(ids.indexOf('SESS-CREATE-10'));
    expect(ids.indexOf('BASE-INIT-1')).toBe(0);
    const failed = report.checks.find((c) => c.id === 'SESS-ERR-1')!;
    expect(failed).toMatchObject({
      status: 'fail',
      level: 'MUST',
      section: 'errors',
      expected: 'error.code = -32043 with data.sessionId',
      actual: 'result.isError = true',
      rerun: expect.stringContaining('--only SESS-ERR-1'),
    });
    expect(failed.transcript).toHaveLength(2);
    const passed = report.checks.find((c) => c.id === 'BASE-INIT-1')!;
    expect(passed).toMatchObject({ expected: null, actual: null, fix: null, details: null, transcript: [] });
    expect(report.checks.find((c) => c.id === 'SESS-STATE-4')!.details).toEqual({
      seed: 12345,
      path: '3:1:0',
      replay: 'mcp-session-conformance --replay 3:1:0',
    });
  });

  test('without timings no wall-clock value appears; with timings wallMs and ms do', () => {
    const plain = toJsonReport(everyStatusRun());
    expect(plain.stats).toEqual({ targetStarts: 3, requestsSent: 120 });
    expect(plain.checks.every((c) => !('ms' in c))).toBe(true);
    expect(formatJson(everyStatusRun())).not.toMatch(/wallMs|"ms"|4321/);

    const timed = toJsonReport(everyStatusRun(), { timings: true });
    expect(timed.stats.wallMs).toBe(4321.5);
    expect(timed.checks.find((c) => c.id === 'SESS-ERR-1')!.ms).toBe(40);
    expect(timed.checks.find((c) => c.id === 'SESS-ID-2')!.ms).toBeNull();
  });

  test('two runs of the same target that differ only in wall times give byte-identical JSON', () => {
    const first = everyStatusRun();
    const second = everyStatusRun({ stats: { wallMs: 99999, targetStarts: 3, requestsSent: 120 } });
    second.checks = [...second.checks].reverse().map((c) => ({ ...c, ms: (c.ms ?? 0) + 1234 }));
    expect(formatJson(second)).toBe(formatJson(first));
    expect(formatJson(first)).toBe(formatJson(first));
    expect(formatJson(first).endsWith('}\n')).toBe(true);
  });

  test('top-level keys come in a fixed order', () => {
    expect(Object.keys(toJsonReport(everyStatusRun()))).toEqual([
      'tool',
      'target',
      'draft',
      'seed',
      'strict',
      'verdict',
      'stopped',
      'summary',
      'stats',
      'checks',
      'stderrTail',
      'fatal',
      'incidents',
      'discovery',
      'toolSurvey',
      'expectedFailures',
    ]);
  });
});
