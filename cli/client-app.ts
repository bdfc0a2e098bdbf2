// `client …`: resolve the client command (or the bundled reference client), run the scenarios,
// write the reports. Same outcomes, reports and exit codes as server mode.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runClientMode } from '../client-mode/run.js';
import { CLIENT_DEFAULT_TIMEOUT } from './client-args.js';
import type { Invocation } from './args.js';
import { shellQuote as quote, type Io } from './app.js';
import { checkOutputDirectory, checkOutputFile, checkWorkingDirectory } from './files.js';
import { formatConsoleReport, formatProgress } from '../reports/console.js';
import { join } from 'node:path';
import { loadProfile, UsageError } from '../runner/profiles.js';
import { Transcript } from '../harness/transcript.js';
import { TranscriptFile } from '../harness/transcript-file.js';
import type { RunResult } from '../runner/types.js';

/** The bundled reference client (built by reference-clients/), started with this Node. */
export function referenceClientCommand(): string {
  const file = fileURLToPath(new URL('../reference-clients/reference_client.js', import.meta.url));
  if (!existsSync(file)) throw new UsageError(`client --reference: the reference client is not built (${file} is missing)`);
  return [process.execPath, file].map(quote).join(' ');
}

export async function executeClient(inv: Invocation, io: Io, hooks: { exitCode(runs: RunResult[]): number; writeReports(inv: Invocation, run: RunResult): Promise<void> }): Promise<number> {
  const profile = loadProfile(inv.draft);
  const c = inv.client!;
  const command = c.reference ? referenceClientCommand() : c.command!;
  for (const [flag, file] of [['--json', inv.json], ['--junit', inv.junit], ['--markdown', inv.markdown]] as const) if (file) checkOutputFile(flag, file);
  if (inv.transcripts) checkOutputDirectory('--transcripts', inv.transcripts);
  if (inv.cwd) checkWorkingDirectory(inv.cwd);
  const file = inv.transcripts ? new TranscriptFile(join(inv.transcripts, 'transcript.jsonl'), { timings: inv.timings }) : undefined;
  let run: RunResult;
  try {
    run = await runClientMode({
      command,
      targetLabel: c.reference ? 'client: reference client (reference-clients/reference_client)' : `client: ${c.command}`,
      scenarios: c.scenarios,
      profile,
      seed: 0,
      strict: inv.strict,
      cwd: inv.cwd,
      env: inv.env,
      deadlineMs: c.timeout,
      transcript: new Transcript({}, file && ((e) => file.write(e))),
      rerun: (scenario) => rerunCommand(inv, scenario),
      onResult: inv.quiet || !io.progress ? undefined : (r) => io.progress!(`${formatProgress({ ...r, id: `${r.section} ${r.id}` }, { color: io.color })}\n`),
      signal: io.signal,
      transport: c.transport,
    });
  } finally {
    file?.close();
  }
  io.out(`${formatConsoleReport(run, { color: io.color, verbose: inv.verbose, timings: inv.timings })}\n`);
  await hooks.writeReports(inv, run);
  if (io.signal?.aborted) return 130;
  return hooks.exitCode([run]);
}

function rerunCommand(inv: Invocation, scenario: string): string {
  const c = inv.client!;
  const words = ['npx', 'mcp-session-conformance', 'client'];
  if (c.reference) words.push('--reference');
  else words.push('--command', quote(c.command!));
  words.push('--scenario', scenario);
  if (c.transport !== 'stdio') words.push('--transport', c.transport);
  if (inv.draft) words.push('--draft', inv.draft);
  if (c.timeout !== CLIENT_DEFAULT_TIMEOUT) words.push('--timeout', String(c.timeout));
  if (inv.strict) words.push('--strict');
  if (inv.cwd) words.push('--cwd', quote(inv.cwd));
  for (const [k, v] of Object.entries(inv.env)) words.push('--env', quote(`${k}=${v}`));
  return words.join(' ');
}
