// A thin stdio transport that sees raw lines.
//
// The SDK's own StdioServerTransport answers nothing to an unparseable line (it only calls
// `onerror`), so this one reads newline-delimited JSON itself: garbage gets `-32700`, valid JSON
// that is not a JSON-RPC message gets `-32600`, everything else goes to the SDK `Server`.
// Two raw hooks let a broken variant rewrite, drop or multiply messages in either direction.

import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { INVALID_REQUEST, PARSE_ERROR } from './rpc-error.js';

/** A JSON value as it travels on the wire (objects are loose on purpose: hooks may do anything). */
export type WireMessage = any;
/** What a raw hook returns: the message (maybe changed), several messages, or null to drop it. */
export type WireHookResult = WireMessage | WireMessage[] | null;

/** Given to `transformIncoming`, so a hook can also write to the client directly. */
export interface WireControl {
  /** Writes a message (an object, or a string written as a raw line) through transformOutgoing. */
  emit(message: WireMessage): void;
}

export interface WireHooks {
  /** Runs on every parsed incoming JSON value before JSON-RPC validation. */
  transformIncoming?: (message: WireMessage, wire: WireControl) => WireHookResult;
  /** Runs on every outgoing message (responses, errors, -32700/-32600 answers) before writing. */
  transformOutgoing?: (message: WireMessage) => WireHookResult;
  /** Writes one already-serialized line; default is stdout. A hook may write raw garbage here. */
  writeLine?: (line: string) => void;
}

/**
 * A request id as a map key that keeps its type (1 and "1" are different ids): for hooks that
 * pair a request with its response.
 */
export function requestKey(id: unknown): string {
  return `${typeof id}:${String(id)}`;
}

function asList(result: WireHookResult): WireMessage[] {
  if (result === null || result === undefined) return [];
  return Array.isArray(result) ? result : [result];
}

/** The id to echo on -32600: the message's own id when it is usable, otherwise null. */
function usableId(value: unknown): string | number | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

export class LineTransport implements Transport, WireControl {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private buffer = '';
  private closed = false;
  private readonly input: NodeJS.ReadableStream;
  private readonly write: (line: string) => void;

  constructor(
    private readonly hooks: WireHooks = {},
    input: NodeJS.ReadableStream = process.stdin,
  ) {
    this.input = input;
    this.write = hooks.writeLine ?? ((line) => void process.stdout.write(line));
  }

  async start(): Promise<void> {
    this.input.setEncoding?.('utf8');
    this.input.on('data', (chunk: string | Buffer) => this.onData(String(chunk)));
    this.input.on('end', () => {
      // A last line without its newline still counts as a message.
      if (this.buffer.trim() !== '') this.onLine(this.buffer);
      this.buffer = '';
      void this.close();
    });
    this.input.on('error', (error: Error) => this.onerror?.(error));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.emit(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  /** Writes a message through the outgoing hook (also used for the transport's own errors). */
  emit(message: WireMessage): void {
    if (this.closed) return;
    const outgoing = this.hooks.transformOutgoing ? asList(this.hooks.transformOutgoing(message)) : [message];
    for (const out of outgoing) {
      this.write(typeof out === 'string' ? out + '\n' : JSON.stringify(out) + '\n');
    }
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (line.trim() === '') return; // blank lines are not messages; answering them would be noise
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.emit({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'Parse error' } });
      return;
    }
    const incoming = this.hooks.transformIncoming ? asList(this.hooks.transformIncoming(value, this)) : [value];
    for (const message of incoming) this.deliver(message);
  }

  private deliver(message: WireMessage): void {
    const checked = JSONRPCMessageSchema.safeParse(message);
    if (!checked.success) {
      // A response-shaped or id-less object has no id we may echo; JSON-RPC says null then.
      const looksLikeRequest = message && typeof message === 'object' && 'method' in message;
      const id = looksLikeRequest ? usableId(message) : null;
      this.emit({ jsonrpc: '2.0', id, error: { code: INVALID_REQUEST, message: 'Invalid Request' } });
      return;
    }
    // Hand over the original object, not zod's copy, so no field the client sent is lost.
    this.onmessage?.(message as JSONRPCMessage);
  }
}
