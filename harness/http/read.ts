// Reading an HTTP response body within bounds: a whole body (application/json) or an SSE
// stream (text/event-stream, parsed by eventsource-parser). A body or event larger than the
// bound is cut there and the stream given up; a reset connection ends the read with a reason.
import { createParser } from 'eventsource-parser';
import type { BodyStream } from './request.js';

export interface BodyRead {
  text: string;
  bytes: number;
  /** Bytes beyond the bound that were seen and not kept (at least 1 when the body was cut). */
  dropped: number;
  error?: string;
}

/** Reads a body of at most maxBytes; `progress` gets the bytes read so far. */
export async function readBody(body: BodyStream | null, maxBytes: number, progress?: (bytes: number) => void): Promise<BodyRead> {
  if (!body) return { text: '', bytes: 0, dropped: 0 };
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let kept = 0;
  let dropped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - kept;
      if (value.length > room) {
        if (room > 0) parts.push(value.subarray(0, room));
        kept += Math.max(room, 0);
        dropped += value.length - Math.max(room, 0);
        void reader.cancel().catch(() => undefined);
        break;
      }
      parts.push(value);
      kept += value.length;
      progress?.(kept);
    }
  } catch (err) {
    return { text: decode(parts, kept), bytes: kept + dropped, dropped, error: describeError(err) };
  }
  return { text: decode(parts, kept), bytes: kept + dropped, dropped };
}

export interface SseRead {
  end: 'end' | 'stopped' | 'oversized' | 'error';
  bytes: number;
  detail?: string;
  /** The id of the last event that carried one (for a resumption with Last-Event-ID). */
  lastEventId?: string;
}

export interface SseHandlers {
  /** Called per event with data; return 'stop' once the stream has given what is needed. */
  onEvent(data: string): 'stop' | void;
  /** An event larger than the bound: the raw text kept so far and the bytes not kept. */
  onOversized(kept: string, dropped: number): void;
  /** Bytes of the event in transit (0 after each event). */
  progress?(bytes: number): void;
}

/** Reads an SSE stream event by event; each event's data is at most maxEventBytes. */
export async function readSse(body: BodyStream | null, maxEventBytes: number, handlers: SseHandlers): Promise<SseRead> {
  if (!body) return { end: 'end', bytes: 0 };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  /** Raw bytes since the last complete event, and the first of them (kept for the report). */
  let sinceEvent = 0;
  let raw = '';
  let stop = false;
  let lastEventId: string | undefined;
  const parser = createParser({
    onEvent(event) {
      if (event.id !== undefined) lastEventId = event.id;
      sinceEvent = 0;
      raw = '';
      handlers.progress?.(0);
      if (stop || event.data === '') return; // a priming or keep-alive event carries no message
      if (handlers.onEvent(event.data) === 'stop') stop = true;
    },
  });
  const cancel = () => void reader.cancel().catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { end: 'end', bytes, lastEventId };
      bytes += value.length;
      const text = decoder.decode(value, { stream: true });
      sinceEvent += value.length;
      if (raw.length < maxEventBytes) raw += text.slice(0, maxEventBytes - raw.length);
      parser.feed(text);
      if (stop) {
        cancel();
        return { end: 'stopped', bytes, lastEventId };
      }
      if (sinceEvent > maxEventBytes) {
        cancel();
        handlers.onOversized(raw, sinceEvent - raw.length);
        return { end: 'oversized', bytes, lastEventId, detail: `an SSE event grew past ${maxEventBytes} bytes (--max-message-bytes); the stream was given up` };
      }
      handlers.progress?.(sinceEvent);
    }
  } catch (err) {
    return { end: 'error', bytes, lastEventId, detail: describeError(err) };
  }
}

function decode(parts: Uint8Array[], length: number): string {
  return Buffer.concat(parts, length).toString('utf8');
}

/** An exchange or stream error in words, with its code (connection refused, reset, aborted). */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'the exchange was abandoned (deadline or shutdown)';
  const message = e?.message ?? String(err);
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
