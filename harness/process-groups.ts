// The process groups the harness started, and every process marked as this run's: the registry
// that kills them on the way out (exit, SIGINT/SIGTERM/SIGHUP), the /proc scans that find a
// group's members and marked processes that left their group, and the interrupt hooks.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Every target gets this environment variable, with a value unique to the run and the target:
 * a process that left the target's process group (setsid, detached) still carries it, and is
 * found by it in /proc (Linux) and ended with the rest.
 */
export const RUN_MARKER_VAR = 'MCP_SESSION_CONFORMANCE_RUN';
export const RUN_TOKEN = randomBytes(8).toString('hex');

/**
 * Polls until no process is left in the group. The members are not our children, so there is
 * no event to wait on; the poll is short and bounded.
 */
export async function groupEmptied(pid: number, ms: number): Promise<boolean> {
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
  // A member of the group started after its leader, whose pid the group's id is.
  for (const pid of pidsAfter(pgid - 1)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
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
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
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

export function registerGroup(pid: number): void {
  liveGroups.add(pid);
  tellWatchdog(`+${pid}`);
}
export function unregisterGroup(pid: number): void {
  liveGroups.delete(pid);
  tellWatchdog(`-${pid}`);
}

// ---------------------------------------------------------------------------------------------
// The watchdog. A CLI killed by SIGKILL (a CI job's timeout, the OOM killer) runs no handler, and
// a target that does not read its stdin outlives it: an HTTP server the suite launched, a stdio
// target that ignores the end of its input. So the CLI (installExitHandlers) keeps a few lines
// of sh in a session of their own, told every group it registers and unregisters. When the
// watchdog's stdin ends — the CLI is gone, however it went — it SIGKILLs the groups still listed
// and every process marked with this run's token, unless the CLI said `clear` on a normal way out.

const WATCHDOG = `
groups=" "
marker="$1"
clear=0
drop() { out=" "; for g in $groups; do [ "$g" = "$1" ] || out="$out$g "; done; groups="$out"; }
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) drop "\${line#-}" ;;
    clear) groups=" "; clear=1 ;;
  esac
done
[ "$clear" = 1 ] && exit 0
# Until three sweeps in a row find no marked process (at most ~3 s): a target spawned just
# before the CLI died may not be listed yet, and may start children after a sweep.
sweeps=0
quiet=0
while [ "$sweeps" -lt 15 ] && [ "$quiet" -lt 3 ]; do
  for g in $groups; do kill -KILL -- "-$g" 2>/dev/null; done
  found=0
  for f in /proc/[0-9]*/environ; do
    grep -qaF "${RUN_MARKER_VAR}=$marker-" "$f" 2>/dev/null || continue
    p="\${f#/proc/}"; kill -KILL "\${p%/environ}" 2>/dev/null && found=1
  done
  if [ "$found" = 1 ]; then quiet=0; else quiet=$((quiet + 1)); fi
  sweeps=$((sweeps + 1))
  sleep 0.2
done
exit 0
`;

/** undefined: not started yet; null: not wanted (no exit handlers) or could not start. */
let watchdog: ChildProcess | null | undefined;

/**
 * Starts the watchdog (once, and only where installExitHandlers() was called) before a target is
 * spawned: a CLI killed between a target's fork and its registration leaves that target to the
 * watchdog's sweep for this run's marker.
 */
export function ensureWatchdog(): void {
  if (handlersInstalled && watchdog === undefined) watchdog = startWatchdog();
}

function tellWatchdog(line: string): void {
  ensureWatchdog();
  if (watchdog?.stdin?.writable) watchdog.stdin.write(`${line}\n`);
}

function startWatchdog(): ChildProcess | null {
  try {
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'mcp-session-conformance-watchdog', RUN_TOKEN], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => undefined); // no /bin/sh: the exit handlers alone, as before
    child.stdin!.on('error', () => undefined);
    child.unref(); // it ends when our end of its stdin closes: at our exit
    return child;
  } catch {
    return null;
  }
}

/** Signals a whole group; false when nothing is left in it (ESRCH). */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
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
  // No marked process was ever started (list, explain, a usage error): none to look for.
  if (markedFloor !== undefined) for (const pid of markedProcesses((value) => value.startsWith(`${RUN_TOKEN}-`), markedFloor)) signalPid(pid, 'SIGKILL');
  // Nothing is left for the watchdog (a pipe write of a few bytes leaves at once, also here).
  if (watchdog?.stdin?.writable) watchdog.stdin.write('clear\n');
}

// ---------------------------------------------------------------------------------------------
// Processes marked with RUN_MARKER_VAR. Linux only (/proc/<pid>/environ); elsewhere the process
// group is all the harness can reach, and this finds nothing.

// Reading every process's environment costs ~20 µs a process: on a desktop with ~500 processes,
// ~10 ms a scan, and a run scanned once per target it closed and once at its exit (issue 15:
// +28 ms wall, +48 ms of CPU for a default run beside 400 idle processes). A marked process
// starts after the target it inherited the marker from (and a group's member after the group's
// leader), and Linux hands out pids in increasing order, wrapping at pid_max: so a scan reads only
// the pids above that first process's, unless the counter has wrapped since (the namespace's
// last pid is then below it), and then every pid.

/** The pid counter before the run's first marked process started; undefined: none started. */
let markedFloor: number | undefined;

/** Called before a marked process is spawned. */
export function noteMarkedSpawn(): void {
  markedFloor ??= lastPid() ?? 0;
}

/** The last pid handed out in this pid namespace (Linux), if it can be read. */
function lastPid(): number | undefined {
  try {
    const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    return Number.isInteger(last) ? last : undefined;
  } catch {
    return undefined;
  }
}

/** The pids in /proc that may belong to processes started after pid `since` (0: every pid). */
function pidsAfter(since: number): number[] {
  const last = since > 0 ? lastPid() : undefined;
  const floor = last !== undefined && last >= since ? since : 0;
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > floor);
}

/**
 * Pids (never this process) whose environment holds RUN_MARKER_VAR with a value that `accept`s.
 * With `since` (a pid that existed before every process looked for): pids above it only, unless
 * the pid counter has wrapped since.
 */
export function markedProcesses(accept: (value: string) => boolean, since = 0): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const found: number[] = [];
  const prefix = `${RUN_MARKER_VAR}=`;
  for (const pid of pidsAfter(since)) {
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // exited while we looked, or not ours to read
    }
    const at = environ.indexOf(prefix);
    if (at < 0 || (at > 0 && environ[at - 1] !== '\0')) continue;
    const end = environ.indexOf('\0', at);
    if (accept(environ.slice(at + prefix.length, end < 0 ? undefined : end))) found.push(pid);
  }
  return found;
}

/** SIGKILLs every marked process `accept`ed (see markedProcesses for `since`), then waits (bounded) until none is left. */
export async function endMarked(accept: (value: string) => boolean, ms: number, since = 0): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    const pids = markedProcesses(accept, since).filter((pid) => !isZombie(pid));
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
