// --transport http: the scenario's scripted servers behind Streamable HTTP (MCP 2025-11-25) on
// 127.0.0.1 and an ephemeral port. Server A is /server-a/mcp (MCP_CONFORMANCE_SERVER_URL),
// server B /server-b/mcp (MCP_CONFORMANCE_SERVER_URL_2, two-servers only). A POSTed request
// gets its answer as application/json; a notification or response gets 202; GET (a
// server-initiated stream) and DELETE (a transport session) get 405: the servers issue no
// transport session and send nothing on their own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV } from './catalog.js';
import { MAX_LINE_BYTES, type ConnRecord, type MessageLog, type ScenarioEndpoint } from './endpoint.js';

const PATHS = ['/server-a/mcp', '/server-b/mcp'];

export class HttpEndpoint implements ScenarioEndpoint {
  private readonly server: Server;
  private readonly records = new Map<number, ConnRecord>();
  private port = 0;

  constructor(
    private readonly log: MessageLog,
    /** How many servers the scenario offers (two-servers: 2). */
    private readonly servers: number,
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  get connections(): ConnRecord[] {
    return this.log.connections;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  url(index: number): string {
    return `http://127.0.0.1:${this.port}${PATHS[index]}`;
  }

  environment(): Record<string, string> {
    const env: Record<string, string> = { [ENV.serverUrl]: this.url(0) };
    if (this.servers > 1) env[ENV.serverUrl2] = this.url(1);
    return env;
  }

  /** Every request was answered as it arrived: nothing is in flight once the client is gone. */
  async drained(): Promise<void> {}

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const index = PATHS.indexOf((req.url ?? '').split('?')[0]!);
    if (index < 0 || index >= this.servers) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the servers of this scenario are at /server-a/mcp' + (this.servers > 1 ? ' and /server-b/mcp' : ''));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      if (size + chunk.length <= MAX_LINE_BYTES) {
        chunks.push(chunk);
        size += chunk.length;
      } else dropped += chunk.length;
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      let record = this.records.get(index);
      if (!record) {
        record = this.log.open(index, `the client's first request to ${this.url(index)}`);
        record.closed = true; // HTTP has no connection to wait for
        this.records.set(index, record);
      }
      const reply = this.log.receive(record, Buffer.concat(chunks).toString('utf8'), dropped);
      if (reply === undefined) res.writeHead(202).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(reply);
    });
  }
}
