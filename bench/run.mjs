#!/usr/bin/env node
// Benchmark: how long the full default suite takes against each reference server, next to the
// physical floor measured in the same run (target start-up and tool-call round trip with a
// minimal raw client). Prints a table; every figure is also given as a ratio to that floor.
//
//   npm run bench                 (builds first)
//   node bench/run.mjs --quick    (fewer repetitions)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
const SERVERS = ['session_server', 'session_required_server', 'notebook_server', 'hashcheck_server', 'selective_session_server', 'client_notes_server'];
const quick = process.argv.includes('--quick');
const REPEAT = quick ? 1 : 3;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A minimal raw client: spawn, initialize, then `calls` sequential tools/call in one session. */
function rawFloor(server, calls) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist/reference-servers', `${server}.js`)], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = '';
    const waiting = new Map();
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const msg = JSON.parse(line);
        waiting.get(msg.id)?.(msg);
        waiting.delete(msg.id);
      }
    });
    let id = 0;
    const request = (method, params) =>
      new Promise((res) => {
        waiting.set(++id, res);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    const timer = setTimeout(() => reject(new Error('floor measurement timed out')), 30_000);
    (async () => {
      await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '0' } });
      const startMs = performance.now() - started;
      child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      const created = await request('sessions/create', {});
      const session = created.result.session;
      const meta = { 'io.modelcontextprotocol/session': { sessionId: session.sessionId } };
      const tool = { session_server: 'session_probe', session_required_server: 'whoami', notebook_server: 'notebook_status', hashcheck_server: 'hashcheck_list', selective_session_server: 'session_counter_get', client_notes_server: 'client_notes_status' }[server];
      const rtts = [];
      for (let i = 0; i < calls; i++) {
        const t = performance.now();
        await request('tools/call', { name: tool, arguments: {}, _meta: meta });
        rtts.push(performance.now() - t);
      }
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ startMs, rttMs: median(rtts) });
    })().catch(reject);
  });
}

function runSuite(args) {
  const dir = mkdtempSync(join(tmpdir(), 'msc-bench-'));
  const json = join(dir, 'report.json');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args, '-q', '--json', json, '--timings'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      try {
        const report = JSON.parse(readFileSync(json, 'utf8'));
        resolve({ code, wallMs, report });
      } catch (err) {
        reject(new Error(`no report (exit ${code}): ${stderr}`));
      }
    });
  });
}

async function main() {
  const jobsDefault = availableParallelism();
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);

  const floors = {};
  for (const server of SERVERS) {
    const samples = [];
    for (let i = 0; i < REPEAT + 2; i++) samples.push(await rawFloor(server, 200));
    floors[server] = { startMs: median(samples.map((s) => s.startMs)), rttMs: median(samples.map((s) => s.rttMs)) };
  }

  console.log('\nfull default suite, one reference server per run (median of', REPEAT, 'runs)');
  console.log('server                     start ms  rtt ms  suite ms  in-run ms  starts  requests  floor ms  ratio  verdict');
  const rows = [];
  for (const server of SERVERS) {
    const runs = [];
    for (let i = 0; i < REPEAT; i++) runs.push(await runSuite(['--reference', server, '--seed', String(i + 1)]));
    const wall = median(runs.map((r) => r.wallMs));
    const inRun = median(runs.map((r) => r.report.stats.wallMs));
    const { targetStarts, requestsSent } = runs[0].report.stats;
    const f = floors[server];
    const floorMs = (targetStarts * f.startMs + requestsSent * f.rttMs) / jobsDefault;
    rows.push({ server, wall, ratio: wall / floorMs });
    console.log(
      `${server.padEnd(26)} ${f.startMs.toFixed(0).padStart(8)} ${f.rttMs.toFixed(2).padStart(7)} ${wall.toFixed(0).padStart(9)} ${inRun.toFixed(0).padStart(10)} ${String(targetStarts).padStart(7)} ${String(requestsSent).padStart(9)} ${floorMs.toFixed(0).padStart(9)} ${(wall / floorMs).toFixed(2).padStart(6)}  ${runs[0].report.verdict}`,
    );
  }

  const base = 'session_server';
  console.log(`\ngrowth with --runs (${base}; wall ms, median of ${REPEAT}; marginal ms per extra property run)`);
  let previous;
  for (const n of [10, 25, 50, 100, 200]) {
    const samples = [];
    for (let i = 0; i < REPEAT; i++) samples.push((await runSuite(['--reference', base, '--runs', String(n), '--seed', '1'])).wallMs);
    const wall = median(samples);
    const marginal = previous ? ` ${((wall - previous.wall) / (n - previous.n)).toFixed(1).padStart(5)} ms/run` : '';
    console.log(`  --runs ${String(n).padEnd(4)} ${wall.toFixed(0).padStart(6)} ms${marginal}`);
    previous = { n, wall };
  }
  console.log(`\ngrowth with --jobs (${base}; wall ms)`);
  for (const n of [1, 2, 4]) {
    const samples = [];
    for (let i = 0; i < REPEAT; i++) samples.push((await runSuite(['--reference', base, '--jobs', String(n), '--seed', '1'])).wallMs);
    console.log(`  --jobs ${n}  ${median(samples).toFixed(0).padStart(6)} ms`);
  }
  const worst = rows.reduce((a, b) => (b.wall > a.wall ? b : a));
  const worstRatio = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  console.log(`\ngoals: suite ≤ 1500 ms → slowest ${worst.server} ${worst.wall.toFixed(0)} ms ${worst.wall <= 1500 ? 'MET' : 'NOT MET'}; ratio ≤ 2 → worst ${worstRatio.ratio.toFixed(2)} ${worstRatio.ratio <= 2 ? 'MET' : 'NOT MET'}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
