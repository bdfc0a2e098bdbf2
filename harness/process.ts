// Launching a target command over stdio, in its own process group, and ending the whole group.
// /bin/sh (dash) does not exec the last command, so child.pid is the shell: every signal goes
// to the group (-pid), never to the pid alone.

import { spawn, type ChildProcess } from 'node:child_process';
import type { ExitInfo, Transport } from './types.js';
import { endMarked, ensureWatchdog, groupEmptied, noteMarkedSpawn, registerGroup, RUN_MARKER_VAR, RUN_TOKEN, signalGroup, unregisterGroup, within } from './process-groups.js';
import { LineSplitter } from './transport.js';

export interface StdioOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** A stdout line longer than this keeps its first part; the rest is counted, not stored. */
  maxLineBytes?: number;
  /** Grace after each shutdown step before the next, harsher one. */
  graceMs?: number;
  /**
   * Whether the end of stdout ends the connection (stdio targets: yes). An HTTP server the
   * suite launched speaks over the network; its stdout is only a log.
   */
  stdoutIsConnection?: boolean;
}

const STDERR_TAIL_LINES = 50;
const STDERR_LINE_BYTES = 4096;
/** After the leader exits, how long its pipes may take to drain before exit is reported. */
const DRAIN_MS = 200;
let transports = 0;

type LineCb = (line: string, truncatedBy: number, partial?: boolean) => void;

export class StdioTransport implements Transport {
  private child: ChildProcess | null = null;
  private exitInfo: ExitInfo | null = null;
  private readonly lineCbs: LineCb[] = [];
  private readonly stderrCbs: ((line: string) => void)[] = [];
  private readonly exitCbs: ((info: ExitInfo) => void)[] = [];
  private readonly tail: string[] = [];
  private readonly stdout: LineSplitter;
  private readonly stderr = new LineSplitter(STDERR_LINE_BYTES);
  private closing: Promise<ExitInfo> | null = null;
  private leaderExited: Promise<void> | null = null;
  /** This target's value of RUN_MARKER_VAR. */
  readonly marker = `${RUN_TOKEN}-${++transports}`;

  constructor(readonly command: string, private readonly opts: StdioOptions = {}) {
    this.stdout = new LineSplitter(opts.maxLineBytes ?? 1024 * 1024);
  }

  get exited(): ExitInfo | null {
    return this.exitInfo;
  }

  get pid(): number | undefined {
    return this.child?.pid;
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
  stderrTail(): string[] {
    return [...this.tail];
  }
  lineInProgress(): number {
    return this.stdout.inProgress;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('StdioTransport.start called twice'));
    ensureWatchdog();
    noteMarkedSpawn();
    const child = spawn(shellCommand(this.command), {
      shell: '/bin/sh',
      detached: true,
      cwd: this.opts.cwd,
      env: { ...process.env, ...this.opts.env, [RUN_MARKER_VAR]: this.marker },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    // A target that dies mid-write must not take the harness down (EPIPE arrives here).
    child.stdin!.on('error', () => {});
    child.stdout!.on('error', () => {});
    child.stderr!.on('error', () => {});
    child.stdout!.on('data', (chunk: Buffer) => this.stdout.push(chunk, this.emitLine));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk, this.emitStderr));

    const stdoutEnded = new Promise<void>((r) => child.stdout!.once('close', () => r()));
    // End of stdout is the end of the connection, even if the process keeps running: report it
    // as gone (after a moment for a real exit to arrive with its code) and end the group.
    child.stdout!.once('end', () => {
      if (this.opts.stdoutIsConnection === false) return;
      const timer = setTimeout(() => {
        if (this.exitInfo || this.closing) return;
        this.finish({ code: null, signal: null, stdoutClosed: true });
        void this.close();
      }, DRAIN_MS);
      void this.leaderExited?.then(() => clearTimeout(timer));
    });
    const stderrEnded = new Promise<void>((r) => child.stderr!.once('close', () => r()));
    this.leaderExited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        // Lines written just before exit may still be in the pipe: let it drain, but do not
        // wait on a grandchild that holds the pipe open.
        const drained = Promise.all([stdoutEnded, stderrEnded]);
        let timer: NodeJS.Timeout | undefined;
        const capped = new Promise<void>((r) => (timer = setTimeout(r, DRAIN_MS)));
        void Promise.race([drained, capped]).then(() => {
          clearTimeout(timer);
          this.finish({ code, signal });
        });
      });
    });

    return new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        registerGroup(child.pid!);
        resolve();
      });
      child.on('error', (err) => {
        // Spawning /bin/sh itself failed (e.g. cwd missing): a harness-side problem.
        if (!child.pid) {
          this.finish({ code: null, signal: null });
          reject(err);
        }
      });
    });
  }

  send(line: string): boolean {
    const stdin = this.child?.stdin;
    if (!stdin || this.exitInfo || stdin.destroyed || stdin.writableEnded) return false;
    try {
      // Lines sent in the same tick (pipelined creates, a model's batch) leave in one write at
      // the end of the tick, not one pipe write each: each write costs a system call and wakes
      // the target (issue 15: the largest piece of the CLI's CPU after the schema compile).
      if (!this.corked) {
        this.corked = true;
        stdin.cork();
        process.nextTick(() => {
          this.corked = false;
          stdin.uncork();
        });
      }
      stdin.write(line + '\n');
      return true;
    } catch {
      return false;
    }
  }

  private corked = false;

  close(): Promise<ExitInfo> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<ExitInfo> {
    const child = this.child;
    if (!child || child.pid === undefined) return this.exitInfo ?? { code: null, signal: null };
    const pid = child.pid;
    const grace = this.opts.graceMs ?? 300;
    const leaderGone = this.leaderExited!;
    try {
      child.stdin!.end();
    } catch {
      /* already gone */
    }
    if (!(await within(leaderGone, grace))) {
      signalGroup(pid, 'SIGTERM');
      if (!(await within(leaderGone, grace))) {
        signalGroup(pid, 'SIGKILL');
        await within(leaderGone, 5000);
      }
    }
    // Children of the shell (or of the target) may outlive the leader: one last sweep, then
    // wait until the kernel has removed them (SIGKILL is delivered asynchronously).
    if (signalGroup(pid, 'SIGKILL')) await groupEmptied(pid, 2000);
    // Processes that left the group (their own session) still carry this target's marker.
    // Every process that can carry this target's marker started after it: pids above its own.
    await endMarked((value) => value === this.marker, 2000, pid);
    unregisterGroup(pid);
    child.stdout!.destroy();
    child.stderr!.destroy();
    await this.exitReported();
    return this.exitInfo ?? { code: null, signal: null };
  }

  private exitReported(): Promise<void> {
    if (this.exitInfo) return Promise.resolve();
    return new Promise((r) => this.exitCbs.push(() => r()));
  }

  private finish(info: ExitInfo): void {
    if (this.exitInfo) return;
    this.stdout.flush((line, truncatedBy) => this.emitLine(line, truncatedBy, true));
    this.stderr.flush(this.emitStderr);
    this.exitInfo = info;
    for (const cb of this.exitCbs) cb(info);
  }

  private readonly emitLine = (line: string, truncatedBy: number, partial = false): void => {
    for (const cb of this.lineCbs) cb(line, truncatedBy, partial);
  };

  private readonly emitStderr = (line: string, truncatedBy: number): void => {
    const shown = truncatedBy > 0 ? `${line}…(+${truncatedBy} bytes)` : line;
    this.tail.push(shown);
    if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
    for (const cb of this.stderrCbs) cb(shown);
  };
}

/**
 * The command as /bin/sh runs it. dash does not exec the last command: the shell would stay
 * the group leader and hold the target's stdout open, so a target that closes its stdout would
 * never be seen to. A simple command (words, quotes, no shell syntax) is prefixed with `exec`,
 * which makes the target itself the leader and the only holder of the pipe; anything else
 * (`cd x && node y`, pipes, assignments, keywords) runs as written.
 */
export function shellCommand(command: string): string {
  const trimmed = command.trim();
  if (trimmed === '' || /[;&|<>()`$\n\\{}!#]/.test(trimmed)) return command;
  const first = trimmed.split(/\s+/)[0]!;
  if (first.includes('=') || SHELL_WORDS.has(first.replace(/["']/g, ''))) return command;
  return `exec ${trimmed}`;
}

const SHELL_WORDS = new Set(
  'if then else elif fi case esac for while until do done in function select exec eval cd export set unset . source alias ulimit umask trap command builtin time wait read shift return exit break continue readonly local type hash test [ true false :'.split(' '),
);
