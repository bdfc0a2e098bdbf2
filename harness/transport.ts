// Newline framing of a byte stream with a hard cap per line: a target that prints a 10 MB line
// costs the harness at most `maxLineBytes` of buffer, the rest is only counted.

export type LineSink = (line: string, truncatedBy: number) => void;

export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes of the current, not yet complete line (kept and counted). */
  get inProgress(): number {
    return this.kept + this.dropped;
  }

  /** Feeds a chunk; calls `sink` once per complete line (without `\n` and trailing `\r`). */
  push(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        this.keep(chunk, start, chunk.length);
        break;
      }
      if (this.parts.length === 0 && this.dropped === 0 && nl - start <= this.maxLineBytes) {
        // Fast path (nearly every line): the whole line is in this chunk, decode it directly.
        const end = nl > start && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
        sink(chunk.toString('utf8', start, end), 0);
      } else {
        this.keep(chunk, start, nl);
        this.emit(sink);
      }
      start = nl + 1;
    }
  }

  /** Delivers what is left without a final newline (a partial last line), if anything. */
  flush(sink: LineSink): void {
    if (this.kept > 0 || this.dropped > 0) this.emit(sink);
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const room = this.maxLineBytes - this.kept;
    const take = Math.min(room, end - start);
    if (take > 0) {
      // Copy: holding a slice would pin the whole (possibly large) chunk in memory.
      this.parts.push(Buffer.from(chunk.subarray(start, start + take)));
      this.kept += take;
    }
    this.dropped += end - start - Math.max(take, 0);
  }

  private emit(sink: LineSink): void {
    let line = Buffer.concat(this.parts, this.kept).toString('utf8');
    if (this.dropped === 0 && line.endsWith('\r')) line = line.slice(0, -1);
    const dropped = this.dropped;
    this.parts = [];
    this.kept = 0;
    this.dropped = 0;
    sink(line, dropped);
  }
}
