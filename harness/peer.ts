// A JSON-RPC 2.0 peer over one transport: sends requests and notifications, correlates
// responses by exact id (type and value), answers the target's own requests, and records
// every line and every protocol violation on the run's transcript. Target behaviour never
// throws: each request ends as result | error | timeout | exit.

import { randomBytes } from 'node:crypto';
import type { NewEntry, Transcript } from './transcript.js';
import type { ExitInfo, LineMeta, Outcome, Profile, RequestId, RequestOptions, Transport, Violation } from './types.js';
import type { HttpEndpoint } from './http/types.js';
import { checkLine, kindOf } from './wire.js';
import { Inbox, type Incoming } from './inbox.js';
import type { ServiceQueue } from './service-queue.js';
import { InFlight } from './in-flight.js';
import { armDeadline, classifyStray, exchangeOf, keyOf, type Pending, type Problem, type Settled } from './correlation.js';
import { NoiseGate } from './noise-gate.js';
import { Senders } from './senders.js';
import { ServerRequests, type RequestHandler } from './server-requests.js';
import { safeStringify } from './values.js';
import { readLine } from './line-reader.js';
import { NotificationLog, type KeptNotification, type NotificationHandler } from './notification-log.js';

export interface PeerOptions {
  conn: number;
  transcript: Transcript;
  profile: Profile;
  defaultTimeout: number;
  idPrefix?: string;
  /**
   * Non-JSON on stdout before the target's first response (bytes): beyond it the peer stops
   * reading and calls the onTooMuchNoise callback (a target that prints `yes` forever).
   */
  maxNoiseBytes?: number;
  /** The same bound in lines. */
  maxNoiseLines?: number;
  /** The target's request queue, when other connections share it (--url); else the peer's own. */
  service?: ServiceQueue;
}

/** A timeout during which the target sent at least this many notifications mentions them. */
const FLOOD_NOTE = 100;

export class Peer {
  readonly conn: number;
  readonly idPrefix: string;
  /** The target's notifications (kept, bounded) and the handlers that want them. */
  private readonly incoming = new NotificationLog();
  /** Recent incoming messages, for checks that wait on something other than a response. */
  readonly inbox = new Inbox();
  private readonly transcript: Transcript;
  private readonly profile: Profile;
  private readonly defaultTimeout: number;
  /** Requests waiting for their answer, and what became of the others (in-flight.ts). */
  private readonly requests: InFlight;
  private readonly serverRequests: ServerRequests;
  private readonly exitWaiters = new Set<(info: ExitInfo) => void>();
  private readonly responseSeqs = new WeakMap<Outcome, number>();
  private counter = 0;
  private intCounter = 0;
  private sent = 0;
  private exitInfo: ExitInfo | null = null;
  private closing = false;
  private writeFailed = false;
  /** Which check each line belongs to (senders.ts). */
  private readonly senders = new Senders();
  /** Something malformed went out, so an error with id null is a legitimate answer. */
  private sentMalformed = false;
  /** A response (any) has arrived: the target speaks JSON-RPC, the noise bound no longer applies. */
  private answeredAny = false;
  private readonly noiseGate: NoiseGate;
  private noiseCb?: (detail: string) => void;
  /** Stopped reading stdout (too much noise): lines are dropped unrecorded. */
  private deaf = false;
  /** How the line being read travelled (HTTP), for its transcript entry. */
  private meta?: LineMeta;

  constructor(
    private readonly transport: Transport,
    opts: PeerOptions,
  ) {
    this.conn = opts.conn;
    this.transcript = opts.transcript;
    this.profile = opts.profile;
    this.defaultTimeout = opts.defaultTimeout;
    this.requests = new InFlight(opts.service);
    this.idPrefix = opts.idPrefix ?? randomBytes(4).toString('hex');
    this.noiseGate = new NoiseGate(opts.maxNoiseBytes, opts.maxNoiseLines);
    this.serverRequests = new ServerRequests(opts.profile.errors.methodNotFound);
    transport.onLine((line, truncatedBy, partial, meta) => this.receive(line, truncatedBy, partial === true, meta));
    transport.onStderr((line) => this.record({ dir: 'stderr', text: line, check: this.senders.last }));
    transport.onExit((info) => this.exitedWith(info));
    transport.onNote?.((text, id) => this.note(text, this.senders.of(id)));
    transport.onNoAnswer?.((id, detail) => this.noAnswer(id, detail));
    transport.onWentOut?.((id) => this.requests.pending.get(keyOf(id))?.rearm?.());
  }

  /** The HTTP layer of this connection (Streamable HTTP targets only). */
  get http(): HttpEndpoint | undefined {
    return this.transport.http;
  }

  get requestsSent(): number {
    return this.sent;
  }
  /**
   * The target can no longer be spoken to: it exited, or a write to it already failed (which
   * can happen a moment before the exit is reported).
   */
  get gone(): boolean {
    return this.exitInfo !== null || this.writeFailed;
  }

  get exited(): ExitInfo | null {
    return this.exitInfo;
  }

  /**
   * Nothing is wrong with the target so far: it is running and has printed nothing on stdout
   * that is not JSON-RPC (no banner, no flood, not even part of a line).
   */
  get quietSoFar(): boolean {
    return !this.gone && !this.deaf && this.noiseGate.seen === 0 && (this.transport.lineInProgress?.() ?? 0) === 0;
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  stderrTail(): string[] {
    return this.transport.stderrTail();
  }

  /** A fresh integer id, unique on this connection (for checks that need numeric ids). */
  nextIntegerId(): number {
    do this.intCounter++;
    while (this.requests.used(this.intCounter));
    return this.intCounter;
  }

  /** The transcript seq of the response that produced this outcome (result/error only). */
  seqOf(outcome: Outcome): number | undefined {
    return this.responseSeqs.get(outcome);
  }

  async request(method: string, params?: unknown, opts: RequestOptions = {}): Promise<Outcome> {
    const id = opts.id ?? `${this.idPrefix}-${++this.counter}`;
    const key = keyOf(id);
    if (this.requests.pending.has(key)) throw new Error(`harness bug: request id ${safeStringify(id)} is already pending`);
    const request = { jsonrpc: '2.0', id, method, ...(params !== undefined ? { params } : {}) };
    if (this.exitInfo || this.closing) {
      this.note(`not sent (target ${this.exitInfo ? 'exited' : 'closing'}): ${method}`, opts.check);
      return { kind: 'exit', id, ...(this.exitInfo ?? { code: null, signal: null }) };
    }
    if (opts.invalidOnPurpose) this.sentMalformed = true;
    const { seq, delivered, chars } = this.write(request, { check: opts.check, invalidOnPurpose: opts.invalidOnPurpose });
    this.sent++;
    return new Promise<Outcome>((resolve) => {
      const p: Pending = { id, method, check: opts.check, request, requestSeq: seq, requestChars: chars, notificationsAtSend: this.incoming.count, sentAt: performance.now(), resolve };
      this.requests.open(p);
      if (!delivered) {
        this.writeFailed = true;
        return this.settle(p, 'exit', { kind: 'exit', id, ...(this.exitInfo ?? { code: null, signal: null }) });
      }
      const ms = opts.timeout ?? this.defaultTimeout;
      const arm = () => armDeadline(p, ms, () => this.transport.lineInProgress?.() ?? 0, (waited) => this.timedOut(p, waited ?? ms, waited !== undefined), this.requests.service);
      p.rearm = () => {
        clearTimeout(p.timer);
        if (!p.settled) arm();
      };
      arm();
    });
  }

  notify(method: string, params?: unknown, opts: { check?: string } = {}): void {
    const message = { jsonrpc: '2.0', method, ...(params !== undefined ? { params } : {}) };
    if (this.exitInfo) return void this.note(`not sent (target exited): ${method}`, opts.check);
    this.write(message, { check: opts.check });
  }

  /** Sends a line exactly as given (malformed-input checks): no schema is applied to it. */
  sendRaw(line: string, opts: { check?: string } = {}): void {
    this.sentMalformed = true;
    this.senders.sent(opts.check);
    if (this.exitInfo) return void this.note('raw line not sent (target exited)', opts.check);
    this.record({ dir: 'out', text: line, check: opts.check });
    this.transport.send(line);
  }

  /** The target's recent notifications (the oldest go first past a bound). */
  get notifications(): readonly KeptNotification[] {
    return this.incoming.kept;
  }

  onNotification(method: string | '*', handler: NotificationHandler): () => void {
    return this.incoming.on(method, handler);
  }

  onRequest(method: string, handler: RequestHandler): void {
    this.serverRequests.set(method, handler);
  }

  /**
   * Called once when the target prints more non-JSON than the bound before its first
   * response; the peer then stops reading (the caller gives up on the target).
   */
  onTooMuchNoise(cb: (detail: string) => void): void {
    this.noiseCb = cb;
  }

  /** Resolves with the first incoming message (from `fromSeq` on) that matches, or null at the deadline. */
  waitForMessage(match: (message: any) => boolean, ms: number, fromSeq = 0): Promise<Incoming | null> {
    return this.inbox.waitFor(match, ms, fromSeq);
  }

  waitForExit(ms: number): Promise<ExitInfo | null> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    return new Promise((resolve) => {
      const done = (info: ExitInfo | null) => {
        clearTimeout(timer);
        this.exitWaiters.delete(done);
        resolve(info);
      };
      const timer = setTimeout(() => done(null), ms);
      this.exitWaiters.add(done);
    });
  }

  /** Ends the connection: pending requests settle as `exit`, then the process group is shut down. */
  async close(): Promise<ExitInfo> {
    this.closing = true;
    for (const p of [...this.requests.pending.values()]) {
      this.settle(p, 'exit', { kind: 'exit', id: p.id, ...(this.exitInfo ?? { code: null, signal: null }) });
    }
    return this.transport.close();
  }

  // -------------------------------------------------------------------------------------------
  // Outgoing

  private write(message: any, opts: { check?: string; invalidOnPurpose?: boolean; answers?: string }) {
    const text = safeStringify(message);
    const problems = checkLine(message, { dir: 'out', profile: this.profile, ...opts });
    this.senders.sent(opts.check, typeof message?.method === 'string' ? message.id : undefined);
    const entry = this.record({ dir: 'out', text, check: opts.check, json: message, problems });
    if (problems.length > 0) {
      const what = typeof message.method === 'string' ? message.method : `${kindOf(message)} to ${opts.answers ?? '?'}`;
      this.violation(entry.seq, { kind: 'schema', detail: `harness sent invalid ${what}: ${problems.join('; ')}` });
    }
    return { seq: entry.seq, delivered: this.transport.send(text), chars: text.length };
  }

  private answer(request: any): void {
    void this.serverRequests.answer(request).then((body) => {
      if (!this.exitInfo) this.write({ jsonrpc: '2.0', id: request.id, ...body }, { check: this.senders.last, answers: request.method });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Incoming

  private receive(raw: string, truncatedBy: number, partial: boolean, meta?: LineMeta): void {
    if (this.deaf) return;
    this.meta = meta;
    const read = readLine(raw, truncatedBy, partial, this.closing);
    if (read.kind === 'oversized') return void this.finishIn({ text: read.line, truncated: truncatedBy }, read.found);
    if (read.kind === 'non-json') {
      this.finishIn({ text: read.line }, read.found);
      return this.noise(read.line);
    }
    const { line, message, found, kind } = read;
    if (kind === 'success' || kind === 'error') return this.receiveResponse(line, message, found);
    const entrySeq = this.finishIn({ text: line, json: message, check: this.senders.last }, found, message);
    if (kind === 'other') return this.noise(line);
    if (kind === 'request') {
      this.inbox.add({ message, seq: entrySeq });
      this.answer(message);
    } else if (kind === 'notification') {
      if (this.incoming.add(message, line.length, entrySeq)) this.inbox.add({ message, seq: entrySeq });
      this.incoming.dispatch(message);
    }
  }

  private receiveResponse(line: string, message: any, found: Problem[]): void {
    this.answeredAny = true;
    const id = message.id;
    const key = typeof id === 'string' || typeof id === 'number' ? keyOf(id) : undefined;
    const p = key ? this.requests.pending.get(key) : undefined;
    let check = p?.check;
    let answers = p?.method;
    if (!p) {
      this.requests.stray(key);
      const classified = classifyStray(message, key, this.requests.pending, this.requests.settled, this.sentMalformed);
      if (classified.problem) found.push(classified.problem);
      check = classified.check ?? this.senders.last;
      answers = classified.method;
    }
    const seq = this.finishIn({ text: line, json: message, check }, found, message, answers);
    this.inbox.add({ message, seq });
    if (!p) return;
    const outcome: Outcome =
      'error' in message
        ? { kind: 'error', id: p.id, error: message.error, message }
        : { kind: 'result', id: p.id, result: message.result, message };
    this.responseSeqs.set(outcome, seq);
    this.requests.answered(p);
    this.settle(p, 'answered', outcome, message, seq, line.length);
  }

  /** Records an incoming line with its schema problems and violations; returns its seq. */
  private finishIn(
    entry: { text: string; truncated?: number; json?: unknown; check?: string },
    found: Problem[],
    message?: unknown,
    answers?: string,
  ): number {
    const schema = message === undefined ? [] : checkLine(message, { dir: 'in', profile: this.profile, answers });
    const problems = found.length === 0 ? (schema.length === 0 ? undefined : [...schema]) : [...found.map((f) => `${f.kind}: ${f.detail}`), ...schema];
    // Built member by member, without spreads or deletes (this runs once per line read; an
    // object that lost a member by `delete` is slow to use and larger).
    const fresh: Omit<NewEntry, 'conn'> = { dir: 'in', text: entry.text };
    if (this.meta) fresh.http = this.meta;
    const check = entry.check ?? this.senders.last;
    if (check !== undefined) fresh.check = check;
    if (entry.truncated) fresh.truncated = entry.truncated;
    // A notification keeps its text only (checks read notifications from peer.notifications):
    // a flood of them must not fill the heap with parsed objects.
    if (entry.json !== undefined && kindOf(entry.json) !== 'notification' && this.transcript.keepsJson(entry.text.length)) fresh.json = entry.json;
    if (problems) fresh.problems = problems;
    const recorded = this.record(fresh);
    for (const f of found) this.violation(recorded.seq, f);
    return recorded.seq;
  }

  /** Counts non-JSON-RPC output before the first response; gives up on the target past the bound. */
  private noise(line: string): void {
    if (this.answeredAny) return;
    const detail = this.noiseGate.count(line);
    if (detail === undefined) return;
    this.deaf = true;
    this.note(detail, this.senders.last);
    this.noiseCb?.(detail);
  }

  // -------------------------------------------------------------------------------------------
  // Bookkeeping

  /**
   * The transport saw the request's exchange end without its response (HTTP): the request
   * ends now as a timeout that says what happened, not at its deadline.
   */
  private noAnswer(id: RequestId, detail: string): void {
    const p = this.requests.pending.get(keyOf(id));
    if (!p) return;
    const ms = Math.round(performance.now() - (p.sentAt ?? performance.now()));
    this.settle(p, 'timeout', { kind: 'timeout', id: p.id, ms, noAnswer: detail });
  }

  /** `ms`: how long it waited; `queued`: longer than its timeout, while requests ahead kept the target busy. */
  private timedOut(p: Pending, ms: number, queued: boolean): void {
    const meanwhile = this.incoming.count - p.notificationsAtSend;
    const outcome: Outcome = { kind: 'timeout', id: p.id, ms, ...(meanwhile > 0 ? { notificationsMeanwhile: meanwhile } : {}), ...(queued ? { queued: true as const } : {}) };
    if (meanwhile >= FLOOD_NOTE) {
      this.note(`no response to ${p.method} (id ${safeStringify(p.id)}) within ${ms} ms; meanwhile the target sent ${meanwhile} notifications`, p.check);
    }
    this.settle(p, 'timeout', outcome);
  }

  private settle(p: Pending, how: Settled['how'], outcome: Outcome, response?: any, responseSeq?: number, responseChars?: number): void {
    if (!this.requests.settle(p, how)) return;
    this.transcript.addExchange(exchangeOf(this.conn, p, outcome, (chars) => this.transcript.keepsJson(chars), response, responseSeq, responseChars));
    p.resolve(outcome);
  }

  private exitedWith(info: ExitInfo): void {
    this.exitInfo = info;
    this.note(
      info.stdoutClosed
        ? 'target closed its stdout while still running: the connection is gone (treated as an exit; its processes are ended)'
        : `target exited (code ${info.code}, signal ${info.signal})`,
      this.senders.last,
    );
    for (const p of [...this.requests.pending.values()]) this.settle(p, 'exit', { kind: 'exit', id: p.id, ...info });
    for (const waiter of [...this.exitWaiters]) waiter(info);
  }

  private record(entry: Omit<NewEntry, 'conn'>) {
    const clean = entry as NewEntry;
    clean.conn = this.conn;
    if ('check' in clean && clean.check === undefined) delete clean.check;
    if (clean.problems && clean.problems.length === 0) delete clean.problems;
    return this.transcript.add(clean);
  }

  private note(text: string, check?: string): void {
    this.record({ dir: 'event', text, check });
  }

  private violation(seq: number, problem: Problem): void {
    this.transcript.addViolation({ kind: problem.kind, seq, conn: this.conn, detail: problem.detail });
  }
}
