// Issue 15: a default run starts as few target processes as the checks' meanings need. Against
// a target that never dies: the shared process, the sacrificial one, and SESS-ERR-5's restart,
// which it then hands over to the protocol model (runner/pool.ts). Counted from the report and
// from the transcript's `start:` events.
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../conformance/run-cli.js';

async function run(extra: string[], target: string[] = ['--reference', 'session_server']) {
  const dir = mkdtempSync(join(tmpdir(), 'msc-starts-'));
  const result = await runCli([...target, '--seed', '3', '-q', '--transcripts', dir, ...extra], { timeoutMs: 120_000 });
  expect(result.json, result.stderr).toBeDefined();
  const entries = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const events = entries.filter((e) => e.dir === 'event').map((e) => String(e.text));
  return { report: result.json, code: result.code, starts: events.filter((t) => t.startsWith('start: ')).length, events, entries };
}

describe.concurrent('target starts', () => {
  test('a default run: 3 starts, the protocol model explores on the restart process', async () => {
    const { report, code, starts, events, entries } = await run([]);
    expect(code).toBe(0);
    expect(report.stats.targetStarts).toBe(3);
    expect(starts).toBe(3);
    expect(events.some((t) => /^process \d+ \(SESS-ERR-5's restart, handed over\) taken by /.test(t)), events.join('\n')).toBe(true);
    expect(events.some((t) => t.startsWith('protocol model: ')), 'the model ran').toBe(true);
    // SESS-ERR-5's restart starts beside discovery: once its session exists, before discovery's
    // last exchange (the restart's start is the longest wait of a run).
    const restartStart = entries.findIndex((e) => e.check === 'SESS-ERR-5' && e.dir === 'event' && String(e.text).startsWith('start: '));
    const created = entries.findIndex((e) => e.check === 'SESS-ERR-5' && e.dir === 'in' && String(e.text).includes('"session"'));
    const lastDiscovery = entries.findLastIndex((e) => e.check === 'discovery');
    expect(created, 'SESS-ERR-5 created its session').toBeGreaterThan(0);
    expect(restartStart, 'after its session exists').toBeGreaterThan(created);
    expect(restartStart, 'before discovery ended').toBeLessThan(lastDiscovery);
    // The sacrificial checks the model also judges give their process back before they wait for
    // its findings, and the next sacrificial check gets it then.
    const gaveBack = events.filter((t) => /^SESS-[A-Z]+-\d+ gave the sacrificial process back before its end/.test(t)).map((t) => t.split(' ')[0]);
    expect(gaveBack.sort()).toEqual(['SESS-DELETE-5', 'SESS-ERR-4', 'SESS-STATE-4', 'SESS-USE-4']);
    const lent = events.filter((t) => t.startsWith('sacrificial process ')).map((t) => /lent to (\S+)/.exec(t)![1]);
    for (const id of gaveBack) {
      const next = lent[lent.indexOf(id) + 1];
      if (!next) continue;
      const at = (re: RegExp) => events.findIndex((t) => re.test(t));
      expect(at(new RegExp(`^${id} gave the sacrificial process back`)), `${id} gives back before ${next} is lent it`).toBeLessThan(at(new RegExp(`lent to ${next}\\b`)));
    }
  }, 130_000);

  test('without SESS-ERR-5 the model gets a process started ahead', async () => {
    const { report, starts, events } = await run(['--only', 'SESS-CREATE-4,SESS-ID-1']);
    expect(report.verdict).toBe('conformant');
    // The shared process and the one started ahead for the model.
    expect(starts).toBe(2);
    expect(events.some((t) => /^process \d+ \(started ahead\) taken by /.test(t)), events.join('\n')).toBe(true);
  }, 130_000);

  test('SESS-ERR-5 alone: its restart process is closed, not kept for a model that does not run', async () => {
    const { report, starts, events } = await run(['--only', 'SESS-ERR-5']);
    expect(report.checks.find((c: any) => c.id === 'SESS-ERR-5').status).toBe('info');
    expect(starts).toBe(2);
    expect(events.filter((t) => t.startsWith('target exited')).length).toBe(2);
  }, 130_000);

  test('the sacrificial process starts beside the first one, before it answers initialize, and ends with its last turn', async () => {
    // A target that starts 1 s late: the CLI has loaded its checks long before it answers, and
    // it is running and silent on stdout, so the sacrificial process starts beside it.
    const server = `sleep 1; exec "${process.execPath}" "${join(ROOT, 'dist/reference-servers/session_server.js')}"`;
    const { report, entries, starts } = await run([], ['--server', server]);
    expect(report.verdict).toBe('conformant');
    expect(starts).toBe(3);
    const firstAnswer = entries.findIndex((e) => e.conn === 1 && e.dir === 'in');
    const sacrificialStart = entries.findIndex((e) => e.dir === 'event' && e.check === 'sacrificial' && String(e.text).startsWith('start: '));
    expect(sacrificialStart, 'the sacrificial process was started').toBeGreaterThan(0);
    expect(sacrificialStart, 'it starts before the first process answers initialize').toBeLessThan(firstAnswer);
    // Its last turn over, it ends before the run's last check does.
    const conn = entries[sacrificialStart].conn;
    const exited = entries.findIndex((e) => e.conn === conn && e.dir === 'event' && String(e.text).startsWith('target exited'));
    const lastObserver = entries.findLastIndex((e) => e.check === 'SESS-USE-2' && e.dir === 'out');
    expect(exited, 'the sacrificial process ended').toBeGreaterThan(0);
    expect(exited, 'before the observers were done').toBeLessThan(lastObserver);
  }, 130_000);

  // Most SDK stdio transports send no -32700: BASE-PARSE-1 then waits --timeout for it. It takes
  // the first turn (a process no check used: its warning needs no rerun, which waited --timeout
  // again), and keeps that process to itself while it waits: the next turn starts on a new one.
  test('a server silent on parse errors: BASE-PARSE-1 goes first, waits on a process it keeps, is not rerun; the next turn does not wait for it', async () => {
    const silent = ['--server', `"${process.execPath}" "${join(ROOT, 'dist/reference-servers/broken/base-silent-parse-error.js')}"`];
    const { report, events, entries } = await run(['--only', 'BASE-PARSE-1,BASE-NOTIF-1', '--timeout', '2000'], silent);
    const status = (id: string) => report.checks.find((c: any) => c.id === id).status;
    expect([status('BASE-PARSE-1'), status('BASE-NOTIF-1')]).toEqual(['warn', 'pass']);
    expect(events.filter((t) => /rerunning it on its own process/.test(t)), 'no rerun').toEqual([]);
    // The shared process, the one BASE-PARSE-1 kept, the next turn's.
    expect(report.stats.targetStarts).toBe(3);
    const lent = (id: string) => entries.find((e) => e.dir === 'event' && String(e.text).startsWith(`sacrificial process `) && String(e.text).includes(`lent to ${id}`));
    const kept = entries.find((e) => e.dir === 'event' && /^BASE-PARSE-1 waits up to 2000 ms \(--timeout\) for an answer that may come late, keeping process \d+ to itself/.test(String(e.text)));
    expect(kept, events.join('\n')).toBeDefined();
    expect(lent('BASE-PARSE-1').seq).toBeLessThan(lent('BASE-NOTIF-1').seq);
    expect(lent('BASE-PARSE-1').conn).toBe(kept.conn);
    expect(lent('BASE-NOTIF-1').conn, 'the next turn is on a new process').not.toBe(kept.conn);
    const keptExit = entries.find((e) => e.conn === kept.conn && e.dir === 'event' && String(e.text).startsWith('target exited'));
    expect(lent('BASE-NOTIF-1').seq, 'while BASE-PARSE-1 still waited').toBeLessThan(keptExit.seq);

    // A server that answers -32700 at once: nothing kept, both turns on one sacrificial process.
    const good = await run(['--only', 'BASE-PARSE-1,BASE-NOTIF-1', '--timeout', '2000']);
    expect(good.report.checks.map((c: any) => c.status)).toEqual(['pass', 'pass']);
    expect(good.report.stats.targetStarts).toBe(2);
    expect(good.events.filter((t) => /keeping process \d+ to itself/.test(t))).toEqual([]);
  }, 130_000);

  // A warning judged on what a still-sound process answered (D16's shared data, an isError result
  // D1 softens) leaves the sacrificial process to the next turn: no new start. A failure retires
  // it, and a later turn's bad verdict there is still judged again on a process of its own.
  test('a warning on the sacrificial process keeps it for the next turn; a failure retires it', async () => {
    const only = ['--only', 'SESS-ISO-1,BASE-NOTIF-1,SESS-DELETE-5,SESS-ERR-4'];
    const broken = (name: string) => ['--server', `"${process.execPath}" "${join(ROOT, `dist/reference-servers/broken/${name}.js`)}"`];
    const lentTo = (entries: any[], id: string) => entries.find((e) => e.dir === 'event' && /^sacrificial process \d+ lent to /.test(String(e.text)) && String(e.text).includes(`lent to ${id}`));
    const statuses = (report: any) => Object.fromEntries(report.checks.map((c: any) => [c.id, c.status]));

    const leak = await run(only, broken('iso-memo-leak'));
    expect(statuses(leak.report)).toEqual({ 'SESS-ISO-1': 'warn', 'BASE-NOTIF-1': 'pass', 'SESS-DELETE-5': 'pass', 'SESS-ERR-4': 'pass' });
    const stays = leak.entries.find((e) => e.dir === 'event' && /^SESS-ISO-1 warned on sacrificial process \d+, which answered every request of the check: it stays for the next turn$/.test(String(e.text)));
    expect(stays, leak.events.join('\n')).toBeDefined();
    expect(lentTo(leak.entries, 'SESS-ISO-1').conn).toBe(stays.conn);
    expect(String(lentTo(leak.entries, 'BASE-NOTIF-1').text)).toBe(`sacrificial process ${stays.conn} lent to BASE-NOTIF-1 (used by 1 check(s) before)`);
    // The shared process, the sacrificial one, the one started ahead for the protocol model.
    expect(leak.report.stats.targetStarts).toBe(3);

    const dropsAll = await run(only, broken('delete-removes-all-sessions'));
    expect(statuses(dropsAll.report)['SESS-DELETE-5']).toBe('fail');
    expect(dropsAll.events.filter((t) => /stays for the next turn/.test(t))).toEqual([]);
    expect(dropsAll.events).toContain('SESS-DELETE-5: ended badly on a sacrificial process other checks used before; rerunning it on its own process');
    expect(lentTo(dropsAll.entries, 'SESS-ERR-4').conn, 'the turn after the failure is on a new process').not.toBe(lentTo(dropsAll.entries, 'SESS-DELETE-5').conn);
  }, 130_000);
});
