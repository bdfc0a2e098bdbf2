// The command line's files and directories, checked before the run starts: every report path
// must be writable, every input file must parse, the target's --cwd must be a directory.
// A problem is a UsageError (exit 2) with one line that names the option and the path, so a
// typo costs nothing, rather than a stack trace after a run of several minutes.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { clip } from '../harness/values.js';
import { UsageError } from '../runner/profiles.js';

export interface ExpectedFailure {
  id: string;
  reason: string;
}

/** Throws a UsageError when a report could not be written to `file` (`flag` names the option). */
export function checkOutputFile(flag: string, file: string): void {
  const path = resolve(file);
  if (existsSync(path)) {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`${flag} ${file}: is a directory; name a file`);
    try {
      closeSync(openSync(path, 'r+'));
    } catch (err) {
      throw new UsageError(`${flag} ${file}: cannot write to it (${reason(err)})`);
    }
    return;
  }
  checkCanCreateIn(flag, file, dirname(path));
}

/**
 * Writes a report after the run. The path was checked before the run, but its directory may have
 * gone or been replaced since: a failure is returned as one line naming the option, the path and
 * the cause (never thrown), so the other reports are still written.
 */
export function writeReportFile(flag: string, file: string, text: string): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return undefined;
  } catch (err) {
    const at = (err as NodeJS.ErrnoException)?.path;
    return `${flag} ${file}: could not write the report (${reason(err)}${at && resolve(at) !== resolve(file) ? `: ${at}` : ''})`;
  }
}

/** Throws a UsageError when `dir` could not hold the files written into it. */
export function checkOutputDirectory(flag: string, dir: string): void {
  const path = resolve(dir);
  if (existsSync(path) && !statSync(path).isDirectory()) throw new UsageError(`${flag} ${dir}: is a file, not a directory`);
  checkCanCreateIn(flag, dir, path);
}

/** The nearest existing ancestor of `dir` must be a directory in which a file can be created. */
function checkCanCreateIn(flag: string, given: string, dir: string): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new UsageError(`${flag} ${given}: ${existing} is a file, not a directory`);
  }
  // access(2) says yes to root everywhere (and on /proc or /sys): only a real file tells.
  const probe = resolve(existing, `.mcp-session-conformance-${process.pid}-${Date.now()}.probe`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    throw new UsageError(`${flag} ${given}: cannot create files in ${existing} (${reason(err)})`);
  }
  try {
    unlinkSync(probe);
  } catch {
    /* gone already */
  }
}

/** The target's working directory must exist and be a directory. */
export function checkWorkingDirectory(dir: string): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch (err) {
    throw new UsageError(`--cwd ${dir}: ${reason(err)}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--cwd ${dir}: is a file, not a directory`);
}

/**
 * Reads --expected-failures: a JSON array of {id, reason}, or lines "ID reason" (# comments).
 * Anything else is a UsageError naming the file and what is wrong with it.
 */
export function readExpectedFailures(file: string): ExpectedFailure[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--expected-failures ${file}: cannot read it (${reason(err)})`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return expectedFromJson(file, trimmed);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l, i) => {
      const [id, ...rest] = l.split(/\s+/);
      if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(id!)) throw new UsageError(`--expected-failures ${file}: entry ${i + 1} "${clip(l, 60)}" does not start with a check id`);
      return { id: id!.toUpperCase(), reason: rest.join(' ') };
    });
}

function expectedFromJson(file: string, text: string): ExpectedFailure[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--expected-failures ${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value)) throw new UsageError(`--expected-failures ${file}: expected a JSON array of {"id", "reason"} objects`);
  return value.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as any).id !== 'string' || (entry as any).id === '') {
      throw new UsageError(`--expected-failures ${file}: entry ${i + 1} has no "id" string`);
    }
    const why = (entry as any).reason;
    if (why !== undefined && typeof why !== 'string') throw new UsageError(`--expected-failures ${file}: entry ${i + 1} has a "reason" that is not a string`);
    return { id: (entry as any).id.toUpperCase(), reason: why ?? '' };
  });
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a directory',
    EEXIST: 'a file is where its directory should be',
    EISDIR: 'is a directory',
    ENOSPC: 'no space left on device',
  };
  return e?.code ? `${words[e.code] ?? e.code}` : String(e?.message ?? err);
}
