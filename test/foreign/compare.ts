// Compares a JSON report of the CLI with a foreign server's expected verdict (manifest.json) and
// lists every difference as one self-explaining line: server, draft, id, expected vs actual,
// level and the check's own message, so a reconciliation can be read off the failure output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../conformance/run-cli.js';

export const DRAFTS = ['2026-02-27', '2026-03-13'] as const;
export type Draft = (typeof DRAFTS)[number];

export interface Expectation {
  exit: number;
  verdict: string;
  fail: string[];
  warn: string[];
  /** Single checks pinned to one status. */
  status?: Record<string, string>;
  /** Ids allowed to be untestable (default: none). */
  untestable?: string[];
  why: string;
}

export interface ForeignServer {
  command: string;
  /** Streamable HTTP: the URL, with `{port}` as in `command` (the suite launches it on a port of its own). */
  url?: string;
  layer: string;
  ids: string;
  state: string;
  drafts: Record<Draft, Expectation>;
}

export const MANIFEST_PATH = join(ROOT, 'test/fixtures/foreign/manifest.json');

export function loadManifest(): Record<string, ForeignServer> {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')).servers;
}

/** Statuses that may never appear on a foreign server's report. */
const NEVER = ['harness-error', 'incomplete'];

interface CheckRow {
  id: string;
  status: string;
  level: string;
  message: string;
}

export interface Observed {
  code: number | null;
  report?: { verdict: string; checks: CheckRow[]; seed?: number; fatal?: unknown };
  stderr: string;
}

const clip = (text: string, max = 240) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Every way the observed run differs from the expectation; empty when it matches exactly. */
export function differences(server: string, draft: Draft, want: Expectation, got: Observed): string[] {
  const at = `${server} --draft ${draft}`;
  const out: string[] = [];
  if (got.code !== want.exit) out.push(`${at}: exit code expected ${want.exit}, actual ${got.code}`);
  const report = got.report;
  if (!report) {
    out.push(`${at}: no JSON report was written (stderr: ${clip(got.stderr.trim(), 400)})`);
    return out;
  }
  if (report.verdict !== want.verdict) out.push(`${at}: verdict expected ${want.verdict}, actual ${report.verdict}`);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const line = (c: CheckRow | undefined, id: string, expected: string) =>
    c
      ? `${at}: ${id} expected ${expected}, actual ${c.status} (level ${c.level}) — ${clip(c.message)}`
      : `${at}: ${id} expected ${expected}, actual: no such check in the report`;
  const allowedUntestable = new Set(want.untestable ?? []);
  for (const status of ['fail', 'warn'] as const) {
    const expected = new Set(want[status]);
    for (const id of expected) if (byId.get(id)?.status !== status) out.push(line(byId.get(id), id, status));
    for (const c of report.checks) {
      if (c.status === status && !expected.has(c.id)) out.push(line(c, c.id, want.status?.[c.id] ?? 'pass, info or skip'));
    }
  }
  for (const c of report.checks) {
    if (c.status === 'untestable' && !allowedUntestable.has(c.id)) out.push(line(c, c.id, want.status?.[c.id] ?? 'pass, info or skip (tested)'));
    if (NEVER.includes(c.status) && !want.fail.includes(c.id) && !want.warn.includes(c.id)) {
      out.push(line(c, c.id, 'never harness-error or incomplete on a foreign server'));
    }
    // D23: status and level agree.
    if (c.status === 'warn' && c.level !== 'SHOULD') out.push(`${at}: ${c.id} is warn with level ${c.level}; D23 wants level SHOULD for a warning — ${clip(c.message)}`);
    if (c.status === 'fail' && c.level !== 'MUST') out.push(`${at}: ${c.id} is fail with level ${c.level}; without --strict only a MUST fails — ${clip(c.message)}`);
  }
  for (const [id, status] of Object.entries(want.status ?? {})) {
    const c = byId.get(id);
    if (c?.status !== status && !want.fail.includes(id) && !want.warn.includes(id)) out.push(line(c, id, status));
  }
  return [...new Set(out)];
}
