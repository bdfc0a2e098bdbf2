#!/usr/bin/env node
// Reading speed of the harness against a plain Node line reader, on the same flood in the same
// run (issue 15 goal 3; called by bench/run.mjs and by test/robustness/read-speed.test.ts).
//
//   import { measureReadSpeed } from './test/robustness/read-speed.mjs';
//   const r = await measureReadSpeed({ lines: 50_000, rounds: 3, writer: 'node' });
//   // → { lines, rounds, writer, plainMs, harnessMs, plainLinesPerSec, harnessLinesPerSec, ratio }
//
// or from the shell: `node test/robustness/read-speed.mjs [lines] [rounds] [node|cat]` prints that object
// as one JSON line. Needs the built harness (npm run build). Each round starts the flood target
// (see writerCommand: `lines` valid notifications/message lines) once for each reader,
// alternating, and times from spawn to the last line read; the best
// round of each counts (the least disturbed by other load on the machine). ratio =
// harnessLinesPerSec / plainLinesPerSec.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Peer } from '../../dist/harness/peer.js';
import { StdioTransport } from '../../dist/harness/process.js';
import { Transcript } from '../../dist/harness/transcript.js';
import { loadProfile } from '../../dist/runner/profiles.js';

/**
 * The flood is written to a file once and replayed to both readers by the same writer:
 * - writer 'node' (default): a node target writing the lines as fast as its pipe takes them,
 *   as a flooding MCP server does (the case issue 15 measures);
 * - writer 'cat': `cat`, never the bottleneck, so the figures are the readers' raw capacity
 *   (a plain reader only splits lines; the harness also parses, validates and records each).
 */
const NODE_WRITER = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const rl = createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!process.stdout.write(line + '\\n')) {
    rl.pause();
    process.stdout.once('drain', () => rl.resume());
  }
});
`;

function writerCommand(writer, file) {
  return writer === 'cat' ? ['cat', file] : [process.execPath, '-e', NODE_WRITER, file];
}

function floodFile(lines) {
  const dir = mkdtempSync(join(tmpdir(), 'msc-read-speed-'));
  const file = join(dir, 'flood.jsonl');
  const parts = [];
  for (let i = 0; i < lines; i++) {
    parts.push(`{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","logger":"flood","data":"line ${i}"}}\n`);
  }
  writeFileSync(file, parts.join(''));
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plain reader: spawn, readline, count lines (no parsing). Resolves with the milliseconds taken. */
function plainRead(lines, file, writer) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [cmd, ...args] = writerCommand(writer, file);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = 0;
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', () => {
      if (++seen === lines) resolve(performance.now() - started);
    });
    child.once('error', reject);
    child.once('exit', () => setTimeout(() => seen < lines && reject(new Error(`plain reader saw ${seen} of ${lines} lines`)), 1000));
  });
}

/** The harness: StdioTransport + Peer + Transcript, as a run uses them. */
async function harnessRead(lines, file, writer) {
  const started = performance.now();
  const command = writerCommand(writer, file).map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const transport = new StdioTransport(command);
  const peer = new Peer(transport, { conn: 1, transcript: new Transcript(), profile: loadProfile('2026-02-27'), defaultTimeout: 60_000 });
  let seen = 0;
  const done = new Promise((resolve) => peer.onNotification('*', () => ++seen === lines && resolve(performance.now() - started)));
  await peer.start();
  const exited = peer.waitForExit(120_000).then(() => new Promise((r) => setTimeout(r, 1000)));
  const ms = await Promise.race([done, exited.then(() => null)]);
  await peer.close();
  if (ms === null) throw new Error(`harness saw ${seen} of ${lines} lines`);
  return ms;
}

export async function measureReadSpeed({ lines = 50_000, rounds = 3, writer = 'node' } = {}) {
  let plainMs = Infinity;
  let harnessMs = Infinity;
  const flood = floodFile(lines);
  try {
    for (let r = 0; r < rounds; r++) {
      plainMs = Math.min(plainMs, await plainRead(lines, flood.file, writer));
      harnessMs = Math.min(harnessMs, await harnessRead(lines, flood.file, writer));
    }
  } finally {
    flood.dispose();
  }
  const plainLinesPerSec = Math.round((lines / plainMs) * 1000);
  const harnessLinesPerSec = Math.round((lines / harnessMs) * 1000);
  return {
    lines,
    rounds,
    writer,
    plainMs: Math.round(plainMs),
    harnessMs: Math.round(harnessMs),
    plainLinesPerSec,
    harnessLinesPerSec,
    ratio: Math.round((harnessLinesPerSec / plainLinesPerSec) * 1000) / 1000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lines = Number(process.argv[2] ?? 50_000);
  const rounds = Number(process.argv[3] ?? 3);
  const writer = process.argv[4] ?? 'node';
  process.stdout.write(`${JSON.stringify(await measureReadSpeed({ lines, rounds, writer }))}\n`);
}
