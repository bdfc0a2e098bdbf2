// A thin wrapper around the SDK's transport. The SDK `Client` drops a top-level `sessions`
// capability from what it reports, so the tap keeps the raw `initialize` result as it came off
// the wire. With the `reuses-request-ids` defect it also rewrites every request id to 1 on the
// way out (and back on the way in), which the SDK's own counter would never do.

import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Defect } from './defects.js';

type Message = JSONRPCMessage & { id?: RequestId; method?: string; result?: unknown };

export class TapTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  /** The `result` of the server's answer to `initialize`, exactly as received. */
  initializeResult: Record<string, unknown> | undefined;
  private initializeId: RequestId | undefined;
  /** reuses-request-ids: the SDK's id of the one request in flight under the reused wire id. */
  private inFlight: RequestId | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly defect: Defect,
  ) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => this.receive(message as Message, extra);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const msg = message as Message;
    const isRequest = typeof msg.method === 'string' && msg.id !== undefined;
    if (isRequest && msg.method === 'initialize') this.initializeId = msg.id;
    if (isRequest && this.defect === 'reuses-request-ids') {
      this.inFlight = msg.id;
      return this.inner.send({ ...msg, id: 1 } as JSONRPCMessage, options);
    }
    return this.inner.send(message, options);
  }

  private receive(msg: Message, extra?: MessageExtraInfo): void {
    const isResponse = msg.method === undefined && msg.id !== undefined;
    if (isResponse && this.defect === 'reuses-request-ids' && this.inFlight !== undefined) {
      msg = { ...msg, id: this.inFlight } as Message;
      this.inFlight = undefined;
    }
    if (isResponse && msg.id === this.initializeId && typeof msg.result === 'object' && msg.result !== null) {
      this.initializeResult = msg.result as Record<string, unknown>;
    }
    this.onmessage?.(msg, extra);
  }
}
