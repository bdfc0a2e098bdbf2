// One scenario: start the scripted server's endpoint, run the client command through /bin/sh in
// its own process group (harness/process.ts: registry, group kill, run marker) with the
// scenario's environment, wait for its exit against the deadline, then end everything it left.
import { StdioTransport } from '../harness/process.js';
import type { Transcript } from '../harness/transcript.js';
import type { ExitInfo, Profile } from '../harness/types.js';
import { ENV, SCENARIOS, type ScenarioName } from './catalog.js';
import { MessageLog, SocketEndpoint, type ConnRecord, type ScenarioEndpoint } from './endpoint.js';
import { HttpEndpoint } from './http-endpoint.js';

export interface LaunchOptions {
  scenario: ScenarioName;
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  profile: Profile;
  transcript: Transcript;
  /** Deadline for the whole scenario (the client's run), ms. */
  deadlineMs: number;
  nextConn: () => number;
  signal?: AbortSignal;
  /** stdio (default): MCP_CONFORMANCE_SERVER_COMMAND; http: MCP_CONFORMANCE_SERVER_URL(_2). */
  transport?: 'stdio' | 'http';
}

export interface ScenarioRecord {
  scenario: ScenarioName;
  connections: ConnRecord[];
  /** How the client ended: its own exit, or null when the suite had to end it. */
  exit: ExitInfo | null;
  /** The client was still running at the deadline (and was killed). */
  timedOut: boolean;
  /** The run was interrupted while the scenario ran. */
  interrupted: boolean;
  /** /bin/sh could not be spawned at all (a harness-side problem). */
  spawnError?: string;
  stderrTail: string[];
  /** Lines the client printed on its own stdout (not protocol: recorded as notes). */
  stdoutLines: number;
  ms: number;
  /** The transcript seqs of this scenario: [fromSeq, toSeq). */
  fromSeq: number;
  toSeq: number;
}

/** After the client exits, how long its relays may take to deliver their last lines. */
const DRAIN_MS = 1000;

export async function launchScenario(opts: LaunchOptions): Promise<ScenarioRecord> {
  const started = performance.now();
  const fromSeq = opts.transcript.nextSeq();
  const log = new MessageLog(opts.scenario, opts.profile, opts.transcript, opts.nextConn);
  const servers = SCENARIOS.find((s) => s.name === opts.scenario)!.servers;
  const endpoint: ScenarioEndpoint = opts.transport === 'http' ? new HttpEndpoint(log, servers) : new SocketEndpoint(log);
  const env: Record<string, string> = {
    ...opts.env,
    // The other transport's variables are emptied, so a stale export in the user's shell cannot point the client elsewhere.
    [ENV.serverCommand]: '',
    [ENV.serverUrl]: '',
    [ENV.serverUrl2]: '',
    [ENV.scenario]: opts.scenario,
  };
  try {
    await endpoint.listen();
  } catch (err) {
    return { scenario: opts.scenario, connections: [], exit: null, timedOut: false, interrupted: false, spawnError: `the suite could not open its server endpoint: ${(err as Error).message}`, stderrTail: [], stdoutLines: 0, ms: 0, fromSeq, toSeq: fromSeq };
  }
  Object.assign(env, endpoint.environment());
  // The client's stdout is not the protocol (it talks to the servers it starts): its end is no
  // verdict, the exit is. Otherwise an exit reported more than the transport's drain (200 ms)
  // after stdout ended, as on a loaded machine, read as "closed its stdout while running".
  const client = new StdioTransport(opts.command, { cwd: opts.cwd, env, graceMs: 300, stdoutIsConnection: false });
  let stdoutLines = 0;
  client.onLine((line) => {
    stdoutLines++;
    opts.transcript.note(`client stdout: ${line}`);
  });
  client.onStderr((line) => opts.transcript.add({ conn: 0, dir: 'stderr', text: line }));
  const record = (extra: Partial<ScenarioRecord>): ScenarioRecord => ({
    scenario: opts.scenario,
    connections: endpoint.connections,
    exit: null,
    timedOut: false,
    interrupted: false,
    stderrTail: client.stderrTail(),
    stdoutLines,
    ms: Math.round(performance.now() - started),
    fromSeq,
    toSeq: opts.transcript.nextSeq(),
    ...extra,
  });
  opts.transcript.note(`scenario ${opts.scenario}: starting the client: ${opts.command}`);
  try {
    await client.start();
  } catch (err) {
    await endpoint.close();
    return record({ spawnError: `could not start /bin/sh for the client: ${(err as Error).message}` });
  }

  const exited = new Promise<ExitInfo>((resolve) => client.onExit(resolve));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((r) => (timer = setTimeout(() => r('deadline'), opts.deadlineMs)));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'interrupted'>((r) => {
    onAbort = () => r('interrupted');
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const first = await Promise.race([exited, deadline, aborted]);
  clearTimeout(timer);
  if (onAbort) opts.signal?.removeEventListener('abort', onAbort);

  let exit: ExitInfo | null = null;
  if (typeof first === 'object') {
    exit = first;
    opts.transcript.note(`scenario ${opts.scenario}: the client exited (code ${first.code}, signal ${first.signal})`);
    await endpoint.drained(DRAIN_MS);
  } else if (first === 'deadline') {
    opts.transcript.note(`scenario ${opts.scenario}: the client was still running at the deadline (${opts.deadlineMs} ms): ending its process group`);
  }
  await client.close();
  await endpoint.close();
  return record({ exit, timedOut: first === 'deadline', interrupted: first === 'interrupted', stderrTail: client.stderrTail() });
}
