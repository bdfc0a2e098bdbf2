// Streams a transcript to a JSON-lines file as it is recorded (--transcripts), so the full
// record of a long or flooding run never has to sit in memory: lines are buffered a little
// and written synchronously (nothing is lost if the run is interrupted and exits at once).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TranscriptEntry } from './types.js';

const FLUSH_CHARS = 256 * 1024;

export class TranscriptFile {
  private fd: number | null;
  private buffer: string[] = [];
  private chars = 0;
  lines = 0;

  constructor(
    readonly path: string,
    private readonly opts: { timings?: boolean } = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  /** One entry as one JSON line (the format of --transcripts). */
  write(e: TranscriptEntry): void {
    if (this.fd === null) return;
    const line = JSON.stringify({
      seq: e.seq,
      ...(this.opts.timings ? { t: Math.round(e.t * 10) / 10 } : {}),
      conn: e.conn,
      dir: e.dir,
      check: e.check,
      text: e.text,
      problems: e.problems,
      http: e.http,
    });
    this.buffer.push(line);
    this.chars += line.length + 1;
    this.lines++;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.fd === null || this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.chars = 0;
    writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}
