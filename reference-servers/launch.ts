// How a compiled reference or broken server is started: from the build's start-up snapshot
// (scripts/snapshot-references.mjs) when there is one made by this very Node binary, else from its
// file. Both run the same compiled module; the snapshot only skips loading the SDK and zod again.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What scripts/snapshot-references.mjs records beside the blob. */
export interface SnapshotInfo {
  node: string;
  arch: string;
  platform: string;
  execPath: string;
  /** dist/reference-servers/ when the snapshot was built: its modules find their files there. */
  dir: string;
  /** Server names it holds: "session_server", "broken/state-object", … */
  servers: string[];
  /** The compiled files it was made from, relative to `dir`: [size, mtimeMs]. */
  sources: Record<string, [number, number]>;
}

const HERE = fileURLToPath(new URL('./', import.meta.url));

/** True while every compiled file the snapshot was made from is as it was (no bare `tsc` since). */
function unchanged(sources: SnapshotInfo['sources']): boolean {
  try {
    return Object.entries(sources).every(([file, [size, mtimeMs]]) => {
      const now = statSync(join(HERE, file));
      return now.size === size && now.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

/**
 * The blob in `dir` and the servers it holds, if this process's Node can start it: the same
 * binary and version that built it, the servers' directory where it was, and their compiled files
 * as they were. Otherwise undefined (no snapshot built, another Node, a moved checkout, servers
 * compiled again since): servers then start from their files.
 */
export function usableSnapshot(dir = join(HERE, 'snapshot')): { blob: string; servers: Set<string> } | undefined {
  const blob = join(dir, 'servers.blob');
  let info: SnapshotInfo;
  try {
    info = JSON.parse(readFileSync(join(dir, 'servers.json'), 'utf8')) as SnapshotInfo;
  } catch {
    return undefined;
  }
  const same =
    info.node === process.version &&
    info.arch === process.arch &&
    info.platform === process.platform &&
    info.execPath === process.execPath &&
    join(info.dir, '/') === join(HERE, '/');
  return same && existsSync(blob) && info.sources !== undefined && unchanged(info.sources) ? { blob, servers: new Set(info.servers) } : undefined;
}

let cached: ReturnType<typeof usableSnapshot> | null = null;

/**
 * The words that start a compiled server with this Node, before its own arguments: `name` is its
 * path under dist/reference-servers/ without `.js` ("session_server", "broken/state-object").
 */
export function serverWords(name: string): string[] {
  if (cached === null) cached = usableSnapshot();
  if (cached?.servers.has(name)) return [process.execPath, '--snapshot-blob', cached.blob, name];
  return [process.execPath, join(HERE, `${name}.js`)];
}
