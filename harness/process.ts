// Launching a target command over stdio, in its own process group, and ending the whole group.
// /bin/sh (dash) does not exec the last command, so child.pid is the shell: every signal goes
// to the group (-pid), never to the pid alone.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ExitInfo, Transport } from './types.js';
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
/**
 * Every target gets this environment variable, with a value unique to the run and the target:
 * a process that left the target's process group (setsid, detached) still carries it, and is
 * found by it in /proc (Linux) and ended with the rest.
 */
export const RUN_MARKER_VAR = 'MCP_SESSION_CONFORMANCE_RUN';
const RUN_TOKEN = randomBytes(8).toString('hex');
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
    await endMarked((value) => value === this.marker, 2000);
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

/**
 * Polls until no process is left in the group. The members are not our children, so there is
 * no event to wait on; the poll is short and bounded.
 */
async function groupEmptied(pid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (!groupAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  signalGroup(pid, 'SIGKILL');
  return !groupAlive(pid);
}

/**
 * Whether any process of the group is still running. Killed members of a group whose leader
 * is gone are reparented to init, which may take a second to reap them: zombies are dead and
 * do not count (read from /proc where there is one).
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (!existsSync('/proc/self/stat')) return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state ppid pgrp …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** Resolves true if `p` settles within `ms`, false otherwise. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Registry of live process groups. A detached group does not get the terminal's Ctrl-C, so the
// harness must kill every group it started on its own way out.

const liveGroups = new Set<number>();

function registerGroup(pid: number): void {
  liveGroups.add(pid);
}
function unregisterGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Signals a whole group; false when nothing is left in it (ESRCH). */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL every group still registered, and every process marked by this run (synchronous: safe inside an `exit` handler). */
export function killAllTargets(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
  for (const pid of markedProcesses((value) => value.startsWith(`${RUN_TOKEN}-`))) signalPid(pid, 'SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// Processes marked with RUN_MARKER_VAR. Linux only (/proc/<pid>/environ); elsewhere the process
// group is all the harness can reach, and this finds nothing.

/** Pids (never this process) whose environment holds RUN_MARKER_VAR with a value that `accept`s. */
export function markedProcesses(accept: (value: string) => boolean): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const found: number[] = [];
  const prefix = `${RUN_MARKER_VAR}=`;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue; // exited while we looked, or not ours to read
    }
    const at = environ.indexOf(prefix);
    if (at < 0 || (at > 0 && environ[at - 1] !== '\0')) continue;
    const end = environ.indexOf('\0', at);
    if (accept(environ.slice(at + prefix.length, end < 0 ? undefined : end))) found.push(Number(name));
  }
  return found;
}

/** SIGKILLs every marked process `accept`ed, then waits (bounded) until none is left. */
async function endMarked(accept: (value: string) => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    const pids = markedProcesses(accept).filter((pid) => !isZombie(pid));
    if (pids.length === 0 || performance.now() > deadline) return;
    for (const pid of pids) signalPid(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true; // gone
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

type InterruptHook = (signal: NodeJS.Signals) => void | Promise<void>;
const interruptHooks: InterruptHook[] = [];
const INTERRUPT_HOOK_MS = 2000;
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let handlersInstalled = false;
let interrupted = false;

/**
 * Runs `cb` on SIGINT/SIGTERM/SIGHUP before the targets are killed and the process exits
 * (e.g. the CLI writing a partial report). Bounded: after ~2 s the exit goes ahead anyway.
 * Returns a function that removes the hook.
 */
export function onInterrupt(cb: InterruptHook): () => void {
  interruptHooks.push(cb);
  return () => {
    const i = interruptHooks.indexOf(cb);
    if (i >= 0) interruptHooks.splice(i, 1);
  };
}

/** Kill every target group on exit and on SIGINT/SIGTERM/SIGHUP. Idempotent. */
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllTargets);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) {
    process.on(signal, () => void handleSignal(signal));
  }
}

async function handleSignal(signal: NodeJS.Signals): Promise<void> {
  const code = SIGNAL_EXIT_CODES[signal] ?? 1;
  if (interrupted) {
    // A second signal while the hooks run: stop waiting.
    killAllTargets();
    process.exit(code);
  }
  interrupted = true;
  const hooks = Promise.allSettled(interruptHooks.map(async (hook) => hook(signal)));
  await within(hooks, INTERRUPT_HOOK_MS);
  killAllTargets();
  process.exit(code);
}
