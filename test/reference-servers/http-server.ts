// Starts a compiled reference server (or variant) with `--transport http --port 0` as a real
// child process, reads the URL it prints on stderr, and posts JSON-RPC to it with fetch.
import { spawn, type ChildProcess } from 'node:child_process';
import { serverFile } from './raw-client.js';

const DEADLINE_MS = 15_000;
export const ACCEPT = 'application/json, text/event-stream';

export interface Posted {
  status: number;
  headers: Headers;
  text: string;
  json?: any;
}

export class HttpServer {
  readonly child: ChildProcess;
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly url: Promise<string>;
  private nextId = 1;

  constructor(name: string, args: string[] = []) {
    this.child = spawn(process.execPath, [serverFile(name), '--transport', 'http', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.url = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL on stderr within ${DEADLINE_MS} ms: ${this.stderr.join('')}`)), DEADLINE_MS);
      this.child.stderr!.setEncoding('utf8');
      this.child.stderr!.on('data', (chunk: string) => {
        this.stderr.push(chunk);
        const found = /Streamable HTTP on (http:\/\/\S+)/.exec(this.stderr.join(''));
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      void this.exited.then(() => reject(new Error(`server exited before listening: ${this.stderr.join('')}`)));
    });
  }

  /** POSTs one message (or raw text) with the headers a 2025-11-25 client sends. */
  async post(message: unknown, headers: Record<string, string> = {}): Promise<Posted> {
    const response = await fetch(await this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
      body: typeof message === 'string' ? message : JSON.stringify(message),
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
    const text = await response.text();
    let json: any;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  async request(method: string, params?: unknown, headers: Record<string, string> = {}): Promise<Posted> {
    return this.post({ jsonrpc: '2.0', id: this.nextId++, method, ...(params !== undefined && { params }) }, { 'mcp-protocol-version': '2025-11-25', ...headers });
  }

  async initialize(): Promise<Posted> {
    return this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'http-test', version: '0' } },
    });
  }

  /** SIGTERM, and the exit it caused (SIGKILL after the deadline, so nothing stays behind). */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), DEADLINE_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}
