// The published package works from an empty directory: npm pack, then npx the tarball. It ships
// what a user runs (the CLI, the vendored reference servers, the broken servers with their
// manifests, the vitest entry) and not the test vectors, and it installs without the SDK or zod.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { withRegistryCerts } from '../child-env.js';
import { ROOT } from '../conformance/run-cli.js';

// npm and npx reach the registry: they get back the CA certificates the test run sets aside (test/child-env.ts).
const env = withRegistryCerts({ ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });

let packed: { dir: string; tarball: string; files: string[] } | undefined;

/** npm pack once for the file; each test works in a fresh copy of the directory's tarball. */
function pack(): { dir: string; tarball: string; files: string[] } {
  if (packed) {
    const dir = mkdtempSync(join(tmpdir(), 'msc-pack-'));
    copyFileSync(join(packed.dir, packed.tarball), join(dir, packed.tarball));
    return { ...packed, dir };
  }
  const dir = mkdtempSync(join(tmpdir(), 'msc-pack-'));
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe', env });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  expect(tarball).toMatch(/^mcp-session-conformance-.*\.tgz$/);
  const files = execFileSync('tar', ['tzf', join(dir, tarball)], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
  packed = { dir, tarball, files };
  return packed;
}

test('the tarball: broken servers with manifests, vendored SDK, vitest entry; no schema examples, no build on install', { timeout: 60_000 }, () => {
  const { dir, tarball, files } = pack();
  const broken = readdirSync(join(ROOT, 'reference-servers/broken'));
  for (const f of broken.filter((x) => x.endsWith('.ts'))) expect(files).toContain(`dist/reference-servers/broken/${f.replace(/\.ts$/, '.js')}`);
  for (const f of broken.filter((x) => x.endsWith('.json'))) expect(files).toContain(`dist/reference-servers/broken/${f}`);
  expect(files.filter((f) => f.startsWith('dist/vendor/') && f.endsWith('.js')).length).toBeGreaterThan(0);
  expect(files).toContain('dist/vendor/THIRD-PARTY-LICENSES.txt');
  expect(files).toEqual(expect.arrayContaining(['dist/cli/vitest.js', 'dist/cli/vitest.d.ts', 'schemas/report.schema.json']));
  expect(files.filter((f) => f.startsWith('schemas/examples/') || f.startsWith('test/') || f.startsWith('examples/'))).toEqual([]);
  // The build's start-up snapshot of the servers is valid for the Node that made it only.
  expect(existsSync(join(ROOT, 'dist/reference-servers/snapshot/servers.blob')), 'the build made a snapshot to leave out').toBe(true);
  expect(files.filter((f) => f.startsWith('dist/reference-servers/snapshot/'))).toEqual([]);
  // So is the CLI's code cache (cli/bin.ts): the package ships the bundle, a user's first run writes the cache.
  expect(files).toContain('dist/cli/cli.cjs');
  expect(existsSync(join(ROOT, 'dist/cli/code-cache')), 'the build made a code cache to leave out').toBe(true);
  expect(files.filter((f) => f.startsWith('dist/cli/code-cache/') || f.startsWith('dist/cli/bin-chunk-'))).toEqual([]);
  const pkg = JSON.parse(execFileSync('tar', ['xzOf', join(dir, tarball), 'package/package.json'], { encoding: 'utf8' }));
  expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['@modelcontextprotocol/sdk']));
  expect(Object.keys(pkg.dependencies)).not.toContain('zod');
  expect(pkg.scripts.prepare).toBeUndefined();
  expect(pkg.exports['./vitest']).toBeDefined();
  expect(pkg.engines.node).toMatch(/^>=20/);
});

test('npm pack, then npx ./<tarball> --reference all from an empty directory', { timeout: 240_000 }, () => {
  const { dir, tarball } = pack();
  const run = spawnSync('npx', ['--yes', `./${tarball}`, '--reference', 'all', '-q', '--seed', '11', '--json', 'report.json'], {
    cwd: dir,
    encoding: 'utf8',
    env,
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
    env: withRegistryCerts({ ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' }),
    timeout: 120_000,
  });
  expect(client.status, `${client.stdout}\n${client.stderr}`).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'client.json'), 'utf8')).verdict).toBe('conformant');
});

test('installed from the tarball: no SDK or zod in node_modules, a broken server fails, the vitest entry resolves', { timeout: 240_000 }, () => {
  const { dir, tarball } = pack();
  const install = spawnSync('npm', ['install', '--prefer-offline', `./${tarball}`], { cwd: dir, encoding: 'utf8', env, timeout: 200_000 });
  expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
  expect(existsSync(join(dir, 'node_modules/mcp-session-conformance/dist/cli/bin.js'))).toBe(true);
  expect(existsSync(join(dir, 'node_modules/@modelcontextprotocol'))).toBe(false);
  expect(existsSync(join(dir, 'node_modules/zod'))).toBe(false);
  const run = spawnSync('npx', ['mcp-session-conformance', '--reference', 'broken/cap-missing', '-q', '--json', 'broken.json'], { cwd: dir, encoding: 'utf8', env, timeout: 120_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(1);
  expect(run.stdout).toContain('broken/cap-missing is broken on purpose (must fail SESS-CAP-1)');
  const failed = JSON.parse(readFileSync(join(dir, 'broken.json'), 'utf8')).checks.filter((c: any) => c.status === 'fail').map((c: any) => c.id);
  expect(failed).toEqual(['SESS-CAP-1']);
  const resolved = spawnSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('mcp-session-conformance/vitest'))"], { cwd: dir, encoding: 'utf8' });
  expect(resolved.stdout.trim(), resolved.stderr).toMatch(/node_modules\/mcp-session-conformance\/dist\/cli\/vitest\.js$/);
});
