// Reading speed (issue 15 goal 3): a target floods N notifications during one tools/call.
// Both readers time from sending the tools/call until its result has been read, lines/s.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const floodCommand = (root) => `"${process.execPath}" "${join(root, 'bench/flood-server.mjs')}"`;
const INIT = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '0' } };

/** A plain Node line reader: readline + JSON.parse of every line. */
export function floodPlain(root, n) {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', floodCommand(root)], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, FLOOD_N: String(n) } });
    let started = 0;
    let lines = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line);
      if (msg.id === 1) {
        started = performance.now();
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'flood', arguments: {} } })}\n`);
        return;
      }
      lines++;
      if (msg.id === 2) {
        const rate = lines / ((performance.now() - started) / 1000);
        child.on('close', () => resolve(rate));
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT })}\n`);
  });
}

/** The harness: harness/mcp.js connect (initialize), then one tools/call through its Peer. */
export async function floodHarness(root, n) {
  const { connect } = await import(join(root, 'dist/harness/mcp.js'));
  const { Transcript } = await import(join(root, 'dist/harness/transcript.js'));
  const profile = JSON.parse(readFileSync(join(root, 'suites/profiles/2026-02-27.json'), 'utf8'));
  const spec = { command: floodCommand(root), env: { FLOOD_N: String(n) }, startTimeout: 30_000, requestTimeout: 120_000 };
  const connection = await connect(spec, { transcript: new Transcript(), profile, conn: 1 });
  if (connection.failed) throw new Error(`flood server did not start: ${connection.detail}`);
  try {
    const started = performance.now();
    const outcome = await connection.peer.request('tools/call', { name: 'flood', arguments: {} }, { timeout: 120_000 });
    if (outcome.kind !== 'result') throw new Error(`flood call: ${outcome.kind}`);
    return (n + 1) / ((performance.now() - started) / 1000);
  } finally {
    await connection.close();
  }
}
