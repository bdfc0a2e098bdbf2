// How the runner schedules checks: a bounded number of lanes, and the sacrificial checks' turns.
import type { CheckDef } from '../suites/check.js';
import type { RunEnvironment } from './execute.js';

/**
 * The sacrificial checks, in order, one at a time on their process: the next starts when the
 * one before it ended or gave the process back early (waiting for the protocol model).
 */
export async function runInTurns(checks: CheckDef[], work: (check: CheckDef) => Promise<void>, env: RunEnvironment): Promise<void> {
  const returned = new Map<string, () => void>();
  env.turnReturned = (id) => returned.get(id)?.();
  env.turnsAfter = (id) => checks.length - 1 - checks.findIndex((c) => c.id === id);
  const running: Promise<void>[] = [];
  for (const check of checks) {
    const turnBack = new Promise<void>((resolve) => returned.set(check.id, resolve));
    const done = work(check);
    running.push(done);
    await Promise.race([done, turnBack]);
  }
  // Every turn is over: the sacrificial process ends now, beside the checks still running,
  // not at the end of the run (a rerun never takes it: it gets a process of its own).
  if (checks.length > 0) void env.pool.endSacrificial();
  await Promise.all(running);
}

export async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
