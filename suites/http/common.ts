// What the HTTP checks share: the HTTP layer of a client's connection, or a skip on stdio.
import type { HttpEndpoint, HttpRecord } from '../../harness/http/types.js';
import type { SessionClient } from '../../harness/session-client.js';
import { skip, type CheckContext } from '../check.js';

/** The HTTP checks judge Streamable HTTP only: on a stdio run each is a skip, never a pass. */
export function requireHttp(ctx: CheckContext): void {
  if ((ctx.target?.transport ?? 'stdio') !== 'http') skip('not applicable: stdio target (this check judges the Streamable HTTP transport; run with --url)');
}

export function endpointOf(client: SessionClient): HttpEndpoint {
  const http = client.peer.http;
  if (!http) throw new Error('harness bug: an HTTP run whose connection has no HTTP layer');
  return http;
}

/** The record of the POST that carried this request, once its exchange ended (bounded). */
export async function settledRecord(http: HttpEndpoint, id: string | number, ms: number): Promise<HttpRecord | undefined> {
  const record = http.recordOf(id);
  if (record) await http.settled(record, ms);
  return record;
}

export function isSse(contentType: string | undefined): boolean {
  return /^text\/event-stream\b/i.test(contentType ?? '');
}
export function isJsonType(contentType: string | undefined): boolean {
  return /^application\/json\b/i.test(contentType ?? '');
}

/** One line about an exchange for a finding's `actual`. */
export function showRecord(r: HttpRecord | undefined): string {
  if (!r) return 'no HTTP exchange recorded';
  if (r.status === undefined) return `no HTTP answer (${r.problem ?? 'unknown'})`;
  const body = r.bodyBytes > 0 ? `${r.bodyBytes} body bytes` : 'no body';
  return `HTTP ${r.status}, Content-Type ${r.contentType ?? '(none)'}, ${body}${r.problem ? `; ${r.problem}` : ''}`;
}
