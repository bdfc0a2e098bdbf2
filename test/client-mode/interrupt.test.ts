// Ctrl-C during a client-mode run: the CLI exits 130, its report says incomplete (the scenario in
// flight and the ones not yet run), and the client, its servers and a process it detached are gone.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CLI, ROOT } from '../conformance/run-cli.js';
import { rawClient, running } from './helpers.js';

const pidsIn = (file: string): number[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);

test('SIGINT mid-scenario: exit 130, report incomplete, nothing the client started is left running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'msc-client-int-'));
  const pids = join(dir, 'pids');
  const report = join(dir, 'report.json');
  const cli = spawn(process.execPath, [CLI, 'client', '--command', rawClient('hang-open', ['--pids', pids]), '--scenario', 'two-servers,demo', '--timeout', '60000', '--json', report, '-q'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  // Ready when the client has written all four pids (itself, two servers, the detached process).
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the client did not get going within 30 s (pids: ${pidsIn(pids)})`)), 30_000);
    const watcher = watch(dir, () => check());
    const check = () => {
      if (pidsIn(pids).length < 4) return;
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    check();
  });
  cli.kill('SIGINT');
  expect(await exited).toBe(130);
  const json = JSON.parse(readFileSync(report, 'utf8'));
  expect(json.verdict).toBe('incomplete');
  expect(json.stopped).toMatch(/interrupted/);
  expect(new Set(json.checks.map((c: any) => c.status))).toEqual(new Set(['incomplete']));
  expect(json.checks.map((c: any) => c.section)).toContain('demo');
  // SIGKILL is delivered asynchronously: give the kernel a moment, bounded.
  const deadline = Date.now() + 5000;
  while (pidsIn(pids).some(running) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(pidsIn(pids).filter(running)).toEqual([]);
}, 90_000);
