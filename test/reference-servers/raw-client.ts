// A tiny newline-delimited JSON-RPC client for the reference-server tests: spawns a compiled
// server as a real child process and speaks raw lines over its stdio.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const KEY = 'io.modelcontextprotocol/session';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Generous: only a failing test waits this long, and a loaded CI box can be slow to spawn.
const DEADLINE_MS = 15_000;

export function serverFile(name: string): string {
  const file = `${ROOT}dist/reference-servers/${name}.js`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx tsc -p tsconfig.json\` first`);
  return file;
}

type Message = Record<string, any>;
type Waiter = { match: (m: Message) => boolean; resolve: (m: Message) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class RawClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every parsed stdout message, in arrival order. */
  readonly received: Message[] = [];
  readonly stderr: string[] = [];
  private buffer = '';
  private nextId = 1;
  private waiters: Waiter[] = [];
  private unclaimed: Message[] = [];
  readonly exited: Promise<number | null>;

  constructor(name: string, args: string[] = []) {
    this.child = spawn(process.execPath, [serverFile(name), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin.on('error', () => {}); // a server that died mid-write must not crash the test run
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 1);
      const message = JSON.parse(line) as Message; // a non-JSON stdout line fails the test loudly
      this.received.push(message);
      const waiter = this.waiters.find((w) => w.match(message));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(message);
      } else {
        this.unclaimed.push(message);
      }
    }
  }

  /** The first message (already received or still to come) that matches, within the deadline. */
  waitFor(match: (m: Message) => boolean, what = 'message'): Promise<Message> {
    const early = this.unclaimed.find(match);
    if (early) {
      this.unclaimed = this.unclaimed.filter((m) => m !== early);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no ${what} within ${DEADLINE_MS} ms; stderr: ${this.stderr.join('')}`));
      }, DEADLINE_MS);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }

  sendRaw(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  send(message: Message): void {
    this.sendRaw(JSON.stringify(message));
  }

  /** Sends a request and resolves with the whole response message (result or error). */
  request(method: string, params?: unknown, id: string | number = this.nextId++): Promise<Message> {
    this.send({ jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) });
    return this.waitFor((m) => m.id === id && ('result' in m || 'error' in m), `response to ${method} (id ${id})`);
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, ...(params !== undefined && { params }) });
  }

  /** The response to the latest `initialize`. */
  initResponse?: Message;

  async initialize(protocolVersion = '2025-11-25'): Promise<Message> {
    const response = await this.request('initialize', {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: 'reference-server-tests', version: '0' },
    });
    this.notify('notifications/initialized');
    this.initResponse = response;
    return response;
  }

  /** `sessions/create` → the SessionMetadata of the new session. */
  async createSession(): Promise<Record<string, string>> {
    const response = await this.request('sessions/create');
    if (!response.result) throw new Error(`sessions/create failed: ${JSON.stringify(response)}`);
    return response.result.session;
  }

  /** `tools/call`; `session` (if given) goes into `_meta` verbatim. */
  call(name: string, args: Record<string, unknown> = {}, session?: unknown): Promise<Message> {
    return this.request('tools/call', {
      name,
      arguments: args,
      ...(session !== undefined && { _meta: { [KEY]: session } }),
    });
  }

  /** Ends stdin and waits for the exit; kills the child if it lingers. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Keeps every client a test file starts, so afterEach can close them all. */
export class ClientPool {
  private clients: RawClient[] = [];

  async start(name: string, args: string[] = [], init = true): Promise<RawClient> {
    const client = new RawClient(name, args);
    this.clients.push(client);
    if (init) await client.initialize();
    return client;
  }

  async closeAll(): Promise<void> {
    const all = this.clients;
    this.clients = [];
    await Promise.all(all.map((c) => c.close()));
  }
}

/** The text of a tools/call result's first content item. */
export function text(response: Message): string {
  return response.result?.content?.[0]?.text;
}

export function echo(response: Message): Record<string, string> | undefined {
  return response.result?._meta?.[KEY];
}

export function decodeBase64Json(token: string): unknown {
  return JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
}

export const EXPIRES_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const SESSION_ID = /^sess-[0-9a-f]{32}$/;
