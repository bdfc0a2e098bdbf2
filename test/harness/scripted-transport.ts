// A transport the test speaks for: it keeps what the peer sends, and plays the target (its
// answers) and its HTTP layer (notes about one request).
import type { ExitInfo, RequestId, Transport } from '../../harness/types.js';

/** A transport that keeps what is sent and lets the test speak for the target and its HTTP layer. */
export class ScriptedTransport implements Transport {
  readonly sent: any[] = [];
  exited: ExitInfo | null = null;
  private lineCb?: (line: string, truncatedBy: number) => void;
  noteCb?: (text: string, id?: RequestId) => void;
  async start(): Promise<void> {}
  send(line: string): boolean {
    this.sent.push(JSON.parse(line));
    return true;
  }
  onLine(cb: (line: string, truncatedBy: number) => void): void {
    this.lineCb = cb;
  }
  onStderr(): void {}
  onExit(): void {}
  onNote(cb: (text: string, id?: RequestId) => void): void {
    this.noteCb = cb;
  }
  stderrTail(): string[] {
    return [];
  }
  async close(): Promise<ExitInfo> {
    return { code: 0, signal: null };
  }
  answer(id: RequestId): void {
    this.lineCb!(JSON.stringify({ jsonrpc: '2.0', id, result: {} }), 0);
  }
}
