// JUnit XML for CI test tabs: one <testsuite> per section, one <testcase> per check. Problems
// map onto what CI tools understand: fail/untestable/incomplete → <failure> (an incomplete
// check was not judged, so it never counts as passed), harness-error → <error>, skip →
// <skipped>; warnings and info pass with a property (a warning fails under `strict`). Run
// incidents (an unexplained target death) get a testsuite "run-incidents" of their own, one
// testcase each, passing with a warning property (a failure under `strict`).

import type { CheckResult, RunResult } from '../runner/types.js';
import { detailText, explanationLines, groupBySection, incidentLines, type Incident } from './model.js';
import { attrs, escapeText } from './xml.js';

export interface JUnitOptions {
  /** SHOULD violations (warn) become failures; defaults to the run's own `strict`. */
  strict?: boolean;
  /** Add `time` attributes (seconds). */
  timings?: boolean;
}

type CaseKind = 'passed' | 'failure' | 'error' | 'skipped';

function caseKind(c: CheckResult, strict: boolean): CaseKind {
  switch (c.status) {
    case 'fail':
    case 'untestable':
    case 'incomplete':
      return 'failure';
    case 'warn':
      return strict ? 'failure' : 'passed';
    case 'harness-error':
      return 'error';
    case 'skip':
      return 'skipped';
    default:
      return 'passed';
  }
}

function seconds(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : (ms / 1000).toFixed(3);
}

function testcase(c: CheckResult, section: string, strict: boolean, timings = false): string {
  const kind = caseKind(c, strict);
  const open = `    <testcase${attrs({
    name: `${c.id} ${c.title}`,
    classname: `mcp-session-conformance.${section}`,
    time: timings ? seconds(c.ms ?? 0) : undefined,
  })}`;
  const body = escapeText(explanationLines(c).join('\n'));
  let inner: string;
  if (kind === 'failure') inner = `<failure${attrs({ message: c.message, type: c.status })}>${body}</failure>`;
  else if (kind === 'error') inner = `<error${attrs({ message: c.message, type: c.status })}>${body}</error>`;
  else if (kind === 'skipped') inner = `<skipped${attrs({ message: c.message })}/>`;
  else if (c.status === 'warn' || c.status === 'info') {
    const props = [{ name: c.status === 'warn' ? 'warning' : 'info', value: c.message }];
    for (const [k, v] of Object.entries(c.details ?? {})) props.push({ name: `details.${k}`, value: detailText(v) });
    inner = `<properties>${props.map((p) => `<property${attrs(p)}/>`).join('')}</properties>`;
  } else return `${open}/>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(checks: readonly CheckResult[], strict: boolean): Counts {
  const kinds = checks.map((c) => caseKind(c, strict));
  return {
    tests: checks.length,
    failures: kinds.filter((k) => k === 'failure').length,
    errors: kinds.filter((k) => k === 'error').length,
    skipped: kinds.filter((k) => k === 'skipped').length,
  };
}

function incidentCase(i: Incident, n: number, strict: boolean): string {
  const open = `    <testcase${attrs({ name: `incident ${n + 1}: ${i.kind} (${i.checks.join(', ')})`, classname: 'mcp-session-conformance.run-incidents' })}>`;
  const body = escapeText(incidentLines(i).join('\n'));
  const inner = strict
    ? `<failure${attrs({ message: i.message, type: 'incident' })}>${body}</failure>`
    : `<properties><property${attrs({ name: 'warning', value: i.message })}/></properties>\n      <system-err>${body}</system-err>`;
  return `${open}\n      ${inner}\n    </testcase>`;
}

function incidentSuite(incidents: readonly Incident[], strict: boolean): string[] {
  if (incidents.length === 0) return [];
  const head = `  <testsuite${attrs({ name: 'run-incidents', tests: incidents.length, failures: strict ? incidents.length : 0, errors: 0, skipped: 0 })}>`;
  return [[head, ...incidents.map((i, n) => incidentCase(i, n, strict)), '  </testsuite>'].join('\n')];
}

export function toJUnit(run: RunResult, opts: JUnitOptions = {}): string {
  const strict = opts.strict ?? run.strict;
  const incidents = run.incidents ?? [];
  const suites = groupBySection(run.checks).map(({ section, checks }) => {
    const time = opts.timings ? seconds(checks.reduce((sum, c) => sum + (c.ms ?? 0), 0)) : undefined;
    const head = `  <testsuite${attrs({ name: section, ...count(checks, strict), time })}>`;
    return [head, ...checks.map((c) => testcase(c, section, strict, opts.timings)), '  </testsuite>'].join('\n');
  });
  suites.push(...incidentSuite(incidents, strict));
  const counts = count(run.checks, strict);
  const root = attrs({
    name: run.tool.name,
    ...counts,
    tests: counts.tests + incidents.length,
    failures: counts.failures + (strict ? incidents.length : 0),
    time: opts.timings ? seconds(run.stats.wallMs) : undefined,
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${root}>`, ...suites, '</testsuites>', ''].join('\n');
}
