// Runs the GitHub Action's step (dist/cli/github-action.js) as the runner would: inputs as
// INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointed at temporary files, and reads
// everything back: the outputs, the job summary, the annotations and the exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../conformance/run-cli.js';

export const ACTION_SCRIPT = join(ROOT, 'dist/cli/github-action.js');

export interface Annotation {
  kind: string;
  /** Properties, unescaped. */
  props: Record<string, string>;
  /** The message, unescaped. */
  message: string;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands the runner would act on (outside a ::stop-commands:: block). */
  commands: string[];
  annotations: Annotation[];
  /** Lines inside ::stop-commands:: … ::<token>:: (the runner ignores commands there). */
  guarded: string[];
}

/** Parses a $GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM … DELIM` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`output ${heredoc[1]}: no closing delimiter`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not an output line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/**
 * What the Actions runner does with stdout: a line that, trimmed, starts with `::` is a workflow
 * command, unless it lies between ::stop-commands::TOKEN and ::TOKEN::.
 */
export function readCommands(stdout: string): { commands: string[]; annotations: Annotation[]; guarded: string[] } {
  const commands: string[] = [];
  const guarded: string[] = [];
  let token: string | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (token !== undefined) {
      if (line === `::${token}::`) token = undefined;
      else guarded.push(raw);
      continue;
    }
    if (!line.startsWith('::')) continue;
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) token = stop[1]!;
    else commands.push(line);
  }
  if (token !== undefined) throw new Error('::stop-commands:: was never resumed');
  const annotations = commands.flatMap((c) => {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(c);
    if (!m) return [];
    const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
    return [{ kind: m[1]!, props, message: unescape(m[3]!) }];
  });
  return { commands, annotations, guarded };
}

export function runAction(inputs: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'msc-action-'));
  const outputFile = join(dir, 'github-output');
  const summaryFile = join(dir, 'step-summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_)/.test(k)) env[k] = v;
  Object.assign(env, { NO_COLOR: '1', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: dir });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k}`] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION_SCRIPT], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the action did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({
          code,
          stdout,
          stderr,
          outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
          summary: readFileSync(summaryFile, 'utf8'),
          ...readCommands(stdout),
        });
      } catch (err) {
        reject(err);
      }
    });
  });
}
