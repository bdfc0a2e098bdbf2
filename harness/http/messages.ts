// What the HTTP transport reads off the messages it carries (the kind of a posted message, a
// request's response, the D25 sessionId) and how it describes an exchange in the transcript.
import type { HttpRecord } from './types.js';
import type { ExchangeResponse } from './request.js';

/** What an HTTP header value may carry (visible ASCII; the draft's sessionId alphabet). */
export const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** D25: the sessionId of the session metadata a request carries, if any. */
export function dataLayerSessionId(message: any, metaKey: string): string | undefined {
  const id = message?.params?._meta?.[metaKey]?.sessionId;
  return typeof id === 'string' ? id : undefined;
}

export function postedKind(message: any): HttpRecord['posted'] {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return 'raw';
  if (typeof message.method === 'string') return 'id' in message ? 'request' : 'notification';
  if ('result' in message || 'error' in message) return 'response';
  return 'raw';
}

export function idKey(id: unknown): string {
  return `${typeof id}:${String(id)}`;
}

/** The JSON-RPC response to the request with this id (same type and value) the text is, if it is one. */
export function responseTo(text: string, id: string | number): any {
  if (!text.includes('"id"')) return undefined;
  try {
    const m = JSON.parse(text);
    return m !== null && typeof m === 'object' && m.id === id && ('result' in m || 'error' in m) ? m : undefined;
  } catch {
    return undefined;
  }
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function safeHeader(value: string | null): string | undefined {
  return value !== null && HEADER_SAFE.test(value) ? value : undefined;
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

/** One transcript line per exchange: what went, with which session headers, and what came back. */
export function describeRecord(r: HttpRecord, state?: string): string {
  const what = r.method === 'POST' ? `POST ${r.rpcMethod ?? r.posted}${r.id !== undefined ? ` (id ${JSON.stringify(r.id)})` : ''}` : r.method;
  const sent = [
    r.sentSessionId !== undefined ? `Mcp-Session-Id: ${r.sentSessionId}${r.sessionIdSource === 'data-layer' ? ' (data-layer sessionId, D25)' : ''}` : undefined,
    r.sentProtocolVersion !== undefined ? `MCP-Protocol-Version: ${r.sentProtocolVersion}` : undefined,
  ].filter(Boolean);
  const got =
    r.status === undefined
      ? 'no HTTP answer'
      : [`HTTP ${r.status}`, r.contentType, r.responseSessionId !== undefined ? `Mcp-Session-Id: ${r.responseSessionId}` : undefined, r.location ? `Location: ${r.location}` : undefined, state ?? (r.bodyBytes > 0 ? `${r.bodyBytes} body bytes, ${r.messages} message(s)` : 'no body')]
          .filter(Boolean)
          .join('; ');
  const waited = r.waitedMs !== undefined ? ` (sent after ${r.waitedMs} ms waiting for a connection)` : '';
  return `${what}${sent.length ? ` [${sent.join('; ')}]` : ''}${waited} → ${got}${r.problem ? ` — ${r.problem}` : ''}`;
}

/** What the response head said, into the exchange's record. */
export function describeResponse(record: HttpRecord, res: ExchangeResponse): void {
  record.status = res.status;
  const type = res.headers.get('content-type');
  if (type) record.contentType = type;
  const session = res.headers.get('mcp-session-id');
  if (session !== null) record.responseSessionId = session;
  const location = res.headers.get('location');
  if (location !== null) record.location = location;
}
