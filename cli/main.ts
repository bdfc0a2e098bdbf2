// The command line: parse arguments, run, return the exit code. All logic lives in app.ts.
import { execute, EXIT } from './app.js';
import { HELP, parseInvocation } from './args.js';
import { installExitHandlers, onInterrupt } from '../harness/process.js';
import { UsageError } from '../runner/profiles.js';
import { colorEnabled } from '../reports/console.js';
import { TOOL_VERSION } from '../harness/version.js';

export async function main(argv: string[]): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mcp-session-conformance: ${err.message}\nRun with --help for usage.\n`);
    return EXIT.usage;
  }
  if (invocation.command === 'help') {
    process.stdout.write(HELP);
    return EXIT.conformant;
  }
  if (invocation.command === 'version') {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.conformant;
  }
  const interrupted = new AbortController();
  let finished: Promise<unknown> = Promise.resolve();
  installExitHandlers();
  // On Ctrl-C: stop the run, let it write the reports of what finished, then exit (bounded).
  onInterrupt(async () => {
    interrupted.abort();
    await finished;
  });
  try {
    // Live progress only where a person watches: stdout if it is a terminal, else stderr if
    // that is one (or with --progress); a report redirected to a file or pipe lists each check once.
    const progressTo = process.stdout.isTTY ? process.stdout : process.stderr.isTTY || invocation.progress ? process.stderr : undefined;
    const running = execute(invocation, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      progress: progressTo ? (text) => progressTo.write(text) : undefined,
      color: colorEnabled(process.stdout),
      signal: interrupted.signal,
    });
    finished = running.catch(() => undefined);
    return await running;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mcp-session-conformance: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`mcp-session-conformance: internal error: ${(err as Error)?.stack ?? err}\n`);
    return EXIT.internal;
  }
}
