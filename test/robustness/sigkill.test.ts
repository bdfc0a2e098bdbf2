// A CLI killed by SIGKILL (a CI job's timeout, the OOM killer) runs no handler of its own. What it
// started must not outlive it: its watchdog (harness/process-groups.ts) ends an HTTP server the
// suite launched (it never reads stdin, so it never sees the CLI go), and a stdio target that
// ignores the end of its input along with its grandchild in a session of its own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../conformance/run-cli.js';
import { FIXTURES, killLeftovers, leftoverAfter, newMarker, processesWith } from './helpers.js';

const CLI = join(ROOT, 'dist/cli/bin.js');
const node = `"${process.execPath}"`;

type Found = { pid: number; cmdline: string }[];

/**
 * Starts the CLI, SIGKILLs it once `ready` holds for the processes carrying the marker (the
 * CLI's own command line carries it too: it is left out), returns what is left after 5 s.
 */
async function killedWhileRunning(args: string[], marker: string, ready: (found: Found) => boolean) {
  const cli = spawn(process.execPath, [CLI, ...args, '-q'], { stdio: 'ignore' });
  const exited = once(cli, 'exit');
  const targets = () => processesWith(marker).filter((p) => p.pid !== cli.pid);
  try {
    const deadline = performance.now() + 20_000;
    let found = targets();
    while (!ready(found) && cli.exitCode === null && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      found = targets();
    }
    expect(ready(found), `the target did not start: ${JSON.stringify(found)}`).toBe(true);
    expect(cli.exitCode, 'the CLI was still running when it was killed').toBeNull();
    cli.kill('SIGKILL');
    await exited;
    return await leftoverAfter(marker, 5000);
  } finally {
    cli.kill('SIGKILL');
    killLeftovers(marker);
  }
}

describe.concurrent('a SIGKILLed CLI leaves nothing running', () => {
  test('an HTTP server it launched (--server with {port}, --url) is ended', async () => {
    const marker = newMarker();
    const server = `${node} "${join(ROOT, 'test/fixtures/misbehaving-http/conformant.mjs')}" --port {port} --marker ${marker}`;
    // Ready: the server itself runs, with its port filled in.
    const listening = (found: Found) => found.some((p) => /conformant\.mjs --port \d+/.test(p.cmdline) && !p.cmdline.startsWith('/bin/sh'));
    const left = await killedWhileRunning(['--server', server, '--url', 'http://127.0.0.1:{port}/mcp'], marker, listening);
    expect(left).toEqual([]);
  }, 40_000);

  test('a stdio target that ignores the end of stdin and SIGTERM, and its grandchild in a session of its own, are ended', async () => {
    const marker = newMarker();
    const target = `${node} "${join(FIXTURES, 'deaf-with-grandchild.mjs')}" --marker ${marker}`;
    // Ready: the grandchild runs. The target never answers initialize, so the CLI waits its start
    // timeout (long: a loaded machine still starts the grandchild within it) and is killed meanwhile.
    const grandchild = (found: Found) => found.some((p) => p.cmdline.includes(' -e ') && !p.cmdline.startsWith('/bin/sh'));
    const left = await killedWhileRunning(['--server', target, '--start-timeout', '30000'], marker, grandchild);
    expect(left).toEqual([]);
  }, 40_000);
});
