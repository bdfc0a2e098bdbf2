// `mcp-session-conformance … | head -1`: the reader of the CLI's stdout goes away after one
// line. The CLI must not die of EPIPE: it finishes quietly and still writes its report files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CLI, ROOT } from '../conformance/run-cli.js';
import { fixtureCommand, killLeftovers, leftoverAfter, parseJUnit } from './helpers.js';

test('a closed stdout (| head -1) ends the output quietly; the reports are still written', async () => {
  const { command, marker } = fixtureCommand('conformant.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'msc-epipe-'));
  const json = join(dir, 'report.json');
  const junit = join(dir, 'report.xml');
  try {
    const child = spawn(process.execPath, [CLI, '--server', command, '--seed', '1', '--runs', '5', '--json', json, '--junit', junit], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like `head -1`: read up to the first newline, then close our end of the pipe.
    let firstLine = '';
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        firstLine += d.toString();
        if (!firstLine.includes('\n')) return;
        child.stdout.off('data', onData);
        child.stdout.destroy();
        resolve();
      };
      child.stdout.on('data', onData);
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('close', (c, s) => r([c, s])));
    clearTimeout(guard);

    expect(firstLine.length).toBeGreaterThan(0);
    expect(signal, stderr).toBeNull();
    expect(stderr, 'no stack trace, no EPIPE').not.toMatch(/EPIPE|Error|internal error/);
    expect(code, stderr).toBe(0); // the verdict of the run, as if stdout had stayed open
    expect(existsSync(json)).toBe(true);
    expect(JSON.parse(readFileSync(json, 'utf8')).verdict).toBe('conformant');
    expect(parseJUnit(readFileSync(junit, 'utf8'))).toBeDefined();
    expect(await leftoverAfter(marker, 2000)).toEqual([]);
  } finally {
    killLeftovers(marker);
  }
}, 90_000);
