// Runs the built CLI as a child process, as a user would, and reads its reports back.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as BrokenCatalog from '../../reference-servers/broken-catalog.js';
import type * as Catalog from '../../reference-servers/catalog.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist/cli/bin.js');

export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  json?: any;
  dir: string;
}

// The built catalog, as the CLI's `--reference broken/<name>` starts the server: from the build's
// start-up snapshot when this Node made it, else from its file (reference-servers/launch.ts).
const brokenCatalog = (await import(pathToFileURL(join(ROOT, 'dist/reference-servers/broken-catalog.js')).href)) as typeof BrokenCatalog;
const catalog = (await import(pathToFileURL(join(ROOT, 'dist/reference-servers/catalog.js')).href)) as typeof Catalog;

/** A /bin/sh command line that starts the compiled broken server `name`. */
export function brokenServer(name: string, draft?: string): string {
  return brokenCatalog.brokenServerCommand(name, draft);
}

/**
 * A /bin/sh command line that starts the compiled reference server `name` as `--reference`
 * does (from the snapshot when this Node made it), for a test that runs it with `--server`.
 */
export function referenceServer(name: string, draft?: string): string {
  return catalog.referenceCommand(name, draft);
}

/** Runs the CLI with `args` plus a JSON report in a temp dir; resolves when it exits. */
export function runCli(args: string[], opts: { timeoutMs?: number; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'msc-test-'));
  const jsonPath = join(dir, 'report.json');
  const full = args.includes('--json') || args[0] === 'list' || args[0] === 'explain' ? args : [...args, '--json', jsonPath];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...full], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Past the limit: SIGTERM, so the CLI kills its targets' process groups on the way out (a
    // SIGKILLed CLI cannot, and a launched HTTP server, which does not read its stdin, would
    // outlive it); SIGKILL only if it is still there 5 s later.
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      reject(new Error(`CLI did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      const json = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : undefined;
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, json, dir });
    });
  });
}

export function idsWithStatus(report: any, statuses: string[]): string[] {
  return report.checks.filter((c: any) => statuses.includes(c.status)).map((c: any) => c.id).sort();
}
