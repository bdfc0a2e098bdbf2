// The port a launched HTTP target gets for `{port}` (harness/http/ports.ts): below the kernel's
// ephemeral range, where no `listen(0)` and no outgoing connection of another process lands
// between the suite's pick and the target's bind; claimed across suite runs by a file, so two
// runs on one machine (parallel CI jobs) never pick the same port and one never tests the
// other's server; never a port someone listens on; the claim gone with the target.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CLAIMS_DIR, claimPort, ephemeralStart, freePort, type PortClaim } from '../../harness/http/ports.js';
import { runWithReports, statusOf } from '../robustness/helpers.js';

const claims: PortClaim[] = [];
afterEach(() => claims.splice(0).forEach((c) => c.release()));

/** A pick that offers `ports` in turn (then undefined: the kernel's choice). */
const offering = (...ports: number[]) => () => ports.shift();
const claim = async (pick?: () => number | undefined) => {
  const c = await claimPort(pick);
  claims.push(c);
  return c;
};
/** Two ports below the ephemeral range that nobody here listens on (random, so parallel test runs differ). */
const candidates = () => {
  const base = 20_000 + Math.floor(Math.random() * 10_000);
  return [base, base + 1] as const;
};

describe('claimed ports', () => {
  test('a default claim lies below the kernel ephemeral range (what listen(0) and outgoing connections draw from)', async () => {
    const low = ephemeralStart();
    for (let i = 0; i < 20; i++) {
      const { port } = await claim();
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(low);
    }
    // and the kernel's own pick is in that range, the race the claim avoids
    expect(await freePort()).toBeGreaterThanOrEqual(low);
  });

  test('a port another live suite process claimed is skipped until it is released, and the claim file names its holder', async () => {
    const [p, q] = candidates();
    const first = await claim(offering(p));
    expect(first.port).toBe(p);
    expect(readFileSync(join(CLAIMS_DIR, String(p)), 'utf8')).toBe(String(process.pid));
    expect((await claim(offering(p, q))).port).toBe(q);
    first.release();
    expect(existsSync(join(CLAIMS_DIR, String(p)))).toBe(false);
    expect((await claim(offering(p))).port).toBe(p);
  });

  test('a claim whose holder died (a killed run) is removed, not honoured forever', async () => {
    const [p, q] = candidates();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(CLAIMS_DIR, String(p)), String(dead));
    expect((await claim(offering(p, q))).port).toBe(q);
    expect(existsSync(join(CLAIMS_DIR, String(p)))).toBe(false);
    expect((await claim(offering(p))).port).toBe(p);
  });

  test('a port some process listens on is never claimed', async () => {
    const [, q] = candidates();
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const busy = (server.address() as { port: number }).port;
    try {
      expect((await claim(offering(busy, q))).port).toBe(q);
      expect(existsSync(join(CLAIMS_DIR, String(busy)))).toBe(false);
    } finally {
      server.close();
    }
  });
});

test('a launched target listens on a claimed port below the ephemeral range, and the claim is gone when the run ends', async () => {
  const run = await runWithReports(['--reference', 'session_server', '--transport', 'http', '--only', 'SESS-CREATE-1', '-q'], { timeoutMs: 60_000 });
  expect(statusOf(run.json, 'SESS-CREATE-1')).toBe('pass');
  const transcript = readFileSync(join(run.transcriptsDir, 'transcript.jsonl'), 'utf8');
  const port = Number(/listening: http:\/\/127\.0\.0\.1:(\d+)\//.exec(transcript)?.[1]);
  expect(port).toBeGreaterThanOrEqual(20_000);
  expect(port).toBeLessThan(ephemeralStart());
  expect(existsSync(join(CLAIMS_DIR, String(port)))).toBe(false);
}, 70_000);

test('where the claims cannot be written (another user\'s directory, here a file in its place), the target still gets a port below the range, unclaimed', async () => {
  const temp = mkdtempSync(join(tmpdir(), 'msc-claims-'));
  writeFileSync(join(temp, 'mcp-session-conformance-ports'), 'not a directory');
  const run = await runWithReports(['--reference', 'session_server', '--transport', 'http', '--only', 'SESS-CREATE-1', '-q'], { timeoutMs: 60_000, env: { TMPDIR: temp } });
  expect(statusOf(run.json, 'SESS-CREATE-1'), run.stdout.slice(-2000)).toBe('pass');
  const transcript = readFileSync(join(run.transcriptsDir, 'transcript.jsonl'), 'utf8');
  expect(Number(/listening: http:\/\/127\.0\.0\.1:(\d+)\//.exec(transcript)?.[1])).toBeLessThan(ephemeralStart());
}, 70_000);
