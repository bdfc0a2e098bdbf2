// JSON-RPC errors as the low-level SDK `Server` puts them on the wire.
//
// The SDK copies `code`, `message` and `data` of whatever a handler throws into the error
// response. `McpError` would rewrite the message to "MCP error -32043: …", so a plain Error
// subclass keeps the message exactly as the draft's test vectors spell it.

export const SESSION_NOT_FOUND = -32043;
export const SESSION_REQUIRED = -32044;
export const INVALID_PARAMS = -32602;
export const INVALID_REQUEST = -32600;
export const PARSE_ERROR = -32700;
export const METHOD_NOT_FOUND = -32601;

export class RpcError extends Error {
  readonly code: number;
  readonly data?: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    // Leave `data` off entirely when absent: the SDK only writes it when it is not undefined.
    if (data !== undefined) this.data = data;
  }
}

/** `-32043` with the id the caller sent ("" when the caller sent none). */
export function sessionNotFound(sessionId: string): RpcError {
  return new RpcError(SESSION_NOT_FOUND, 'Session not found', { sessionId });
}

/** `-32044` of the 2026-03-13 revision; `data` is optional there and left out, as in the vector. */
export function sessionRequired(): RpcError {
  return new RpcError(SESSION_REQUIRED, 'Session required');
}

export function invalidParams(message: string, data?: unknown): RpcError {
  return new RpcError(INVALID_PARAMS, message, data);
}
