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
import type { ScenarioName } from './catalog.js';
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

const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** The relay's compiled file: next to this module when built; the build's copy when run from source. */
export function relayPath(): string {
  const here = fileURLToPath(new URL('./relay.js', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../dist/client-mode/relay.js', import.meta.url));
}

export class Endpoint {
  readonly connections: ConnRecord[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'mcp-sc-'));
  readonly path = join(this.dir, 'server.sock');
  private readonly server: Server;
  private closedCbs: (() => void)[] = [];

  constructor(
    private readonly scenario: ScenarioName,
    private readonly profile: Profile,
    private readonly transcript: Transcript,
    /** Gives the next transcript connection number of the run. */
    private readonly nextConn: () => number,
  ) {
    this.server = createServer((socket) => this.accept(socket));
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
    const record: ConnRecord = {
      conn: this.nextConn(),
      index: this.connections.length,
      server: new ScriptedServer(this.scenario, this.profile),
      events: [],
      closed: false,
    };
    this.connections.push(record);
    const label = String.fromCharCode(65 + Math.min(record.index, 25));
    this.transcript.note(`server ${label} (scenario ${this.scenario}): the client started the server command`, record.conn);
    const splitter = new LineSplitter(MAX_LINE_BYTES);
    const onLine = (raw: string, truncatedBy: number) => this.receive(record, socket, raw, truncatedBy);
    socket.on('data', (chunk: Buffer) => splitter.push(chunk, onLine));
    socket.on('error', () => {});
    socket.on('close', () => {
      splitter.flush(onLine);
      record.closed = true;
      this.sockets.delete(socket);
      this.transcript.note(`server ${label}: the client closed the connection`, record.conn);
      for (const cb of this.closedCbs) cb();
    });
  }

  private receive(record: ConnRecord, socket: Socket, raw: string, truncatedBy: number): void {
    if (raw.trim() === '') return;
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
    if (!reply.response) return;
    const text = JSON.stringify(reply.response);
    const out = this.transcript.add({ conn: record.conn, dir: 'out', text, ...(this.transcript.keepsJson(text.length) ? { json: reply.response } : {}) });
    record.events.push({ kind: 'reply', seq: out.seq, response: reply.response, effects: reply.effects });
    if (!socket.destroyed) socket.write(`${text}\n`);
  }
}

/** One word for /bin/sh, single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
