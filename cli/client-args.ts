// Parsing of `mcp-session-conformance client …` (client conformance mode).
import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, type ScenarioName } from '../client-mode/catalog.js';
import { DEFAULT_DRAFT, UsageError } from '../runner/profiles.js';

export interface ClientInvocation {
  /** The client command (absent with --reference). */
  command?: string;
  reference: boolean;
  scenarios: ScenarioName[];
  transport: 'stdio' | 'http';
  /** Deadline of one scenario, ms. */
  timeout: number;
}

export const CLIENT_DEFAULT_TIMEOUT = 20_000;

const OPTIONS = {
  command: { type: 'string' },
  reference: { type: 'boolean' },
  scenario: { type: 'string', multiple: true },
  draft: { type: 'string' },
  transport: { type: 'string' },
  timeout: { type: 'string' },
  strict: { type: 'boolean' },
  json: { type: 'string' },
  junit: { type: 'string' },
  markdown: { type: 'string' },
  transcripts: { type: 'string' },
  cwd: { type: 'string' },
  env: { type: 'string', multiple: true },
  timings: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The common fields server mode's Invocation also has, plus the client part. */
export interface ParsedClient {
  draft: string;
  strict: boolean;
  json?: string;
  junit?: string;
  markdown?: string;
  transcripts?: string;
  cwd?: string;
  env: Record<string, string>;
  timings: boolean;
  verbose: boolean;
  quiet: boolean;
  progress: boolean;
  /** --help was given: print the usage, run nothing. */
  help: boolean;
  client: ClientInvocation;
}

/** `argv` without the leading `client`. */
export function parseClientArgs(argv: string[]): ParsedClient {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`client: ${(err as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { ...EMPTY, help: true };
  if (positionals.length > 0) throw new UsageError(`client: unexpected argument "${positionals[0]}" (did you mean --command "${positionals.join(' ')}"?)`);
  if (!values.command && !values.reference) throw new UsageError('client: name a client: --command "<client command>" or --reference');
  if (values.command && values.reference) throw new UsageError('client: use either --command or --reference, not both');
  if (values.command !== undefined && values.command.trim() === '') throw new UsageError('client: --command is empty');
  const scenarios = (values.scenario ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const s of scenarios) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(s)) throw new UsageError(`client: unknown scenario "${s}" (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  const transport = values.transport ?? 'stdio';
  if (transport !== 'stdio' && transport !== 'http') throw new UsageError(`client: --transport takes stdio or http, not "${transport}"`);
  let timeout = CLIENT_DEFAULT_TIMEOUT;
  if (values.timeout !== undefined) {
    if (!/^\d+$/.test(values.timeout.trim())) throw new UsageError(`client: --timeout takes a whole number of ms, not "${values.timeout}"`);
    timeout = Number(values.timeout);
    if (timeout < 100 || timeout > 3_600_000) throw new UsageError('client: --timeout must be between 100 and 3600000 ms');
  }
  return {
    draft: values.draft ?? DEFAULT_DRAFT,
    strict: !!values.strict,
    json: values.json,
    junit: values.junit,
    markdown: values.markdown,
    transcripts: values.transcripts,
    cwd: values.cwd,
    env: Object.fromEntries((values.env ?? []).map(envPair)),
    timings: !!values.timings,
    verbose: !!values.verbose,
    quiet: !!values.quiet,
    progress: !!values.progress && !values.quiet,
    help: false,
    client: {
      command: values.command,
      reference: !!values.reference,
      scenarios: scenarios.length > 0 ? [...new Set(scenarios)] as ScenarioName[] : [...SCENARIO_NAMES],
      transport,
      timeout,
    },
  };
}

const EMPTY: ParsedClient = {
  draft: DEFAULT_DRAFT,
  strict: false,
  env: {},
  timings: false,
  verbose: false,
  quiet: false,
  progress: false,
  help: false,
  client: { reference: false, scenarios: [...SCENARIO_NAMES], transport: 'stdio', timeout: CLIENT_DEFAULT_TIMEOUT },
};

function envPair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`client: --env takes NAME=value, not "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

export const CLIENT_HELP = `
Client mode (judge an MCP client's session handling):
  mcp-session-conformance client --command "<client cmd>" [options]
  mcp-session-conformance client --reference [options]     the bundled reference client
  For each scenario the suite starts a scripted session server and runs <client cmd> by
  /bin/sh -c (own process group, deadline) with MCP_CONFORMANCE_SCENARIO and
  MCP_CONFORMANCE_SERVER_COMMAND (a command that starts a stdio server connected to the suite);
  with --transport http: MCP_CONFORMANCE_SERVER_URL (two-servers: also MCP_CONFORMANCE_SERVER_URL_2).
  --scenario <name>         ${SCENARIO_NAMES.join(', ')} (default: all; repeatable)
  --draft <rev>, --strict, --json/--junit/--markdown <file>, --transcripts <dir>, --cwd, --env
  --timeout <ms>            deadline of one scenario (default ${CLIENT_DEFAULT_TIMEOUT})
  --transport stdio|http    how the client reaches the scripted server (default stdio)
`;
