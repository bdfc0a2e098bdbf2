// A server the suite launches for HTTP (`--server "<cmd>" --url "http://127.0.0.1:{port}/mcp"`):
// a free port for `{port}`, the process owned exactly as over stdio (process group, run
// marker, nothing left running: harness/process.ts), and a bounded wait until the port
// accepts connections.
import { connect as tcpConnect } from 'node:net';
import { StdioTransport } from '../process.js';
import { claimPort } from './ports.js';

export const PORT_PLACEHOLDER = '{port}';

/** Replaces every `{port}` in the text. */
export function withPort(text: string, port: number): string {
  return text.split(PORT_PLACEHOLDER).join(String(port));
}

/**
 * Waits until host:port accepts a TCP connection, the process exits, or ms pass. There is no
 * event for "a port opened" in another process: a short bounded poll.
 */
export async function waitForPort(url: URL, ms: number, gone: () => boolean): Promise<'open' | 'exited' | 'timeout'> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (gone()) return 'exited';
    if (await accepts(host, port, Math.max(50, Math.min(1000, deadline - performance.now())))) return 'open';
    if (gone()) return 'exited';
    await new Promise((r) => setTimeout(r, 25));
  }
  return 'timeout';
}

function accepts(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Ports tried when the target says its port is taken: another process took it between the suite's pick and the target's bind. */
const PORT_ATTEMPTS = 3;
/** How Node, Python, Go, Java and C servers say so. */
export const ADDRESS_IN_USE = /EADDRINUSE|address already in use/i;

export interface LaunchOptions {
  /** The endpoint and the command, each with `{port}`. */
  url: string;
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  maxLineBytes: number;
  startTimeout: number;
}

export interface Launched {
  proc: StdioTransport;
  url: string;
  opened: 'open' | 'exited' | 'timeout';
}

/**
 * Starts the target on a free port and waits until the port accepts connections. A free port
 * is free only when the suite looks: a target that exits saying its address is in use lost the
 * port to another process in between (the suite's race, not the target's fault), so it is
 * started again on another port, at most PORT_ATTEMPTS times in all, within startTimeout.
 * `attach` gets each process before it starts (its output); its exit is the caller's to
 * follow once this returns (`proc.exited`, `proc.onExit`): a lost race is no exit of the target.
 */
export async function launchOnFreePort(opts: LaunchOptions, attach: (proc: StdioTransport) => void, note: (text: string) => void): Promise<Launched> {
  const deadline = performance.now() + opts.startTimeout;
  for (let attempt = 1; ; attempt++) {
    // Claimed until this process is gone (ports.ts): no other suite run picks it meanwhile.
    const { port, release } = await claimPort();
    const url = withPort(opts.url, port);
    const proc = launchProcess(withPort(opts.command, port), opts);
    proc.onExit(release);
    const stderr: string[] = [];
    proc.onStderr((line) => stderr.push(line));
    attach(proc);
    await proc.start().catch((err) => {
      release();
      throw err;
    });
    const opened = await waitForPort(new URL(url), Math.max(0, deadline - performance.now()), () => proc.exited !== null);
    const taken = opened === 'exited' && opts.command.includes(PORT_PLACEHOLDER) ? stderr.find((line) => ADDRESS_IN_USE.test(line)) : undefined;
    if (taken === undefined || attempt === PORT_ATTEMPTS || performance.now() >= deadline) return { proc, url, opened };
    note(`port ${port} was taken before the target could listen on it (${taken.trim().slice(0, 160)}): starting the target again on another port`);
    await proc.close();
  }
}

/** The launched process: stdio's process handling, its stdout read as log lines, not messages. */
export function launchProcess(command: string, opts: { cwd?: string; env?: Record<string, string>; maxLineBytes: number }): StdioTransport {
  return new StdioTransport(command, { cwd: opts.cwd, env: opts.env, maxLineBytes: Math.min(opts.maxLineBytes, 64 * 1024), stdoutIsConnection: false });
}
