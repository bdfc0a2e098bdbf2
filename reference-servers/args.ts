// The command line every reference server (and broken variant) accepts:
//   [--draft 2026-02-27|2026-03-13] [--transport stdio|http] [--port N]
// stdio is the default; `--transport http` needs `--port` (0 = any free port, printed on stderr).

import { DRAFTS, type Draft } from './behaviour.js';

export type TransportName = 'stdio' | 'http';

export interface ServerArgs {
  draft: Draft;
  transport: TransportName;
  /** Only with `--transport http`. */
  port?: number;
}

const USAGE = `usage: node <server>.js [--draft ${DRAFTS.join('|')}] [--transport stdio|http] [--port N]\n`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}`);
  process.exit(2);
}

/** Parses the server's arguments; exits with status 2 and the usage on anything unknown. */
export function parseServerArgs(argv: string[]): ServerArgs {
  const values: Record<string, string> = { draft: '2026-02-27', transport: 'stdio' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--(draft|transport|port)(?:=(.*))?$/.exec(arg);
    if (!match) usage(`unknown argument: ${arg}`);
    values[match[1]!] = match[2] ?? argv[++i] ?? '';
  }
  if (!(DRAFTS as readonly string[]).includes(values.draft!)) usage(`unknown draft: ${values.draft} (known: ${DRAFTS.join(', ')})`);
  if (values.transport !== 'stdio' && values.transport !== 'http') usage(`unknown transport: ${values.transport}`);
  const args: ServerArgs = { draft: values.draft as Draft, transport: values.transport };
  if (values.port !== undefined) {
    if (args.transport !== 'http') usage('--port needs --transport http');
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) usage(`bad port: ${values.port}`);
    args.port = port;
  } else if (args.transport === 'http') {
    usage('--transport http needs --port N');
  }
  return args;
}
