// The published package works from an empty directory: npm pack, then npx the tarball.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../conformance/run-cli.js';

test('npm pack, then npx ./<tarball> --reference all (and client --reference) from an empty directory', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'msc-pack-'));
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  expect(tarball).toMatch(/^mcp-session-conformance-.*\.tgz$/);
  const run = spawnSync('npx', ['--yes', `./${tarball}`, '--reference', 'all', '-q', '--seed', '11', '--json', 'report.json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
    timeout: 200_000,
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(/session_server/);
  const reports = readdirSync(dir).filter((f) => /^report\..*\.json$/.test(f));
  expect(reports).toHaveLength(6);
  for (const file of reports) expect(JSON.parse(readFileSync(join(dir, file), 'utf8')).verdict).toBe('conformant');
  // Client mode from the package: the relay and the reference client ship in dist/.
  const client = spawnSync('npx', ['--yes', `./${tarball}`, 'client', '--reference', '--scenario', 'demo,two-servers', '-q', '--json', 'client.json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
    timeout: 120_000,
  });
  expect(client.status, `${client.stdout}\n${client.stderr}`).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'client.json'), 'utf8')).verdict).toBe('conformant');
});
