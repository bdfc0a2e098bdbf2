// The command line: parse arguments, run, return the exit code. All logic lives in app.ts.
import { isatty } from 'node:tty';
import { execute, EXIT } from './app.js';
import { HELP, parseInvocation } from './args.js';
import { installExitHandlers, onInterrupt } from '../harness/process-groups.js';
import { UsageError } from '../runner/profiles.js';
import { colorEnabled } from '../reports/console.js';
import { TOOL_VERSION } from '../harness/version.js';

/**
 * Output that survives a reader who went away (`… | head -1`): the first EPIPE closes the stream
 * for good and later writes are dropped, so the run goes on and still writes its report files.
 * The stream is opened at the first write: creating process.stdout costs 2–5 ms of CPU (a pipe
 * most of all), which a run spends after it has started its target (issue 15: the CLI's start).
 */
export function guardedWriter(open: () => NodeJS.WriteStream): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  let closed = false;
  return (text) => {
    if (closed) return;
    if (!stream) {
      stream = open();
      // EPIPE (the reader left) or any other write error: stop writing, never crash the run.
      stream.on('error', () => {
        closed = true;
      });
    }
    try {
      stream.write(text);
    } catch {
      closed = true;
    }
  };
}

const stdout = guardedWriter(() => process.stdout);
const stderr = guardedWriter(() => process.stderr);

export async function main(argv: string[]): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr(`mcp-session-conformance: ${err.message}\nRun with --help for usage.\n`);
    return EXIT.usage;
  }
  if (invocation.command === 'help') {
    stdout(HELP);
    return EXIT.conformant;
  }
  if (invocation.command === 'version') {
    stdout(`${TOOL_VERSION}\n`);
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
    // (isatty(fd) is what process.stdout.isTTY reports, without opening the stream.)
    const running = execute(invocation, {
      out: stdout,
      err: stderr,
      progress: isatty(1) ? stdout : isatty(2) || invocation.progress ? stderr : undefined,
      color: colorEnabled({ isTTY: isatty(1) }),
      signal: interrupted.signal,
    });
    finished = running.catch(() => undefined);
    return await running;
  } catch (err) {
    if (err instanceof UsageError) {
      stderr(`mcp-session-conformance: ${err.message}\n`);
      return EXIT.usage;
    }
    stderr(`mcp-session-conformance: internal error: ${(err as Error)?.stack ?? err}\n`);
    return EXIT.internal;
  }
}
