// What the harness and the target exchange: wire outcomes, the transcript, the transport, the
// target's launch spec and the draft profile. Run results (what a suite run produced) live in
// runner/types.ts; this file knows nothing of checks or reports.

// Wire shapes come from the types generated from schemas/ (npm run gen:types).
import type { JsonRpcErrorObject, RequestId, SessionMetadata } from '../schemas/types.js';
import type { HttpEndpoint, HttpTargetSpec } from './http/types.js';

export type { RequestId, SessionMetadata };
export type RpcError = JsonRpcErrorObject;

/** How a request ended. Target behaviour never throws: it ends as exactly one of these. */
export type Outcome =
  | { kind: 'result'; id: RequestId; result: any; message: any }
  | { kind: 'error'; id: RequestId; error: RpcError; message: any }
  | {
      kind: 'timeout';
      id: RequestId;
      /** How long it waited. */
      ms: number;
      notificationsMeanwhile?: number;
      noAnswer?: string;
      /** It waited past --timeout while the target answered requests sent before it (harness/service-queue.ts). */
      queued?: true;
    }
  | { kind: 'exit'; id: RequestId; code: number | null; signal: string | null };

export interface RequestOptions {
  /** Per-request deadline in ms (default: the peer's default timeout). */
  timeout?: number;
  /** Force this exact id (e.g. an integer for BASE-ID-1); default `<prefix>-<counter>`. */
  id?: RequestId;
  /** The check on whose behalf this is sent (tags the transcript lines both ways). */
  check?: string;
  /** The message is malformed on purpose: skip the extension schemas for this outgoing message. */
  invalidOnPurpose?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Transcript

/** out: harness → target stdin; in: target stdout; stderr: target stderr; event: harness note. */
export type Direction = 'out' | 'in' | 'stderr' | 'event';

export interface TranscriptEntry {
  /** Order within the whole run (all connections). */
  seq: number;
  /** Milliseconds since the run started (monotonic clock). Never written to JSON/JUnit unless asked. */
  t: number;
  /** Which target connection (process) of the run. */
  conn: number;
  dir: Direction;
  /** The raw line (capped; `truncated` says by how much). */
  text: string;
  truncated?: number;
  /** The check that caused this line, when known (out: the sender; in: the check whose request it answers). */
  check?: string;
  /** Parsed JSON, when the line parsed. */
  json?: unknown;
  /** Schema or protocol problems found on this line (origin-tagged by `dir`). */
  problems?: string[];
  /** Over HTTP: how the message came (HTTP status, content type, Mcp-Session-Id of the response). */
  http?: LineMeta;
}

/** How an incoming message travelled over Streamable HTTP. */
export interface LineMeta {
  /** A POST's JSON body, an event of a POST's SSE stream, or an event of the GET stream. */
  via: 'json' | 'sse' | 'get';
  status?: number;
  contentType?: string;
  /** The response's Mcp-Session-Id header. */
  sessionId?: string;
}

/** A request the harness sent, paired with whatever came back (for run-wide observer checks). */
export interface Exchange {
  conn: number;
  check?: string;
  method: string;
  request: any; // the JSON object sent
  requestSeq: number;
  response?: any; // the JSON object received, if any
  responseSeq?: number;
  outcome: Outcome['kind'];
}

/** A protocol violation the peer noticed (unknown id, duplicate response, non-JSON line…). */
export interface Violation {
  kind:
    | 'non-json'
    | 'not-jsonrpc'
    | 'unknown-id'
    | 'duplicate-response'
    | 'id-type-mismatch'
    | 'response-to-notification'
    | 'schema'
    | 'oversized-line'
    | 'too-deep'
    | 'byte-order-mark'
    | 'partial-line';
  seq: number;
  conn: number;
  detail: string;
}

// ---------------------------------------------------------------------------------------------
// Transport: a byte pipe to one target; stdio today, Streamable HTTP later.

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** The target closed its stdout while still running: the connection is gone all the same. */
  stdoutClosed?: boolean;
}

export interface Transport {
  /** Starts the target. Rejects only for harness problems; a target that fails to spawn exits. */
  start(): Promise<void>;
  /** Writes one line (a newline is appended). Never throws; false if the target is gone. */
  send(line: string): boolean;
  /** `partial`: the last line had no newline when the target exited (added by the harness helper). */
  onLine(cb: (line: string, truncatedBy: number, partial?: boolean, meta?: LineMeta) => void): void;
  onStderr(cb: (line: string) => void): void;
  onExit(cb: (info: ExitInfo) => void): void;
  readonly exited: ExitInfo | null;
  /** Last stderr lines (bounded). */
  stderrTail(): string[];
  /** Bytes of a stdout line received so far but not yet complete (a large message in transit). */
  lineInProgress?(): number;
  /** Graceful then forceful shutdown of the whole process group; resolves when nothing is left. */
  close(): Promise<ExitInfo>;
  /** Process group id of a target the transport started. */
  readonly pid?: number;
  /**
   * Transport-level notes for the transcript (HTTP: one line per exchange); `id`: the JSON-RPC
   * request the note is about, so the note is tagged with the check that sent it.
   */
  onNote?(cb: (text: string, id?: RequestId) => void): void;
  /** A request whose exchange ended without its response (HTTP error, reset, redirect…): at once, not at its deadline. */
  onNoAnswer?(cb: (id: RequestId, detail: string) => void): void;
  /** A request that waited in the transport (HTTP: for a connection slot) went out just now: its deadline runs from here. */
  onWentOut?(cb: (id: RequestId) => void): void;
  /** The HTTP layer (Streamable HTTP targets only). */
  readonly http?: HttpEndpoint;
}

export interface TargetSpec {
  /** Shell command, run by /bin/sh -c in its own process group; none for an already running HTTP server. */
  command?: string;
  /** Streamable HTTP: the endpoint (with a command: `{port}` is a port the suite picks) and --header pairs. */
  http?: HttpTargetSpec;
  cwd?: string;
  env?: Record<string, string>;
  /** Deadline for the initialize answer (ms). */
  startTimeout: number;
  /** Default per-request deadline (ms). */
  requestTimeout: number;
  /** protocolVersion sent in initialize (default 2025-11-25). */
  protocolVersion?: string;
  /** Advertise capabilities.experimental["experimental/sessions"] = {} as the client. */
  advertiseClientSessions?: boolean;
  /** Largest stdout message the harness reads (bytes); a longer one is a finding about size. */
  maxMessageBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** What the draft revision names on the wire and how strictly each check is held. */
export type Level = 'MUST' | 'SHOULD' | 'INFO';

export interface Profile {
  draft: string;
  title: string;
  methods: { create: string; delete: string };
  metaKey: string;
  errors: {
    sessionNotFound: number;
    /** null when the revision has no "session required" error. */
    sessionRequired: number | null;
    methodNotFound: number;
  };
  /** Every check id of this revision and its level; an id absent here is not run. */
  levels: Record<string, Level>;
}
