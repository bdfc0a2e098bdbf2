// The port a launched HTTP target gets for `{port}`. A port is free only when the suite looks;
// until the target binds it, another process may take it. The kernel hands out the ports of its
// ephemeral range to every `listen(0)` and every outgoing connection, so a port picked there
// (as `listen(0)` picks) is the one most likely to be taken in between: by another suite run
// on the machine (parallel CI jobs) or any server started with port 0. The target then exits
// "address in use" (launch.ts starts it again), or, worse, the other process listens first and
// the suite tests a stranger's server under the target's name.
// So the suite picks a random port below the ephemeral range (no `listen(0)` or connection gets
// one there), claims it across suite processes with a file in the temp directory (created
// exclusively, holding the claimer's pid), checks nobody listens on it, and keeps the claim
// until the target is gone. Where the range leaves no room below it, the kernel's pick is used,
// still claimed.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The claims of every suite run on this machine, one file per port. */
export const CLAIMS_DIR = join(tmpdir(), 'mcp-session-conformance-ports');
/** The lowest port the suite picks: below it, fixed ports of common services are denser. */
const LOWEST = 20_000;
/** Where the kernel's ephemeral range starts when it cannot be read (macOS and Windows: 49152). */
const EPHEMERAL_DEFAULT = 49_152;
const ATTEMPTS = 50;
/** The claim files this process holds: removed at its exit too (a killed run's files are removed by the next claimer that finds their pid dead). */
const held = new Set<string>();
let exitHook = false;

export interface PortClaim {
  port: number;
  /** Gives the port back (removes the claim file); safe to call more than once. */
  release(): void;
}

/** The first port of the kernel's ephemeral range (Linux: /proc; elsewhere the IANA default). */
export function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low! > 0) return low!;
  } catch {
    // not Linux, or no /proc
  }
  return EPHEMERAL_DEFAULT;
}

/** A random port in [LOWEST, start of the ephemeral range), or undefined when there is no room. */
function randomPortBelowEphemeral(): number | undefined {
  const high = ephemeralStart();
  if (high - LOWEST < 1000) return undefined;
  return LOWEST + Math.floor(Math.random() * (high - LOWEST));
}

/**
 * Claims a port for a target to listen on: free now (nothing listens on 127.0.0.1 there), outside
 * the kernel's ephemeral range where there is room, and claimed by no other live suite process.
 * `pick` chooses candidates (tests); undefined from it means "let the kernel choose".
 */
export async function claimPort(pick: () => number | undefined = randomPortBelowEphemeral): Promise<PortClaim> {
  shareClaimsDir();
  for (let attempt = 1; ; attempt++) {
    const port = (attempt <= ATTEMPTS ? pick() : undefined) ?? (await freePort());
    const claim = claimFile(port);
    if (!claim) continue;
    if (await listenable(port)) return claim;
    claim.release();
    if (attempt > ATTEMPTS + 10) throw new Error(`no free port to launch the target on after ${attempt} attempts`);
  }
}

/** The claim of `port`, or undefined when a live process holds it. A dead claimer's file is removed (the next pick may take the port). */
function claimFile(port: number): PortClaim | undefined {
  const path = join(CLAIMS_DIR, String(port));
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch (err: any) {
    // A directory this user may not write in (another user's, on a shared machine): the port
    // goes unclaimed, still outside the ephemeral range.
    if (err?.code !== 'EEXIST') return { port, release: () => undefined };
    if (!alive(Number(readOr(path, '')))) {
      try {
        rmSync(path, { force: true });
      } catch {
        // another user's file (sticky directory): the port stays skipped
      }
    }
    return undefined;
  }
  held.add(path);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => held.forEach((p) => rmSync(p, { force: true })));
  }
  return {
    port,
    release: () => {
      if (held.delete(path)) rmSync(path, { force: true });
    },
  };
}

/** The claims directory, writable by every user like the temp directory itself (sticky: each removes only its own files). */
function shareClaimsDir(): void {
  try {
    if (mkdirSync(CLAIMS_DIR, { recursive: true }) !== undefined) chmodSync(CLAIMS_DIR, 0o1777);
  } catch {
    // not ours to create or share: claimFile() then leaves ports unclaimed
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Whether a process with this pid exists (EPERM: it does, someone else's). A file still being written reads as alive. */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err?.code === 'EPERM';
  }
}

/** Whether the suite can listen on 127.0.0.1:port right now (then nobody else does). */
function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on right now, the kernel's pick (its ephemeral range), released at once. */
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
