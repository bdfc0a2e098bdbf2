// Shared by the harness tests: fixture commands, the default profile, and proof that a
// process (group) is gone.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { connect, type Connection, type StartFailure } from '../../harness/mcp.js';
import { groupAlive } from '../../harness/process-groups.js';
import { Transcript } from '../../harness/transcript.js';
import type { Profile, TargetSpec } from '../../harness/types.js';

export const PROFILE: Profile = JSON.parse(
  readFileSync(new URL('../../suites/profiles/2026-02-27.json', import.meta.url), 'utf8'),
);

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/targets/${name}.mjs`, import.meta.url));
}

/** The shell command that runs a fixture target. */
export function fixture(name: string): string {
  return `'${process.execPath}' '${fixturePath(name)}'`;
}

export function spec(command: string, overrides: Partial<TargetSpec> = {}): TargetSpec {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { command, startTimeout: 10_000, requestTimeout: 10_000, ...given };
}

/** True when no process with this id exists any more (a zombie awaiting its reaper counts as gone). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** True when no process is left running in the group (zombies awaiting init count as gone). */
export function groupGone(pgid: number): boolean {
  return !groupAlive(pgid);
}

const open: Connection[] = [];

/** Connects to a fixture; the connection is closed (and proven gone) after the test. */
export async function connectTo(
  name: string,
  opts: { transcript?: Transcript; env?: Record<string, string>; requestTimeout?: number; advertiseClientSessions?: boolean; maxMessageBytes?: number } = {},
): Promise<{ c: Connection; transcript: Transcript }> {
  const transcript = opts.transcript ?? new Transcript();
  const result = await connect(
    spec(fixture(name), { env: opts.env, requestTimeout: opts.requestTimeout, advertiseClientSessions: opts.advertiseClientSessions, maxMessageBytes: opts.maxMessageBytes }),
    { transcript, profile: PROFILE, conn: 1 },
  );
  if ('failed' in result) throw new Error(`fixture ${name} did not start: ${JSON.stringify(result as StartFailure)}`);
  open.push(result);
  return { c: result, transcript };
}

afterEach(async () => {
  const conns = open.splice(0);
  await Promise.all(conns.map((c) => c.close()));
  for (const c of conns) expect(groupGone(c.pid!), `process group ${c.pid} left running`).toBe(true);
});
