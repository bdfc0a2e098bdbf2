// Where the relays connect: a unix socket in a private temporary directory. Each connection is a
// new scripted server instance. Every line both ways goes to the shared transcript (`in`: what
// the client sent, `out`: what the suite answered), each client line validated against the wire
// schemas, and into the connection's record that the judge reads.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../harness/transport.js';
import type { Transcript } from '../harness/transcript.js';
import type { Profile } from '../harness/types.js';
import { checkLine } from '../harness/wire.js';
import { ENV, type ScenarioName } from './catalog.js';
import { ScriptedServer, type Effect } from './scripted-server.js';

/** A line the client sent, as the judge reads it. */
export interface ClientLine {
  seq: number;
  raw: string;
  /** Parsed JSON (undefined: not JSON). */
  message?: unknown;
  parsed: boolean;
  /** Schema problems of the line (origin: the client). */
  problems: string[];
  truncatedBy: number;
}

export type ConnEvent = { kind: 'line'; line: ClientLine } | { kind: 'reply'; seq: number; response: Record<string, unknown>; effects: Effect[] };

export interface ConnRecord {
  /** Transcript connection number (unique in the run). */
  conn: number;
  /** Order of the connection within its scenario (0: server A, 1: server B). */
  index: number;
  server: ScriptedServer;
  events: ConnEvent[];
  closed: boolean;
}

export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** The relay's compiled file: next to this module when built; the build's copy when run from source. */
export function relayPath(): string {
  const here = fileURLToPath(new URL('./relay.js', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../dist/client-mode/relay.js', import.meta.url));
}

/** What the launcher needs of an endpoint, whatever the transport. */
export interface ScenarioEndpoint {
  readonly connections: ConnRecord[];
  listen(): Promise<void>;
  /** The environment that tells the client where its server(s) are. */
  environment(): Record<string, string>;
  drained(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The scripted servers of one scenario and the record of every message: transports (a unix
 * socket for stdio relays, HTTP) hand each message of a connection to `receive`.
 */
export class MessageLog {
  readonly connections: ConnRecord[] = [];

  constructor(
    readonly scenario: ScenarioName,
    private readonly profile: Profile,
    private readonly transcript: Transcript,
    /** Gives the next transcript connection number of the run. */
    private readonly nextConn: () => number,
  ) {}

  /** A new server instance; `index` 0 is server A. */
  open(index: number, how: string): ConnRecord {
    const record: ConnRecord = { conn: this.nextConn(), index, server: new ScriptedServer(this.scenario, this.profile), events: [], closed: false };
    this.connections.push(record);
    this.connections.sort((a, b) => a.index - b.index);
    this.transcript.note(`server ${letter(index)} (scenario ${this.scenario}): ${how}`, record.conn);
    return record;
  }

  note(record: ConnRecord, text: string): void {
    this.transcript.note(`server ${letter(record.index)}: ${text}`, record.conn);
  }

  /** Records one message from the client, answers it, records the answer; returns the answer's text. */
  receive(record: ConnRecord, raw: string, truncatedBy: number): string | undefined {
    if (raw.trim() === '') return undefined;
    let message: unknown;
    let parsed = false;
    try {
      message = JSON.parse(raw);
      parsed = true;
    } catch {
      /* not JSON: judged by CLI-WIRE-1, answered -32700 */
    }
    const problems = !parsed
      ? ['not JSON: the line does not parse']
      : truncatedBy > 0
        ? [`line longer than ${MAX_LINE_BYTES} bytes`]
        : checkLine(message, { dir: 'in', profile: this.profile });
    const entry = this.transcript.add({
      conn: record.conn,
      dir: 'in',
      text: raw,
      ...(truncatedBy > 0 ? { truncated: truncatedBy } : {}),
      ...(parsed && this.transcript.keepsJson(raw.length) ? { json: message } : {}),
      ...(problems.length > 0 ? { problems } : {}),
    });
    record.events.push({ kind: 'line', line: { seq: entry.seq, raw, message, parsed, problems, truncatedBy } });
    const reply = parsed
      ? record.server.handle(message)
      : { response: { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, effects: [] };
    if (!reply.response) return undefined;
    const text = JSON.stringify(reply.response);
    const out = this.transcript.add({ conn: record.conn, dir: 'out', text, ...(this.transcript.keepsJson(text.length) ? { json: reply.response } : {}) });
    record.events.push({ kind: 'reply', seq: out.seq, response: reply.response, effects: reply.effects });
    return text;
  }
}

export const letter = (index: number): string => String.fromCharCode(65 + Math.min(index, 25));

/** stdio: each relay (one spawn of MCP_CONFORMANCE_SERVER_COMMAND) connects to a unix socket. */
export class SocketEndpoint implements ScenarioEndpoint {
  private readonly sockets = new Set<Socket>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'mcp-sc-'));
  readonly path = join(this.dir, 'server.sock');
  private readonly server: Server;
  private closedCbs: (() => void)[] = [];

  constructor(private readonly log: MessageLog) {
    this.server = createServer((socket) => this.accept(socket));
  }

  get connections(): ConnRecord[] {
    return this.log.connections;
  }

  environment(): Record<string, string> {
    return { [ENV.serverCommand]: this.command() };
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => resolve());
    });
  }

  /** The shell command line that starts one server instance connected here. */
  command(): string {
    return [process.execPath, relayPath(), this.path].map(shellWord).join(' ');
  }

  /** Resolves once every connection opened so far has closed, or after `ms`. */
  async drained(ms: number): Promise<void> {
    if (this.connections.every((c) => c.closed)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((r) => this.closedCbs.push(() => this.connections.every((c) => c.closed) && r())),
      new Promise<void>((r) => (timer = setTimeout(r, ms))),
    ]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const record = this.log.open(this.connections.length, 'the client started the server command');
    const splitter = new LineSplitter(MAX_LINE_BYTES);
    const onLine = (raw: string, truncatedBy: number) => {
      const reply = this.log.receive(record, raw, truncatedBy);
      if (reply !== undefined && !socket.destroyed) socket.write(`${reply}\n`);
    };
    socket.on('data', (chunk: Buffer) => splitter.push(chunk, onLine));
    socket.on('error', () => {});
    socket.on('close', () => {
      splitter.flush(onLine);
      record.closed = true;
      this.sockets.delete(socket);
      this.log.note(record, 'the client closed the connection');
      for (const cb of this.closedCbs) cb();
    });
  }
}

/** One word for /bin/sh, single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
