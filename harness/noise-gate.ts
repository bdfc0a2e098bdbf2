// The bound on non-JSON-RPC output before a target's first response: a target that prints
// `yes` forever is given up on with a precise reason, instead of being read until a deadline.
export class NoiseGate {
  private bytes = 0;
  private lines = 0;

  constructor(
    private readonly maxBytes = Infinity,
    private readonly maxLines = Infinity,
  ) {}

  /** Noise lines counted so far. */
  get seen(): number {
    return this.lines;
  }

  /** Counts one noise line; past the bound, returns why the harness stops reading. */
  count(line: string): string | undefined {
    this.bytes += Buffer.byteLength(line) + 1;
    this.lines++;
    if (this.bytes <= this.maxBytes && this.lines <= this.maxLines) return undefined;
    return (
      `the target printed more than ${this.lines > this.maxLines ? `${this.maxLines} lines` : `${this.maxBytes} bytes`} ` +
      `of non-JSON-RPC output on stdout (${this.lines} lines, ${this.bytes} bytes) before answering anything; the harness stopped reading`
    );
  }
}
