// What the Streamable HTTP transport (MCP 2025-11-25) tells checks about the HTTP layer: the
// target's address, the headers it sends, and one record per HTTP exchange it made.

/** How to reach an HTTP target: its MCP endpoint and the headers the user asked for (--header). */
export interface HttpTargetSpec {
  /** The MCP endpoint. With a command, `{port}` in it is replaced by a free port the suite picked. */
  url: string;
  /** Extra request headers (--header "Name: value"): values never appear in reports or transcripts. */
  headers: [string, string][];
}

/** One HTTP exchange the transport made (a POST of one message, the GET stream, the DELETE). */
export interface HttpRecord {
  method: 'POST' | 'GET' | 'DELETE';
  /** What was posted: a JSON-RPC request, notification or response, or a line that is none (raw). */
  posted?: 'request' | 'notification' | 'response' | 'raw';
  /** The JSON-RPC method posted (requests and notifications). */
  rpcMethod?: string;
  /** The JSON-RPC id of a posted request. */
  id?: string | number;
  /** `Mcp-Session-Id` and `MCP-Protocol-Version` as sent (never a --header value). */
  sentSessionId?: string;
  sentProtocolVersion?: string;
  /** Why the Mcp-Session-Id header carried what it did: the transport session, the data-layer sessionId (D25), or none. */
  sessionIdSource?: 'transport' | 'data-layer';
  /** HTTP status; undefined when no answer came (connection refused, reset, deadline). */
  status?: number;
  contentType?: string;
  /** `Mcp-Session-Id` of the HTTP response. */
  responseSessionId?: string;
  /** `Location` of a redirect (not followed). */
  location?: string;
  /** Body bytes read (the body of an SSE stream included). */
  bodyBytes: number;
  /** JSON-RPC messages delivered from this exchange. */
  messages: number;
  /** How long it waited for one of the suite's connections to the server (slots.ts), when long enough to note. */
  waitedMs?: number;
  /** How the exchange ended when it did not end well (a stalled stream, a reset, an oversized event…). */
  problem?: string;
  done: boolean;
}

/** The HTTP layer of one connection, for checks that judge it (suites/http/). */
export interface HttpEndpoint {
  readonly url: string;
  /** The transport session the server issued at initialize (`Mcp-Session-Id`), if any. */
  transportSessionId(): string | undefined;
  /** The protocol version negotiated at initialize (sent as MCP-Protocol-Version after it). */
  protocolVersion(): string | undefined;
  /** The headers the transport would send with this message (user headers included). */
  headersFor(message: unknown): Record<string, string>;
  /** Every exchange so far (bounded; oldest dropped first). */
  readonly records: readonly HttpRecord[];
  /** The record of the POST that carried the request with this id. */
  recordOf(id: string | number): HttpRecord | undefined;
  /** Resolves once the POST that carried the request with this id has ended (or after ms). */
  settled(record: HttpRecord, ms: number): Promise<boolean>;
  /** One POST outside the JSON-RPC peer (probes of the HTTP layer itself), bounded by ms. */
  rawPost(body: string, headers: Record<string, string>, ms: number): Promise<RawAnswer>;
}

/** What a raw POST got back (the body capped at a few KiB). */
export interface RawAnswer {
  status?: number;
  contentType?: string;
  body: string;
  bodyBytes: number;
  /** Connection refused, reset, or no answer within the deadline. */
  problem?: string;
}

/** How the transport reaches its server (harness/mcp.ts builds it from the run's options). */
export interface HttpTransportOptions {
  /** The MCP endpoint; with `launch`, `{port}` in it is replaced by the port the suite picked. */
  url: string;
  /** --header pairs (values never recorded). */
  headers: [string, string][];
  /** The `_meta` key of session metadata (D25: its sessionId goes in Mcp-Session-Id). */
  metaKey: string;
  /** Largest message (JSON body or SSE event) read, bytes. */
  maxMessageBytes: number;
  /** Last-resort bound of one exchange (ms); the peer's own deadlines come first. */
  exchangeMs: number;
  /** Longest an exchange holds one of the server's connection slots waiting for its answer (slots.ts; the run's --timeout). */
  slotMs: number;
  /** A server the suite starts itself (`--server` with `--url`), waited for up to startTimeout. */
  launch?: { command: string; cwd?: string; env?: Record<string, string>; startTimeout: number };
}
