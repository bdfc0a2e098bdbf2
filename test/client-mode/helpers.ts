// Shared by the client-mode tests: the fixture client's command line and report readers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../conformance/run-cli.js';

export const RAW_CLIENT = join(ROOT, 'test/fixtures/clients/raw-client.mjs');

/** The fixture client, optionally with one defect (see the file's header). */
export function rawClient(defect?: string, extra: string[] = []): string {
  return [`"${process.execPath}"`, `"${RAW_CLIENT}"`, ...(defect ? ['--defect', defect] : []), ...extra].join(' ');
}

/** `{ id: [scenario:status…] }` of every check that did not pass or skip. */
export function problems(report: any): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of report.checks) if (c.status !== 'pass' && c.status !== 'skip') (out[c.id] ??= []).push(`${c.section}:${c.status}`);
  return out;
}

/** Whether a process is still running (a zombie waiting to be reaped is not). */
export function running(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) {
    try {
      process.kill(pid, 0);
      return !existsSync('/proc/self/stat');
    } catch {
      return false;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * The scenarios in which each broken client of reference-clients/broken/ breaks its rule: pinned
 * by the full runs of broken-clients.test.ts (the suite's judge), used to pick the scenarios of
 * the shorter runs there and in test/reference-clients/clients-on-fixture.test.ts.
 */
export const SHOWN_IN: Record<string, string[]> = {
  'state-stale': ['demo', 'rotating-state', 'revoked', 'expiry', 'two-servers'],
  'state-mutated': ['rotating-state'],
  'create-with-session-meta': ['demo', 'rotating-state', 'revoked', 'expiry', 'two-servers'],
  'err-keeps-revoked-session': ['revoked'],
  'delete-never': ['demo', 'rotating-state', 'revoked', 'expiry', 'two-servers'],
  'bind-leaks-across-servers': ['two-servers'],
  'id-reuses-request-ids': ['demo', 'rotating-state', 'revoked', 'expiry', 'no-capability', 'two-servers'],
};
