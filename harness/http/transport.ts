// Streamable HTTP (MCP 2025-11-25) behind the same Transport the peer speaks over stdio: each
// line the peer sends is POSTed as one JSON-RPC message; what comes back (an application/json
// body, or the events of an SSE stream, server requests and notifications included) is handed
// to the peer line by line. The peer never learns which transport it speaks over, so every
// check runs unchanged. HTTP failures never hang a request: a request whose exchange ended
// without its response is reported at once (onNoAnswer) with what happened.
import type { ExitInfo, LineMeta, RequestId, Transport } from '../types.js';
import type { StdioTransport } from '../process.js';
import { describeError, readBody, readSse } from './read.js';
import { launchOnFreePort } from './launch.js';
import { closingConnection, exchangeResending, isLoopback, type ExchangeInit, type ExchangeResponse } from './resend.js';
import { slotsFor, takeTurn, type Slots } from './slots.js';
import type { HttpEndpoint, HttpRecord, HttpTransportOptions, RawAnswer } from './types.js';
import { dataLayerSessionId, describeRecord, describeResponse, HEADER_SAFE, idKey, isJson, oneLine, postedKind, responseTo, safeHeader } from './messages.js';

type LineCb = (line: string, truncatedBy: number, partial?: boolean, meta?: LineMeta) => void;

const MAX_RECORDS = 5000;
const DELETE_MS = 2000;
const RAW_BODY_BYTES = 4096;
/** Resumptions (GET with Last-Event-ID) of one request's SSE stream that ended before its response. */
const MAX_RESUMES = 3;
const ACCEPT = 'application/json, text/event-stream';

export class HttpTransport implements Transport, HttpEndpoint {
  private readonly lineCbs: LineCb[] = [];
  private readonly stderrCbs: ((line: string) => void)[] = [];
  private readonly exitCbs: ((info: ExitInfo) => void)[] = [];
  private readonly noteCbs: ((text: string, id?: RequestId) => void)[] = [];
  private readonly noAnswerCbs: ((id: RequestId, detail: string) => void)[] = [];
  private readonly wentOutCbs: ((id: RequestId) => void)[] = [];
  private readonly inflight = new Set<AbortController>();
  private readonly inTransit = new Map<object, number>();
  private readonly byId = new Map<string, HttpRecord>();
  private readonly waiters = new Map<HttpRecord, (() => void)[]>();
  readonly records: HttpRecord[] = [];
  private process?: StdioTransport;
  private exitInfo: ExitInfo | null = null;
  private closing: Promise<ExitInfo> | null = null;
  private session?: string;
  private version?: string;
  private getStreamOpened = false;
  url: string;

  /** A connection per exchange (resend.ts: closingConnection). */
  private readonly closeEach: boolean;
  /** The server's slots (slots.ts), once its address is known. */
  private slots?: Slots;

  constructor(private readonly opts: HttpTransportOptions) {
    this.url = opts.url;
    this.closeEach = isLoopback(opts.url);
  }

  get exited(): ExitInfo | null {
    return this.exitInfo;
  }
  get pid(): number | undefined {
    return this.process?.pid;
  }
  get http(): HttpEndpoint {
    return this;
  }
  onLine(cb: LineCb): void {
    this.lineCbs.push(cb);
  }
  onStderr(cb: (line: string) => void): void {
    this.stderrCbs.push(cb);
  }
  onExit(cb: (info: ExitInfo) => void): void {
    this.exitCbs.push(cb);
  }
  onNote(cb: (text: string, id?: RequestId) => void): void {
    this.noteCbs.push(cb);
  }
  onNoAnswer(cb: (id: RequestId, detail: string) => void): void {
    this.noAnswerCbs.push(cb);
  }
  onWentOut(cb: (id: RequestId) => void): void {
    this.wentOutCbs.push(cb);
  }
  stderrTail(): string[] {
    return this.process?.stderrTail() ?? [];
  }
  lineInProgress(): number {
    let sum = 0;
    for (const bytes of this.inTransit.values()) sum += bytes;
    return sum;
  }
  transportSessionId(): string | undefined {
    return this.session;
  }
  protocolVersion(): string | undefined {
    return this.version;
  }

  async start(): Promise<void> {
    const launch = this.opts.launch;
    if (!launch) return;
    const attach = (proc: StdioTransport) => {
      this.process = proc;
      proc.onLine((line) => this.emitStderr(`stdout: ${line}`));
      proc.onStderr((line) => this.emitStderr(line));
    };
    const { proc, url, opened } = await launchOnFreePort({ url: this.opts.url, ...launch, maxLineBytes: this.opts.maxMessageBytes }, attach, (text) => this.note(text));
    this.url = url;
    const exited = (info: ExitInfo) => {
      this.exitInfo = info;
      for (const ac of this.inflight) ac.abort();
      for (const cb of this.exitCbs) cb(info);
    };
    if (proc.exited) exited(proc.exited);
    else proc.onExit(exited);
    this.note(opened === 'open' ? `listening: ${this.url}` : opened === 'exited' ? `the target exited before ${this.url} accepted connections` : `${this.url} accepted no connection within ${launch.startTimeout} ms`);
  }

  send(line: string): boolean {
    if (this.exitInfo || this.closing) return false;
    let message: any;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    void this.post(line, message);
    return true;
  }

  headersFor(message: unknown): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT };
    if (this.version) headers['mcp-protocol-version'] = this.version;
    const id = this.session ?? dataLayerSessionId(message, this.opts.metaKey);
    if (id !== undefined && HEADER_SAFE.test(id)) headers['mcp-session-id'] = id;
    for (const [name, value] of this.opts.headers) headers[name.toLowerCase()] = value;
    return headers;
  }

  /** Headers of a GET for an SSE stream. */
  private streamHeaders(): Record<string, string> {
    const { 'content-type': _, ...headers } = this.headersFor(undefined);
    return { ...headers, accept: 'text/event-stream' };
  }

  recordOf(id: string | number): HttpRecord | undefined {
    return this.byId.get(idKey(id));
  }

  settled(record: HttpRecord, ms: number): Promise<boolean> {
    if (record.done) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      const list = this.waiters.get(record) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.waiters.set(record, list);
    });
  }

  /** `ms` counts from the moment the POST goes out, not from its wait for a connection slot. */
  async rawPost(body: string, headers: Record<string, string>, ms: number): Promise<RawAnswer> {
    const ac = this.track(new AbortController(), 0);
    try {
      const res = await this.exchange({ method: 'POST', headers, body, signal: ac.signal }, 'raw POST', undefined, { armed: () => this.arm(ac, ms) });
      const read = await readBody(res.body, RAW_BODY_BYTES);
      return { status: res.status, contentType: res.headers.get('content-type') ?? undefined, body: read.text, bodyBytes: read.bytes, ...(read.error ? { problem: read.error } : {}) };
    } catch (err) {
      return { body: '', bodyBytes: 0, problem: describeError(err) };
    } finally {
      this.untrack(ac);
    }
  }

  close(): Promise<ExitInfo> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  // -------------------------------------------------------------------------------------------

  private async post(line: string, message: any): Promise<void> {
    const record = this.newRecord('POST', message);
    const headers = this.headersFor(message);
    if (headers['mcp-session-id'] !== undefined) {
      record.sentSessionId = headers['mcp-session-id'];
      record.sessionIdSource = this.session !== undefined ? 'transport' : 'data-layer';
    }
    const unsafe = this.session === undefined ? dataLayerSessionId(message, this.opts.metaKey) : undefined;
    if (unsafe !== undefined && record.sentSessionId === undefined) this.note(`the data-layer sessionId ${JSON.stringify(unsafe).slice(0, 80)} cannot travel in an HTTP header (not visible ASCII): sent without Mcp-Session-Id`);
    record.sentProtocolVersion = headers['mcp-protocol-version'];
    const ac = this.track(new AbortController(), this.opts.exchangeMs);
    let answered = false;
    const deliver = (text: string, truncatedBy: number, via: 'json' | 'sse') => {
      record.messages++;
      const answer = record.posted === 'request' && !answered ? responseTo(text, record.id!) : undefined;
      if (answer) {
        answered = true;
        const version = answer.result?.protocolVersion;
        if (record.rpcMethod === 'initialize' && typeof version === 'string' && HEADER_SAFE.test(version)) this.version = version;
      }
      this.emitLine(text, truncatedBy, { via, status: record.status, ...(record.contentType ? { contentType: record.contentType } : {}), ...(record.responseSessionId ? { sessionId: record.responseSessionId } : {}) });
      return answered;
    };
    try {
      // A response to a server's request skips the turn: the server may hold its own requests until it has it.
      const turn = record.posted === 'response' ? undefined : { record };
      const res = await this.exchange({ method: 'POST', headers, body: line, signal: ac.signal }, `POST ${record.rpcMethod ?? 'raw'}${record.id !== undefined ? ` (id ${JSON.stringify(record.id)})` : ''}`, record.id, turn);
      describeResponse(record, res);
      if (record.rpcMethod === 'initialize' && res.ok) this.session = safeHeader(res.headers.get('mcp-session-id'));
      if (res.status >= 300 && res.status < 400) {
        record.problem = `redirected (HTTP ${res.status}${record.location ? ` to ${record.location}` : ''}); the suite does not follow redirects: point --url at the endpoint itself`;
        void res.body?.cancel().catch(() => undefined);
      } else if (/^text\/event-stream\b/i.test(record.contentType ?? '')) {
        const handlers = {
          onEvent: (data: string) => (deliver(data, 0, 'sse') ? ('stop' as const) : undefined),
          onOversized: (kept: string, dropped: number) => void deliver(kept, Math.max(dropped, 1), 'sse'),
          progress: (bytes: number) => this.inTransit.set(record, bytes),
        };
        let read = await readSse(res.body, this.opts.maxMessageBytes, handlers);
        record.bodyBytes = read.bytes;
        // 2025-11-25: a server may close the stream before the response, having given its events
        // ids; the client resumes with a GET carrying Last-Event-ID (a few times, each bounded).
        for (let resumed = 0; read.end === 'end' && record.posted === 'request' && !answered && read.lastEventId !== undefined && resumed < MAX_RESUMES && !this.closing; resumed++) {
          const lastEventId = read.lastEventId;
          const headers = { ...this.streamHeaders(), 'last-event-id': lastEventId };
          const again = await this.exchange({ method: 'GET', headers, signal: ac.signal }, 'GET (resumption)', record.id, {});
          this.note(`resuming the SSE stream of ${record.rpcMethod} (id ${JSON.stringify(record.id)}) with GET, Last-Event-ID: ${lastEventId} → HTTP ${again.status}`, record.id);
          if (again.status !== 200 || !/^text\/event-stream\b/i.test(again.headers.get('content-type') ?? '')) {
            void again.body?.cancel().catch(() => undefined);
            record.problem = `the SSE stream ended before the response, and resuming it (GET with Last-Event-ID: ${lastEventId}) got HTTP ${again.status}`;
            break;
          }
          const next = await readSse(again.body, this.opts.maxMessageBytes, handlers);
          record.bodyBytes += next.bytes;
          read = { ...next, lastEventId: next.lastEventId ?? lastEventId };
        }
        if (read.end === 'oversized' || read.end === 'error') record.problem = read.detail;
        else if (read.end === 'end' && record.posted === 'request' && !answered) record.problem ??= 'the SSE stream ended before the response to the request';
      } else {
        const read = await readBody(res.body, this.opts.maxMessageBytes, (bytes) => this.inTransit.set(record, bytes));
        record.bodyBytes = read.bytes;
        if (read.error) record.problem = `the connection broke mid-response: ${read.error}`;
        if (read.dropped > 0) deliver(read.text, read.dropped, 'json');
        else if (read.text.trim() !== '' && !read.error) {
          if (isJson(read.text)) deliver(read.text, 0, 'json');
          else record.problem ??= `HTTP ${res.status} with a body that is not JSON (${record.contentType ?? 'no content type'}): ${oneLine(read.text)}`;
        }
        if (!record.problem && record.posted === 'request' && !answered) record.problem = `HTTP ${res.status} without a response to the request${read.text.trim() === '' ? ' (empty body)' : ''}`;
      }
    } catch (err) {
      record.problem = `no HTTP answer: ${describeError(err)}`;
    } finally {
      this.untrack(ac);
      this.inTransit.delete(record);
      this.finish(record);
    }
    this.note(describeRecord(record), record.id);
    if (record.posted === 'request' && !answered && !this.closing) {
      for (const cb of this.noAnswerCbs) cb(record.id!, record.problem ?? 'no response to the request');
    }
    if (record.rpcMethod === 'notifications/initialized' && !this.getStreamOpened && !this.closing) {
      this.getStreamOpened = true;
      void this.openGetStream();
    }
  }

  /** The GET stream for server-initiated messages, when the server offers one (405: it does not). */
  private async openGetStream(): Promise<void> {
    const record = this.newRecord('GET');
    const headers = this.streamHeaders();
    record.sentSessionId = headers['mcp-session-id'];
    record.sentProtocolVersion = headers['mcp-protocol-version'];
    const ac = this.track(new AbortController(), 0);
    try {
      const res = await this.exchange({ method: 'GET', headers, signal: ac.signal }, 'GET');
      describeResponse(record, res);
      if (res.status === 200 && /^text\/event-stream\b/i.test(record.contentType ?? '')) {
        this.note(describeRecord(record, 'open'));
        const emit = (text: string, truncatedBy: number) => {
          record.messages++;
          this.emitLine(text, truncatedBy, { via: 'get', status: 200 });
        };
        const read = await readSse(res.body, this.opts.maxMessageBytes, { onEvent: (data) => void emit(data, 0), onOversized: (kept, dropped) => emit(kept, Math.max(dropped, 1)) });
        record.bodyBytes = read.bytes;
        if (read.end === 'oversized' || (read.end === 'error' && !this.closing)) record.problem = read.detail;
      } else {
        void res.body?.cancel().catch(() => undefined);
      }
    } catch (err) {
      if (!this.closing) record.problem = `no HTTP answer: ${describeError(err)}`;
    } finally {
      this.untrack(ac);
      this.finish(record);
    }
    if (!this.closing || record.problem) this.note(describeRecord(record));
  }

  private async shutdown(): Promise<ExitInfo> {
    for (const ac of this.inflight) ac.abort();
    if (this.session !== undefined && !this.exitInfo) {
      const record = this.newRecord('DELETE');
      const headers = this.headersFor(undefined);
      delete headers['content-type'];
      record.sentSessionId = this.session;
      const ac = this.track(new AbortController(), DELETE_MS);
      try {
        const res = await this.exchange({ method: 'DELETE', headers, signal: ac.signal }, 'DELETE');
        describeResponse(record, res);
        void res.body?.cancel().catch(() => undefined);
      } catch (err) {
        record.problem = `no HTTP answer: ${describeError(err)}`;
      } finally {
        this.untrack(ac);
        this.finish(record);
      }
      this.note(describeRecord(record));
    }
    if (this.process) return this.process.close();
    return this.exitInfo ?? { code: null, signal: null };
  }

  /**
   * One exchange up to the response head, sent again if its connection closed first; on loopback a
   * connection of its own (resend.ts); `id`: the request it carries. With `turn`, on loopback, it
   * first waits for one of the server's connection slots (slots.ts), held up to the response head;
   * `armed` runs once it may go, `record` notes how long it waited. The GET stream and the closing
   * DELETE take none; nor does a remote server, reached over pooled connections.
   */
  private async exchange(init: ExchangeInit, what: string, id?: RequestId, turn?: { record?: HttpRecord; armed?: () => void }): Promise<ExchangeResponse> {
    let release: (() => void) | undefined;
    if (turn && this.closeEach) {
      this.slots ??= slotsFor(this.url);
      const slot = await takeTurn(this.slots, this.opts.slotMs, init.signal ?? undefined, turn.record);
      release = slot.release;
      // Its --timeout runs from now: the wait was the suite's, not the server's.
      if (slot.waited >= 1 && id !== undefined) for (const cb of this.wentOutCbs) cb(id);
    }
    turn?.armed?.();
    try {
      return await exchangeResending(this.url, this.closeEach ? closingConnection(init) : init, what, { note: (text) => this.note(text, id), ending: () => this.exitInfo !== null || this.closing !== null });
    } finally {
      release?.();
    }
  }

  private newRecord(method: HttpRecord['method'], message?: any): HttpRecord {
    const record: HttpRecord = { method, bodyBytes: 0, messages: 0, done: false };
    if (method === 'POST') {
      const kind = postedKind(message);
      record.posted = kind;
      if (kind === 'request' || kind === 'notification') record.rpcMethod = message.method;
      if (kind === 'request') {
        record.id = message.id;
        this.byId.set(idKey(message.id), record);
      }
    }
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) {
      const old = this.records.shift()!;
      if (old.id !== undefined && this.byId.get(idKey(old.id)) === old) this.byId.delete(idKey(old.id));
    }
    return record;
  }

  private finish(record: HttpRecord): void {
    record.done = true;
    for (const w of this.waiters.get(record) ?? []) w();
    this.waiters.delete(record);
  }

  /** ms 0: no deadline of its own (the GET stream lives until close(); rawPost arms its own later). */
  private track(ac: AbortController, ms: number): AbortController {
    this.inflight.add(ac);
    this.arm(ac, ms);
    return ac;
  }

  private arm(ac: AbortController, ms: number): void {
    if (ms <= 0 || ac.signal.aborted) return;
    const timer = setTimeout(() => ac.abort(), ms);
    ac.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    (ac as any).timer = timer;
  }

  private untrack(ac: AbortController): void {
    clearTimeout((ac as any).timer);
    this.inflight.delete(ac);
  }

  private emitLine(text: string, truncatedBy: number, meta: LineMeta): void {
    for (const cb of this.lineCbs) cb(text, truncatedBy, false, meta);
  }
  private emitStderr(line: string): void {
    for (const cb of this.stderrCbs) cb(line);
  }
  private note(text: string, id?: RequestId): void {
    for (const cb of this.noteCbs) cb(`http: ${text}`, id);
  }
}
