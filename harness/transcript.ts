// The record of one run: every line both ways on every connection, the request/response
// exchanges, and the protocol violations the peer noticed. Bounded, so a chatty or hostile
// target cannot exhaust the harness's memory.

import { performance } from 'node:perf_hooks';
import type { Exchange, TranscriptEntry, Violation } from './types.js';

export interface TranscriptLimits {
  /** Entries kept (oldest dropped first). */
  maxEntries?: number;
  /** Characters of `text` stored per entry; the rest is counted in `truncated`. */
  maxEntryChars?: number;
  /** Messages longer than this (characters) keep no parsed JSON on entries or exchanges. */
  maxJsonChars?: number;
  maxExchanges?: number;
  maxViolations?: number;
  /** Estimated memory the entries may hold (text and parsed JSON); the oldest go first beyond it. */
  maxBytes?: number;
}

/** Receives every entry as it is recorded (e.g. TranscriptFile streaming --transcripts to disk). */
export type EntrySink = (entry: TranscriptEntry) => void;

export interface FormatOptions {
  /** At most this many lines; the rest is replaced by one `… N more lines` line. */
  maxLines?: number;
  /** Lines longer than this are shortened in the middle: `…(N chars)…`. */
  maxChars?: number;
  /** Add a `    ^ problem` line under each entry that has problems. */
  withProblems?: boolean;
}

export type NewEntry = Omit<TranscriptEntry, 'seq' | 't'>;

const PREFIX: Record<TranscriptEntry['dir'], string> = {
  out: '>>> ',
  in: '<<< ',
  stderr: '!!! stderr: ',
  event: '--- ',
};

export class Transcript {
  private readonly origin = performance.now();
  private seqCounter = 1;
  private readonly list: TranscriptEntry[] = [];
  /**
   * Entries with problems that were dropped from `list` (oldest first, bounded by maxViolations):
   * the evidence observe-phase checks (BASE-WIRE-1) judge must outlive a flood of good lines.
   * All are older than anything in `list`, so `kept` then `list` is still in seq order.
   */
  private readonly kept: TranscriptEntry[] = [];
  private readonly exchangeList: Exchange[] = [];
  private readonly violationList: Violation[] = [];
  /** Entries dropped from the front to stay within `maxEntries`. */
  dropped = 0;
  /** Estimated bytes held by `list` (see entryCost). */
  private bytes = 0;
  readonly limits: Required<TranscriptLimits>;

  constructor(limits: TranscriptLimits = {}, private readonly sink?: EntrySink) {
    this.limits = {
      maxEntries: limits.maxEntries ?? 50_000,
      maxEntryChars: limits.maxEntryChars ?? 8192,
      maxJsonChars: limits.maxJsonChars ?? 16 * 1024,
      maxExchanges: limits.maxExchanges ?? 200_000,
      maxViolations: limits.maxViolations ?? 10_000,
      maxBytes: limits.maxBytes ?? 48 * 1024 * 1024,
    };
  }

  get entries(): readonly TranscriptEntry[] {
    return this.kept.length > 0 ? this.kept.concat(this.list) : this.list;
  }
  get exchanges(): readonly Exchange[] {
    return this.exchangeList;
  }
  get violations(): readonly Violation[] {
    return this.violationList;
  }

  /** The seq the next entry will get (mark a point, then read what came after it). */
  nextSeq(): number {
    return this.seqCounter;
  }

  /** Milliseconds since this transcript was created (monotonic). */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  private secrets: string[] = [];

  /** Values that never appear in an entry (--header values): replaced by `<redacted>`. */
  redact(values: readonly string[]): void {
    this.secrets = values.filter((v) => v.length > 0);
  }

  /** The text with every redacted value replaced (for what leaves the harness outside an entry). */
  redactText(text: string): string {
    for (const secret of this.secrets) if (text.includes(secret)) text = text.split(secret).join('<redacted>');
    return text;
  }

  /** Records a line; caps its text and drops parsed JSON of oversized messages. */
  add(partial: NewEntry): TranscriptEntry {
    const entry = partial as TranscriptEntry;
    if (this.secrets.length > 0) {
      const text = this.redactText(entry.text);
      if (text !== entry.text) {
        entry.text = text;
        delete entry.json; // the parsed message holds the value too
      }
    }
    const chars = entry.text.length;
    entry.seq = this.seqCounter++;
    entry.t = this.now();
    const max = this.limits.maxEntryChars;
    if (entry.text.length > max) {
      entry.truncated = (entry.truncated ?? 0) + entry.text.length - max;
      // A copy, not a slice: V8's sliced strings keep the whole original line alive.
      entry.text = Buffer.from(entry.text.slice(0, max), 'utf8').toString('utf8');
    }
    if (entry.json !== undefined && chars > this.limits.maxJsonChars) delete entry.json;
    if (entry.truncated === 0) delete entry.truncated;
    this.sink?.(entry);
    this.list.push(entry);
    this.bytes += entryCost(entry);
    trim(this.list, this.limits.maxEntries, (n, removed) => {
      this.dropped += n;
      for (const old of removed) this.bytes -= entryCost(old);
      this.keepFlagged(removed);
    });
    if (this.bytes > this.limits.maxBytes) this.dropOldestBytes();
    return entry;
  }

  /** Drops the oldest entries until the estimate is back under three quarters of the budget. */
  private dropOldestBytes(): void {
    let k = 0;
    const target = this.limits.maxBytes * 0.75;
    while (k < this.list.length - 1 && this.bytes > target) this.bytes -= entryCost(this.list[k++]!);
    this.keepFlagged(this.list.splice(0, k));
    this.dropped += k;
  }

  private keepFlagged(removed: TranscriptEntry[]): void {
    for (const e of removed) {
      if (e.problems && e.problems.length > 0 && this.kept.length < this.limits.maxViolations) {
        delete e.json; // the text and the problems are the evidence
        this.kept.push(e);
      }
    }
  }

  /** A harness note (`--- text`). */
  note(text: string, conn = 0, check?: string): TranscriptEntry {
    return this.add({ conn, dir: 'event', text, ...(check ? { check } : {}) });
  }

  /** Whether a message of this many characters may keep its parsed JSON. */
  keepsJson(chars: number): boolean {
    return chars <= this.limits.maxJsonChars;
  }

  addExchange(exchange: Exchange): Exchange {
    this.exchangeList.push(exchange);
    trim(this.exchangeList, this.limits.maxExchanges);
    return exchange;
  }

  addViolation(v: Violation): void {
    if (this.violationList.length < this.limits.maxViolations) this.violationList.push(v);
  }

  forCheck(id: string): TranscriptEntry[] {
    return this.entries.filter((e) => e.check === id);
  }

  /** Entries of one connection, optionally from a given seq on. */
  forConn(conn: number, fromSeq = 0): TranscriptEntry[] {
    return this.entries.filter((e) => e.conn === conn && e.seq >= fromSeq);
  }

  format(entries: readonly TranscriptEntry[], opts: FormatOptions = {}): string[] {
    return formatEntries(entries, opts);
  }
}

export function formatEntries(entries: readonly TranscriptEntry[], opts: FormatOptions = {}): string[] {
  const maxChars = opts.maxChars ?? 400;
  const lines: string[] = [];
  for (const e of entries) {
    const suffix = e.truncated ? ` …(+${e.truncated} chars not kept)` : '';
    lines.push(shorten(PREFIX[e.dir] + e.text + suffix, maxChars));
    if (opts.withProblems) for (const p of e.problems ?? []) lines.push(shorten(`    ^ ${p}`, maxChars));
  }
  const maxLines = opts.maxLines ?? Infinity;
  if (lines.length <= maxLines) return lines;
  const keep = Math.max(0, maxLines - 1);
  return [...lines.slice(0, keep), `… ${lines.length - keep} more lines`];
}

/** Shortens in the middle so both the start (method, id) and the end stay readable. */
export function shorten(line: string, maxChars: number): string {
  if (line.length <= maxChars) return line;
  const marker = (n: number) => `…(${n} chars)…`;
  const room = Math.max(2, maxChars - marker(line.length).length);
  const head = Math.ceil(room / 2);
  const tail = room - head;
  return line.slice(0, head) + marker(line.length - room) + line.slice(line.length - tail);
}

/** Drops the oldest tenth once a list passes its cap (amortised, unlike shift per push). */
function trim<T>(list: T[], max: number, onDrop?: (n: number, removed: T[]) => void): void {
  if (list.length <= max) return;
  const n = Math.max(list.length - max, Math.ceil(max / 10));
  const removed = list.splice(0, n);
  onDrop?.(n, removed);
}

/** Rough memory of an entry: the object, UTF-16 text, problems, plus parsed JSON at a few times its text size. */
function entryCost(entry: TranscriptEntry): number {
  const original = entry.text.length + (entry.truncated ?? 0);
  let problems = 0;
  for (const p of entry.problems ?? []) problems += 40 + p.length * 2;
  return 160 + entry.text.length * 2 + problems + (entry.json !== undefined ? original * 4 : 0);
}
