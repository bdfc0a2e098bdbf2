// Run-level findings that belong to no single check. A shared target process that died while
// checks ran on it gets each of those checks rerun on a process of its own, and only the reruns'
// results are kept (runner/execute.ts). If no rerun reproduced the death, no check explains it —
// but the target did crash, and the run says so here instead of hiding it behind the reruns.
import type { CheckOutcome, SharedDeath } from './execute.js';
import type { Incident } from './types.js';

/** Unexplained deaths of shared target processes, one incident per process, in process order. */
export function incidentsOf(outcomes: readonly CheckOutcome[]): Incident[] {
  const byConn = new Map<number, { deaths: SharedDeath[]; rerun: Set<string>; explained: boolean }>();
  for (const outcome of outcomes) {
    for (const death of outcome.deaths) {
      const entry = byConn.get(death.conn) ?? { deaths: [], rerun: new Set<string>(), explained: false };
      entry.deaths.push(death);
      if (outcome.rerun) entry.rerun.add(death.check);
      // The rerun of this check killed its own process too: the check's result explains the crash.
      if (outcome.reproduced) entry.explained = true;
      byConn.set(death.conn, entry);
    }
  }
  const incidents: Incident[] = [];
  for (const [conn, { deaths, rerun, explained }] of [...byConn].sort((a, b) => a[0] - b[0])) {
    if (explained) continue;
    const checks = [...new Set(deaths.map((d) => d.check))].sort();
    const rerunIds = checks.filter((id) => rerun.has(id));
    const judged = checks.filter((id) => !rerun.has(id));
    const said = [
      rerunIds.length > 0 ? `${rerunIds.join(', ')} ${rerunIds.length === 1 ? 'was' : 'were'} rerun on processes of their own and did not make the target die again` : '',
      judged.length > 0 ? `${judged.join(', ')} finished without a finding` : '',
    ].filter(Boolean);
    const exit = deaths.find((d) => d.exit)?.exit ?? null;
    const stderrTail = deaths.reduce<string[]>((longest, d) => (d.stderrTail.length > longest.length ? d.stderrTail : longest), []);
    const how = exit ? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`) : 'stopped taking input';
    incidents.push({
      kind: 'target-died',
      level: 'SHOULD',
      message:
        `target process ${conn} ${how} while ${checks.join(', ')} ran on it; ${said.join('; ')}: no check's result shows the crash ` +
        '(look at the stderr below; a server should not exit while it has requests to serve)',
      checks,
      exit,
      stderrTail,
    });
  }
  return incidents;
}
