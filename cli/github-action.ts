// The GitHub Action's one step (action.yml): turns the action's inputs into CLI words, runs the
// CLI with --annotations github, then hands its results to the workflow: the step outputs
// ($GITHUB_OUTPUT), the Markdown report on the job page ($GITHUB_STEP_SUMMARY), and the CLI's
// exit code. A thin wrapper: every verdict, count and annotation comes from the CLI's reports.
//   INPUT_SERVER, INPUT_URL, INPUT_DRAFT, INPUT_ONLY, INPUT_SKIP, INPUT_EXPECTED_FAILURES,
//   INPUT_ARGS (extra CLI words, quoted as in a shell) — action.yml maps its inputs onto these.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('./bin.js', import.meta.url));
/** Statuses counted as `failed`: every one that keeps a run from being conformant. */
const FAILED = ['fail', 'untestable', 'incomplete', 'harness-error'];
const STDERR_TAIL = 20;

/** Words of a shell-like string: whitespace separates, '…' and "…" quote, \ escapes. No expansion. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (ch === '\\' && i + 1 < text.length && (quote === undefined || '"\\$`'.includes(text[i + 1]!))) {
      word = (word ?? '') + text[++i];
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + ch;
  }
  if (quote) throw new Error(`args: unclosed ${quote} quote`);
  if (word !== undefined) words.push(word);
  return words;
}

function input(name: string): string | undefined {
  const value = process.env[`INPUT_${name}`]?.trim();
  return value ? value : undefined;
}

/** Whether this CLI knows an option (e.g. --html, added by another change): read from its --help. */
function cliKnows(flag: string): boolean {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  return new RegExp(`(^|\\s)${flag}\\b`, 'm').test(help.stdout ?? '');
}

export interface ReportPaths {
  json: string;
  junit: string;
  markdown: string;
  html?: string;
}

/** The CLI words for the inputs; report files go to `paths`. */
export function cliWords(paths: ReportPaths): string[] {
  const words: string[] = [];
  const server = input('SERVER');
  const url = input('URL');
  if (server) words.push('--server', server);
  if (url) words.push('--url', url);
  const draft = input('DRAFT');
  if (draft) words.push('--draft', draft);
  for (const [name, flag] of [['ONLY', '--only'], ['SKIP', '--skip'], ['EXPECTED_FAILURES', '--expected-failures']] as const) {
    const value = input(name);
    if (value) words.push(flag, value);
  }
  words.push(...splitWords(input('ARGS') ?? ''));
  words.push('--annotations', 'github', '--json', paths.json, '--junit', paths.junit, '--markdown', paths.markdown);
  if (paths.html) words.push('--html', paths.html);
  return words;
}

/** A step output; the heredoc form, so no value can end the entry early or add another. */
function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

function appendSummary(text: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

/** Runs the CLI: stdout straight to the log (its report and annotations), stderr too, with a tail kept. */
function runCli(words: string[]): Promise<{ code: number; stderr: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...words], { stdio: ['ignore', 'inherit', 'pipe'] });
    const tail: string[] = [];
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      tail.push(...lines);
      tail.splice(0, Math.max(0, tail.length - STDERR_TAIL));
    });
    child.on('close', (code, signal) => {
      if (partial) tail.push(partial);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 143), stderr: tail.slice(-STDERR_TAIL) });
    });
  });
}

export async function runAction(): Promise<number> {
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'mcp-session-conformance-'));
  mkdirSync(dir, { recursive: true });
  const paths: ReportPaths = {
    json: join(dir, 'report.json'),
    junit: join(dir, 'junit.xml'),
    markdown: join(dir, 'report.md'),
    html: cliKnows('--html') ? join(dir, 'report.html') : undefined,
  };
  let words: string[];
  try {
    words = cliWords(paths);
  } catch (err) {
    process.stderr.write(`mcp-session-conformance action: ${(err as Error).message}\n`);
    process.stdout.write(`::error title=mcp-session-conformance::${(err as Error).message}\n`);
    return 2;
  }
  const { code, stderr } = await runCli(words);
  const report = existsSync(paths.json) ? JSON.parse(readFileSync(paths.json, 'utf8')) : undefined;
  const summary: Record<string, number> = report?.summary ?? {};
  const count = (statuses: string[]) => String(statuses.reduce((n, s) => n + (summary[s] ?? 0), 0));
  setOutput('verdict', report?.verdict ?? 'error');
  setOutput('exit-code', String(code));
  setOutput('passed', count(['pass']));
  setOutput('failed', count(FAILED));
  setOutput('warnings', count(['warn']));
  setOutput('skipped', count(['skip']));
  for (const [name, path] of [['json', paths.json], ['junit', paths.junit], ['html', paths.html], ['markdown', paths.markdown]] as const) {
    setOutput(name, path && existsSync(path) ? path : '');
  }
  if (existsSync(paths.markdown)) appendSummary(readFileSync(paths.markdown, 'utf8'));
  else {
    const fence = '```';
    appendSummary(`## mcp-session-conformance: no report (exit code ${code})\n\n${fence}text\n${stderr.join('\n').replace(/`{3,}/g, "'''")}\n${fence}\n`);
  }
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runAction().then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`mcp-session-conformance action: internal error: ${(err as Error)?.stack ?? err}\n`);
      process.exitCode = 4;
    },
  );
}
