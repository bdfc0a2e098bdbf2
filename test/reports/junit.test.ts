import { describe, expect, test } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { toJsonReport } from '../../reports/json.js';
import { toJUnit } from '../../reports/junit.js';
import { check, everyStatusRun, run } from './factory.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

interface Parsed {
  testsuites: Record<string, any> & { testsuite: any[] };
}

function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Parsed;
}

function cases(doc: Parsed): any[] {
  return doc.testsuites.testsuite.flatMap((s) => s.testcase);
}

function caseNamed(doc: Parsed, id: string): any {
  return cases(doc).find((c) => String(c['@_name']).startsWith(`${id} `));
}

describe('JUnit XML', () => {
  test('counts of failures, errors and skipped equal the JSON summary (untestable counts as a failure)', () => {
    const r = everyStatusRun();
    const summary = toJsonReport(r).summary;
    const root = parse(toJUnit(r)).testsuites;
    expect(Number(root['@_tests'])).toBe(r.checks.length);
    expect(Number(root['@_failures'])).toBe(summary.fail + summary.untestable);
    expect(Number(root['@_errors'])).toBe(summary['harness-error']);
    expect(Number(root['@_skipped'])).toBe(summary.skip);
  });

  test('each suite counts exactly the cases it holds, and the cases carry the matching elements', () => {
    const doc = parse(toJUnit(everyStatusRun()));
    for (const suite of doc.testsuites.testsuite) {
      const tc: any[] = suite.testcase;
      expect(Number(suite['@_tests'])).toBe(tc.length);
      expect(Number(suite['@_failures'])).toBe(tc.filter((c) => 'failure' in c).length);
      expect(Number(suite['@_errors'])).toBe(tc.filter((c) => 'error' in c).length);
      expect(Number(suite['@_skipped'])).toBe(tc.filter((c) => 'skipped' in c).length);
      for (const c of tc) expect(c['@_classname']).toBe(`mcp-session-conformance.${suite['@_name']}`);
    }
  });

  test('one suite per section in report order, unknown sections last alphabetically', () => {
    const doc = parse(toJUnit(everyStatusRun()));
    expect(doc.testsuites.testsuite.map((s) => s['@_name'])).toEqual([
      'create',
      'ids',
      'use',
      'state',
      'errors',
      'required',
      'isolation',
      'base',
      'alpha',
      'zeta',
    ]);
  });

  test('statuses map to failure / error / skipped / passing-with-property', () => {
    const doc = parse(toJUnit(everyStatusRun()));
    const fail = caseNamed(doc, 'SESS-ERR-1');
    expect(fail.failure['@_type']).toBe('fail');
    expect(fail.failure['#text']).toContain('Expected: error.code = -32043 with data.sessionId');
    expect(fail.failure['#text']).toContain('Rerun: mcp-session-conformance');
    expect(fail.failure['#text']).toContain('>>> {"jsonrpc":"2.0","id":"h-7"');
    expect(caseNamed(doc, 'SESS-REQ-1').failure['@_type']).toBe('untestable');
    expect(caseNamed(doc, 'SESS-STATE-4').error['@_message']).toBe('the harness sent a message that fails its own schema');
    expect(caseNamed(doc, 'SESS-ISO-1').skipped['@_message']).toBe('the target matches no known profile');
    const warn = caseNamed(doc, 'SESS-ID-2');
    expect(warn.failure).toBeUndefined();
    expect(warn.properties.property[0]).toMatchObject({ '@_name': 'warning', '@_value': 'ids look sequential' });
    const info = caseNamed(doc, 'SESS-USE-3');
    expect(info.properties.property[0]).toMatchObject({ '@_name': 'info' });
  });

  test('strict turns a warning into a failure, whether asked for or set on the run', () => {
    for (const xml of [toJUnit(everyStatusRun(), { strict: true }), toJUnit(everyStatusRun({ strict: true }))]) {
      const doc = parse(xml);
      expect(Number(doc.testsuites['@_failures'])).toBe(3);
      expect(caseNamed(doc, 'SESS-ID-2').failure['@_type']).toBe('warn');
    }
    expect(Number(parse(toJUnit(everyStatusRun({ strict: true }), { strict: false })).testsuites['@_failures'])).toBe(2);
  });

  test('characters XML 1.0 forbids never reach the document, and it still parses', () => {
    const nasty = 'bad \u0000 nul \u001b[31m esc \uFFFF ffff \uFFFE fffe \uD800 lone \u0008 bs';
    const r = run([
      check({ id: 'SESS-ERR-1', status: 'fail', message: nasty, actual: nasty, transcript: [`<<< ${nasty}`] }),
      check({ id: 'SESS-USE-3', status: 'info', message: nasty, details: { raw: nasty } }),
    ]);
    const xml = toJUnit(r);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\uD800-\uDFFF]/);
    const doc = parse(xml);
    // The reader still learns what was there.
    expect(caseNamed(doc, 'SESS-ERR-1').failure['@_message']).toContain('\\u001B[31m esc');
  });

  test('markup characters are escaped and read back unchanged; non-BMP text survives', () => {
    const message = `a < b && c > d "quoted" 'single' <script>alert(1)</script> 😀`;
    const xml = toJUnit(run([check({ id: 'SESS-ERR-1', status: 'fail', message, title: 'x < y & z' })]));
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).toContain('&amp;&amp;');
    expect(xml).not.toContain('<script>');
    const tc = caseNamed(parse(xml), 'SESS-ERR-1');
    expect(tc['@_name']).toBe('SESS-ERR-1 x < y & z');
    expect(tc.failure['@_message']).toBe(message);
  });

  test('no time attributes without timings; with timings every level has one', () => {
    expect(toJUnit(everyStatusRun())).not.toContain('time=');
    const doc = parse(toJUnit(everyStatusRun(), { timings: true }));
    expect(doc.testsuites['@_time']).toBe('4.322');
    expect(caseNamed(doc, 'SESS-ERR-1')['@_time']).toBe('0.040');
    expect(doc.testsuites.testsuite.every((s) => s['@_time'] !== undefined)).toBe(true);
  });

  test('the same input gives the same bytes', () => {
    expect(toJUnit(everyStatusRun())).toBe(toJUnit(everyStatusRun()));
  });

  test('an empty run is a valid document with zero counts', () => {
    const root = parse(toJUnit(run([]))).testsuites;
    expect(root['@_tests']).toBe('0');
    expect(root['@_failures']).toBe('0');
  });
});
