// The MCP 2025-11-25 lifecycle on top of a peer: start the target, `initialize`, then
// `notifications/initialized`. A target that cannot get that far is closed (nothing left
// running) and reported as a StartFailure, never thrown.

import { Peer } from './peer.js';
import { QUEUED, ServiceQueue, sharedServiceQueue } from './service-queue.js';
import { StdioTransport } from './process.js';
import type { Transcript } from './transcript.js';
import type { ExitInfo, Profile, TargetSpec, Transport } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { isObject, safeStringify } from './values.js';

export const DEFAULT_PROTOCOL_VERSION = '2025-11-25';
/** Default bound on one stdout message (bytes): generous, still a bound (see --max-message-bytes). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/**
 * Non-JSON output a target may print on stdout before it answers initialize (banners, a
 * stray log line or two); past either bound the harness gives up on it at once.
 */
export const MAX_NOISE_BYTES_BEFORE_INIT = 1024 * 1024;
export const MAX_NOISE_LINES_BEFORE_INIT = 10_000;
/** After a target that never answered initialize is closed: how long its last output may take to arrive. */
const DRAINED_MS = 250;

export interface Connection {
  peer: Peer;
  /** The raw initialize answer: `result` exactly as sent (capabilities included) and the whole message. */
  initialize: { result: any; message: any };
  /** Process group id of the target (the /bin/sh leader's pid). */
  pid: number | undefined;
  close(): Promise<ExitInfo>;
}

export interface StartFailure {
  failed: true;
  /** 'buffered': no answer in time, but the answer came out when the target's stdin was closed (block-buffered stdout). */
  reason: 'exit' | 'timeout' | 'buffered' | 'error-response' | 'invalid-response' | 'spawn' | 'noise';
  detail: string;
  stderrTail: string[];
  exit?: ExitInfo;
}

export interface ConnectContext {
  transcript: Transcript;
  profile: Profile;
  conn: number;
  check?: string;
  /** Aborting closes the target, even while it is still starting (Ctrl-C). */
  signal?: AbortSignal;
  /** Request id prefix (seeded by the runner, so a rerun sends the same ids). */
  idPrefix?: string;
  /** Called once the target is spawned, before it answers initialize (its peer, to watch it). */
  onSpawned?(peer: Peer): void;
}

/**
 * Stdio for a command; Streamable HTTP for a URL (the command, if any, is launched on a port of its
 * own). The HTTP transport (and its SSE parser) loads only for an HTTP run: a stdio run's first
 * spawn does not wait for it (issue 15: the CLI's start).
 */
async function transportFor(spec: TargetSpec, profile: Profile): Promise<Transport> {
  const maxMessageBytes = spec.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (!spec.http) return new StdioTransport(spec.command ?? '', { cwd: spec.cwd, env: spec.env, maxLineBytes: maxMessageBytes });
  const { HttpTransport } = await import('./http/transport.js');
  return new HttpTransport({
    url: spec.http.url,
    headers: spec.http.headers,
    metaKey: profile.metaKey,
    maxMessageBytes,
    // A last-resort bound per exchange; the peer's own deadlines (--timeout) decide first.
    exchangeMs: 10 * Math.max(spec.requestTimeout, spec.startTimeout),
    slotMs: spec.requestTimeout,
    ...(spec.command !== undefined ? { launch: { command: spec.command, cwd: spec.cwd, env: spec.env, startTimeout: spec.startTimeout } } : {}),
  });
}

export async function connect(spec: TargetSpec, ctx: ConnectContext): Promise<Connection | StartFailure> {
  const transport = await transportFor(spec, ctx.profile);
  const peer = new Peer(transport, {
    conn: ctx.conn,
    transcript: ctx.transcript,
    profile: ctx.profile,
    defaultTimeout: spec.requestTimeout,
    idPrefix: ctx.idPrefix,
    maxNoiseBytes: MAX_NOISE_BYTES_BEFORE_INIT,
    maxNoiseLines: MAX_NOISE_LINES_BEFORE_INIT,
    // An already running server (--url) is one queue for every connection of the run; a launched
    // target is a process of its own per connection.
    // Over HTTP requests reach the server on connections of their own: an unordered queue.
    ...(spec.http ? { service: spec.command === undefined ? sharedServiceQueue(spec.http.url) : new ServiceQueue(false) } : {}),
  });
  let noisy: string | undefined;
  const tooNoisy = new Promise<'noise'>((resolve) =>
    peer.onTooMuchNoise((detail) => {
      noisy = detail;
      resolve('noise');
    }),
  );
  const started = spec.command !== undefined ? `start: ${spec.command}${spec.http ? ` (Streamable HTTP at ${spec.http.url})` : ''}` : `connect: ${spec.http?.url} (Streamable HTTP, an already running server)`;
  ctx.transcript.add({ conn: ctx.conn, dir: 'event', text: started, ...(ctx.check ? { check: ctx.check } : {}) });
  const onAbort = () => void peer.close();
  if (ctx.signal?.aborted) return { failed: true, reason: 'spawn', detail: 'the run was interrupted', stderrTail: [] };
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await peer.start();
  } catch (err) {
    ctx.signal?.removeEventListener('abort', onAbort);
    await transport.close();
    return { failed: true, reason: 'spawn', detail: `could not spawn /bin/sh: ${(err as Error).message}`, stderrTail: [] };
  }
  ctx.onSpawned?.(peer);

  const capabilities = spec.advertiseClientSessions ? { experimental: { 'experimental/sessions': {} } } : {};
  const answered = peer.request(
    'initialize',
    {
      protocolVersion: spec.protocolVersion ?? DEFAULT_PROTOCOL_VERSION,
      capabilities,
      clientInfo: { name: TOOL_NAME, version: TOOL_VERSION },
    },
    { timeout: spec.startTimeout, check: ctx.check },
  );
  const outcome = await Promise.race([answered, tooNoisy]);
  ctx.signal?.removeEventListener('abort', onAbort);

  const failure = async (reason: StartFailure['reason'], detail: string): Promise<StartFailure> => {
    const exit = await peer.close();
    const redact = (text: string) => ctx.transcript.redactText(text);
    return { failed: true, reason, detail: redact(detail), stderrTail: transport.stderrTail().map(redact), exit };
  };
  if (outcome === 'noise') return failure('noise', `${noisy}; gave up on it`);
  switch (outcome.kind) {
    case 'exit':
      return failure('exit', `the target exited before answering initialize (code ${outcome.code}, signal ${outcome.signal})`);
    case 'timeout': {
      const detail = outcome.noAnswer !== undefined ? `no answer to initialize: ${outcome.noAnswer}` : `no answer to initialize within ${outcome.ms} ms${outcome.queued ? QUEUED : ''}`;
      if (spec.http) return failure('timeout', detail);
      // Shutting down starts by closing the target's stdin: a process whose stdout is
      // block-buffered (Python's print() into a pipe, C stdio) writes its answers out as it exits.
      await peer.close();
      const late = await peer.waitForMessage((m) => isObject(m) && m.id === outcome.id && ('result' in m || 'error' in m), DRAINED_MS);
      if (late) return failure('buffered', `${detail}; the answer came out only when the suite closed the target's stdin and it exited: its stdout is block-buffered`);
      return failure('timeout', detail);
    }
    case 'error':
      return failure('error-response', `initialize failed: ${safeStringify(outcome.error).slice(0, 300)}`);
  }
  const result = outcome.result;
  if (!isObject(result) || !isObject(result.capabilities)) {
    return failure('invalid-response', `initialize result has no capabilities object: ${safeStringify(result).slice(0, 300)}`);
  }
  peer.notify('notifications/initialized', undefined, { check: ctx.check });
  return { peer, initialize: { result, message: outcome.message }, pid: transport.pid, close: () => peer.close() };
}

