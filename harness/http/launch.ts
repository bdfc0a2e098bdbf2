// A server the suite launches for HTTP (`--server "<cmd>" --url "http://127.0.0.1:{port}/mcp"`):
// a free port for `{port}`, the process owned exactly as over stdio (process group, run
// marker, nothing left running: harness/process.ts), and a bounded wait until the port
// accepts connections.
import { createServer, connect as tcpConnect } from 'node:net';
import { StdioTransport } from '../process.js';

export const PORT_PLACEHOLDER = '{port}';

/** A port nobody listens on right now (the kernel's choice; released before the target binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

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

/** The launched process: stdio's process handling, its stdout read as log lines, not messages. */
export function launchProcess(command: string, opts: { cwd?: string; env?: Record<string, string>; maxLineBytes: number }): StdioTransport {
  return new StdioTransport(command, { cwd: opts.cwd, env: opts.env, maxLineBytes: Math.min(opts.maxLineBytes, 64 * 1024), stdoutIsConnection: false });
}
