// A run that was cut short, or holds a check that was not fully judged, reads `incomplete` in
// every report and never counts that check as passed (D17); an unexplained target death is a
// run incident in every report (a warning that fails under strict).
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatConsoleReport, formatMatrix, summaryLine } from '../../reports/console.js';
import { toJsonReport } from '../../reports/json.js';
import { toJUnit } from '../../reports/junit.js';
import { toMarkdown } from '../../reports/markdown.js';
import { sectionCell } from '../../reports/matrix.js';
import type { Incident } from '../../runner/types.js';
import { check, run } from './factory.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n) });

const STOP = 'the run exceeded its --run-timeout of 60000 ms';
const cutRun = () =>
  run(
    [
      check({ id: 'SESS-CREATE-1', status: 'pass' }),
      check({ id: 'SESS-ERR-1', section: 'errors', status: 'fail', message: 'no -32043' }),
      check({ id: 'SESS-STATE-4', section: 'state', status: 'incomplete', message: `not judged: ${STOP}` }),
    ],
    { verdict: 'incomplete', stopped: STOP },
  );

const incident: Incident = {
  kind: 'target-died',
  level: 'SHOULD',
  message: 'target process 2 exited with code 3 while SESS-USE-1 ran on it; …',
  checks: ['SESS-USE-1'],
  exit: { code: 3, signal: null },
  stderrTail: ['crashing on request 7'],
};

describe('an incomplete run in every report', () => {
  test('console: the incomplete check is explained, the summary says why, the last line reads INCOMPLETE', () => {
    const out = formatConsoleReport(cutRun(), { color: false });
    expect(out).toMatch(/… incomplete\s+SESS-STATE-4/);
    expect(out).toContain(`incomplete: ${STOP}`);
    expect(out).toContain('verdict: INCOMPLETE');
    expect(summaryLine(cutRun())).toBe('INCOMPLETE: 1 failed, 1 incomplete, 1 passed (seed 12345)');
    expect(out).not.toMatch(/conformant/i);
  });

  test('JSON: verdict incomplete, stopped says why, summary counts it, and the report validates', () => {
    const report = toJsonReport(cutRun());
    expect(report.verdict).toBe('incomplete');
    expect(report.stopped).toBe(STOP);
    expect(report.summary.incomplete).toBe(1);
    expect(report.summary.pass).toBe(1);
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
  });

  test('JUnit: an incomplete check is a failure, never a passed case', () => {
    const xml = toJUnit(cutRun());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const cases = doc.testsuites.testsuite.flatMap((s: any) => s.testcase);
    const cut = cases.find((c: any) => String(c['@_name']).startsWith('SESS-STATE-4 '));
    expect(cut.failure['@_type']).toBe('incomplete');
    expect(doc.testsuites['@_failures']).toBe('2');
  });

  test('Markdown: the heading says INCOMPLETE with its own icon, and why the run stopped', () => {
    const md = toMarkdown(cutRun());
    expect(md.split('\n')[0]).toBe('## ⏸️ mcp-session-conformance: INCOMPLETE');
    expect(md).toContain('1 failed, 1 incomplete, 1 passed');
    expect(md).toContain('**Incomplete:**');
    expect(md).toMatch(/\| SESS-STATE-4 \| MUST \| incomplete \|/);
  });

  test('matrix: a section with an unjudged check is incomplete, the verdict INCOMPLETE', () => {
    expect(sectionCell([check({ id: 'A-1', status: 'pass' }), check({ id: 'A-2', status: 'incomplete' })])).toBe('incomplete');
    expect(sectionCell([check({ id: 'A-1', status: 'fail' }), check({ id: 'A-2', status: 'incomplete' })])).toBe('fail');
    const m = formatMatrix([{ server: 'x', run: cutRun() }], { color: false });
    expect(m).toContain('INCOMPLETE');
    expect(m).toContain('1 incomplete');
  });
});

describe('a run incident in every report', () => {
  const withIncident = (strict = false) => run([check({ id: 'SESS-USE-1', status: 'pass' })], { incidents: [incident], strict });

  test('console lists it with exit and stderr, and counts it on the last line', () => {
    const out = formatConsoleReport(withIncident(), { color: false });
    expect(out).toContain('! incident (target-died): target process 2 exited with code 3');
    expect(out).toContain('crashing on request 7');
    expect(summaryLine(withIncident())).toBe('conformant: 1 passed, 1 incident (seed 12345)');
  });

  test('JSON carries it and validates', () => {
    const report = toJsonReport(withIncident());
    expect(report.incidents).toEqual([incident]);
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
  });

  test('JUnit: a testcase of its own, passing with a warning, a failure under strict', () => {
    const doc = parser.parse(toJUnit(withIncident()));
    const suite = doc.testsuites.testsuite.find((s: any) => s['@_name'] === 'run-incidents');
    expect(suite.testcase).toHaveLength(1);
    expect(suite.testcase[0]['system-err']).toContain('crashing on request 7');
    expect(suite.testcase[0].failure).toBeUndefined();
    expect(doc.testsuites['@_tests']).toBe('2');
    const strict = parser.parse(toJUnit(withIncident(true)));
    const strictSuite = strict.testsuites.testsuite.find((s: any) => s['@_name'] === 'run-incidents');
    expect(strictSuite.testcase[0].failure['@_type']).toBe('incident');
    expect(strict.testsuites['@_failures']).toBe('1');
  });

  test('Markdown has a run incidents section', () => {
    const md = toMarkdown(withIncident());
    expect(md).toContain('### Run incidents');
    expect(md).toContain('crashing on request 7');
  });
});
