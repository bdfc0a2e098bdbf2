// Command-line parsing: turns argv into a validated invocation, or a UsageError.
import { parseArgs } from 'node:util';
import { DEFAULT_DRAFT, UsageError } from '../runner/profiles.js';
import { CLIENT_HELP, parseClientArgs, type ClientInvocation } from './client-args.js';

export interface Invocation {
  command: 'run' | 'list' | 'explain' | 'help' | 'version' | 'client';
  /** The check id `explain` was asked about. */
  explainId?: string;
  /** Client mode (`client …`): the client under test and its scenarios. */
  client?: ClientInvocation;
  server?: string;
  reference?: string;
  /** Streamable HTTP endpoint (--url); with --server, `{port}` in it is a port the suite picks. */
  url?: string;
  /** --header "Name: value" pairs for HTTP targets (values never printed). */
  headers: [string, string][];
  /** Which transports a run speaks: --url implies http; --reference may ask for http or both. */
  transports: ('stdio' | 'http')[];
  draft: string;
  only: string[];
  skip: string[];
  strict: boolean;
  seed?: number;
  runs: number;
  replay?: string;
  requestTimeout: number;
  startTimeout: number;
  checkTimeout?: number;
  runTimeout: number;
  jobs?: number;
  json?: string;
  junit?: string;
  markdown?: string;
  /** Self-contained HTML report file. */
  html?: string;
  transcripts?: string;
  expectedFailures?: string;
  tool?: string;
  toolArgs?: Record<string, unknown>;
  app?: string;
  cwd?: string;
  env: Record<string, string>;
  protocolVersion?: string;
  advertiseClientSessions: boolean;
  timings: boolean;
  verbose: boolean;
  quiet: boolean;
  /** Live progress lines even when no terminal is attached (to stderr). */
  progress: boolean;
  /** `list --json` / `explain <id> --json`: JSON on stdout. */
  listJson: boolean;
  /** Workflow-command annotations after the report (`--annotations github`). */
  annotations?: 'github';
  /** Largest stdout message read from the target (bytes); undefined: the harness default. */
  maxMessageBytes?: number;
}

const OPTIONS = {
  server: { type: 'string' },
  reference: { type: 'string' },
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  transport: { type: 'string' },
  draft: { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  seed: { type: 'string' },
  runs: { type: 'string' },
  replay: { type: 'string' },
  timeout: { type: 'string' },
  'start-timeout': { type: 'string' },
  'check-timeout': { type: 'string' },
  'run-timeout': { type: 'string' },
  jobs: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  markdown: { type: 'string' },
  html: { type: 'string' },
  transcripts: { type: 'string' },
  'expected-failures': { type: 'string' },
  tool: { type: 'string' },
  'tool-args': { type: 'string' },
  app: { type: 'string' },
  cwd: { type: 'string' },
  env: { type: 'string', multiple: true },
  'protocol-version': { type: 'string' },
  'advertise-client-sessions': { type: 'boolean' },
  timings: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'list-json': { type: 'boolean' },
  'max-message-bytes': { type: 'string' },
  annotations: { type: 'string' },
  version: { type: 'boolean' },
} as const;

export function parseInvocation(argv: string[]): Invocation {
  if (argv[0] === 'client') {
    const { help, client, ...common } = parseClientArgs(argv.slice(1));
    return { ...CLIENT_DEFAULTS, ...common, command: help ? 'help' : 'client', client };
  }
  // `list --json` and `explain <id> --json` take no file name: they print JSON to stdout.
  if (argv[0] === 'list') {
    argv = argv.map((a, i) => (a === '--json' && (i === argv.length - 1 || argv[i + 1]!.startsWith('-')) ? '--list-json' : a));
  }
  if (argv[0] === 'explain') argv = argv.map((a) => (a === '--json' ? '--list-json' : a));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const sub = positionals[0] === 'list' || positionals[0] === 'explain' ? positionals[0] : undefined;
  const command = values.help ? 'help' : values.version ? 'version' : (sub ?? 'run');
  if (positionals.length > 0 && !sub) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (did you mean --server "${positionals.join(' ')}"?)`);
  }
  if (command === 'explain' && positionals.length !== 2) {
    throw new UsageError(positionals.length < 2 ? 'explain needs a check id, e.g. explain SESS-ERR-1 (ids: list)' : `explain takes one check id, not "${positionals.slice(1).join(' ')}"`);
  }
  if (sub !== 'explain' && positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (values.annotations !== undefined && values.annotations !== 'github') {
    throw new UsageError(`--annotations takes "github", not "${values.annotations}"`);
  }
  if (command === 'run' && !values.server && !values.reference && !values.url) {
    throw new UsageError('name a target: --server "<command>", --url <url> or --reference <name|all>');
  }
  if (values.server && values.reference) throw new UsageError('use either --server or --reference, not both');
  const transports = transportsOf(values);
  if (values['tool-args'] !== undefined && !values.tool) throw new UsageError('--tool-args needs --tool');
  for (const [flag, list] of [['--only', values.only], ['--skip', values.skip]] as const) {
    const client = splitList(list as string[] | undefined).find((p) => /^CLI(-|$)/i.test(p.trim()));
    if (client) throw new UsageError(`${flag} ${client}: the CLI-* ids judge MCP clients; run them with: mcp-session-conformance client --command "<client cmd>"`);
  }

  return {
    command,
    explainId: command === 'explain' ? positionals[1] : undefined,
    server: values.server,
    reference: values.reference,
    url: values.url,
    headers: (values.header ?? []).map(headerPair),
    transports,
    draft: values.draft ?? DEFAULT_DRAFT,
    only: splitList(values.only),
    skip: splitList(values.skip),
    strict: !!values.strict,
    seed: values.seed === undefined ? undefined : integer('--seed', values.seed, 0, 0x7fffffff),
    runs: values.runs === undefined ? 25 : integer('--runs', values.runs, 1, 100_000),
    replay: values.replay,
    requestTimeout: values.timeout === undefined ? 5000 : integer('--timeout', values.timeout, 10, 600_000),
    startTimeout: values['start-timeout'] === undefined ? 10_000 : integer('--start-timeout', values['start-timeout'], 10, 600_000),
    checkTimeout: values['check-timeout'] === undefined ? undefined : integer('--check-timeout', values['check-timeout'], 100, 3_600_000),
    runTimeout: values['run-timeout'] === undefined ? 300_000 : integer('--run-timeout', values['run-timeout'], 100, 86_400_000),
    jobs: values.jobs === undefined ? undefined : integer('--jobs', values.jobs, 1, 64),
    json: values.json,
    junit: values.junit,
    markdown: values.markdown,
    html: values.html,
    transcripts: values.transcripts,
    expectedFailures: values['expected-failures'],
    tool: values.tool,
    toolArgs: values['tool-args'] === undefined ? undefined : jsonObject('--tool-args', values['tool-args']),
    app: values.app,
    cwd: values.cwd,
    env: Object.fromEntries((values.env ?? []).map(envPair)),
    protocolVersion: values['protocol-version'],
    advertiseClientSessions: !!values['advertise-client-sessions'],
    timings: !!values.timings,
    verbose: !!values.verbose,
    quiet: !!values.quiet,
    progress: !!values.progress && !values.quiet,
    listJson: (command === 'list' || command === 'explain') && (!!values['list-json'] || values.json !== undefined),
    annotations: values.annotations as 'github' | undefined,
    maxMessageBytes:
      values['max-message-bytes'] === undefined ? undefined : integer('--max-message-bytes', values['max-message-bytes'], 1024, 1024 * 1024 * 1024),
  };
}

const PORT = '{port}';

/** The transports of the run, checked against the target flags (usage errors, exit 2). */
function transportsOf(values: { server?: string; reference?: string; url?: string; header?: string[]; transport?: string }): ('stdio' | 'http')[] {
  const t = values.transport;
  if (t !== undefined && !['stdio', 'http', 'both'].includes(t)) throw new UsageError(`--transport takes stdio, http or both, not "${t}"`);
  if (values.url !== undefined) {
    if (values.reference) throw new UsageError('--url names a server of your own; a bundled reference takes --transport http instead');
    if (t !== undefined && t !== 'http') throw new UsageError(`--url speaks Streamable HTTP: --transport ${t} does not fit`);
    let parsed: URL;
    try {
      parsed = new URL(values.url.split(PORT).join('1'));
    } catch {
      throw new UsageError(`--url is not a URL: "${values.url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url must be http:// or https://, not "${parsed.protocol}"`);
    const hasPort = values.url.includes(PORT);
    if (values.server && !hasPort) {
      throw new UsageError('--server with --url: put {port} in the URL (e.g. http://127.0.0.1:{port}/mcp) and in the command; the suite starts several target processes, each on a free port of its own');
    }
    if (!values.server && hasPort) throw new UsageError('--url contains {port}, which only a server the suite starts (--server) can listen on');
    return ['http'];
  }
  if (values.server && t === 'http') throw new UsageError('--server over HTTP needs --url "http://127.0.0.1:{port}/mcp" (and {port} in the command)');
  if (values.server && t === 'both') throw new UsageError('--transport both is for --reference; test your server over each transport in its own run');
  if ((values.header ?? []).length > 0 && !(values.reference && t !== undefined && t !== 'stdio')) throw new UsageError('--header is for HTTP targets (--url)');
  return t === 'both' ? ['stdio', 'http'] : t === 'http' ? ['http'] : ['stdio'];
}

/** `Name: value` (an HTTP token, then the value); the value is kept, never printed. */
function headerPair(text: string): [string, string] {
  const at = text.indexOf(':');
  const name = at > 0 ? text.slice(0, at).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header takes "Name: value" (got a header without a valid name)`);
  const value = text.slice(at + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header ${name}: the value may not contain line breaks`);
  if (['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'content-length', 'host'].includes(name.toLowerCase())) {
    throw new UsageError(`--header ${name}: the suite sets this header itself`);
  }
  return [name, value];
}

/** Server-mode fields a client-mode invocation does not use. */
const CLIENT_DEFAULTS = {
  only: [] as string[],
  skip: [] as string[],
  runs: 25,
  requestTimeout: 5000,
  startTimeout: 10_000,
  runTimeout: 300_000,
  advertiseClientSessions: false,
  listJson: false,
  headers: [] as [string, string][],
  transports: ['stdio'] as ('stdio' | 'http')[],
};

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} takes a whole number, not "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max}`);
  return value;
}

function jsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${flag} must be a JSON object`);
  return value as Record<string, unknown>;
}

function envPair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--env takes NAME=value, not "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

export const HELP = `mcp-session-conformance — conformance tests for the draft MCP data-layer sessions extension

Usage:
  mcp-session-conformance --server "<command>" [options]   test a server started by <command> (stdio)
  mcp-session-conformance --url <url> [options]            test a running server over Streamable HTTP
  mcp-session-conformance --server "<cmd with {port}>" --url "http://127.0.0.1:{port}/mcp"
                                                           start a server and test it over HTTP
  mcp-session-conformance --reference <name|all> [options] test a bundled reference server (all: matrix)
  mcp-session-conformance list [--json] [--draft <rev>]     list every check and its level
  mcp-session-conformance explain <id> [--json]             a check's rule, levels per draft, source,
                            how it is tested, an example failure and the usual fix
  mcp-session-conformance client --command "<client cmd>"  test an MCP client (see Client mode below)
  mcp-session-conformance --help | --version

Target:
  --server "<cmd>"          run by /bin/sh -c in its own process group; spoken to over stdio
                            (or over HTTP with --url; {port} in both is a free port per process)
  --url <url>               Streamable HTTP endpoint (MCP 2025-11-25); alone: an already running
                            server (checks that need a restart are skipped)
  --header "Name: value"    extra HTTP request header, repeatable (e.g. auth); values are redacted
  --transport <t>           stdio (default), http or both: how --reference servers are spoken to
  --reference <name|all>    session_server, session_required_server, notebook_server,
                            hashcheck_server, selective_session_server, client_notes_server, all
  --reference broken/<name> a server broken on purpose (dist/reference-servers/broken/), to see
                            what a failure looks like; it prints the ids its manifest says it fails
  --cwd <dir>, --env K=V    working directory and extra environment of the target
  --tool <name> --tool-args '<json>'   the tool to drive sessions through (default: discovered)
  --app <name>              declare the target as this reference application (a --reference
                            name): it is then held to that app's demo script and model (SESS-ISO)
  --protocol-version <v>    protocolVersion sent in initialize (default 2025-11-25)
  --advertise-client-sessions   advertise capabilities.experimental["experimental/sessions"]

Selection and verdicts:
  --draft <rev>             2026-02-27 (default) or 2026-03-13
  --only / --skip <ids>     ids, prefixes (SESS-DELETE) or globs (SESS-*-1); comma-separated, repeatable
  --strict                  SHOULD-level warnings fail the run
  --expected-failures <f>   known failures (JSON [{id, reason}] or lines "ID reason"); stale entries fail
  --seed <n>                seed for every random choice (printed; reuse it to rerun exactly)
  --runs <n>                property-based runs (default 25); --replay '<path>' replays one case

Time and parallelism:
  --timeout <ms>            per-request deadline (default 5000)
  --start-timeout <ms>      deadline for the initialize answer (default 10000)
  --check-timeout <ms>      base deadline of one check (default 30000; grows by --timeout per request)
  --run-timeout <ms>        bound on the whole run (default 300000; past it: incomplete, exit 5)
  --jobs <n>                target processes / parallel checks (default: number of cores)
  --max-message-bytes <n>   largest stdout message read from the target (default 67108864, 64 MiB);
                            a longer one fails BASE-WIRE-1 as too large

Reports:
  --json <file> --junit <file> --markdown <file>   (with --reference all: one file per server,
                            named <file-stem>.<server>.<ext>)
  --html <file>             one self-contained page: verdict, counts, filter by status, each
                            failure explained with its transcript and a copyable rerun command
  --transcripts <dir>       full transcript per target, one JSON line per message
  --annotations github      after the report, one GitHub workflow command per failing check
                            (::error) and warning (::warning), titled with the check id
  --timings                 include wall times in JSON/JUnit (off: two runs diff clean)
  -v, --verbose             show passing checks' notes; -q, --quiet: no live progress
  --progress                live progress lines on stderr even without a terminal (by default
                            they appear only on a terminal, so a redirected report lists each check once)

${CLIENT_HELP.trim()}

Exit codes: 0 conformant, 1 non-conformant, 2 usage error, 3 target could not be started,
4 internal error, 5 incomplete (the run was cut short by --run-timeout or a check was not
fully judged: never conformant), 6 a report file could not be written after the run (the
others were), 130/143 interrupted (SIGINT/SIGTERM; reports say incomplete).
Run it against a test instance of your server: probing calls your tools.
`;
