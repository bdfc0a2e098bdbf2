// The broken servers, as `--reference broken/<name>` runs them: how each one starts and what its
// manifest (reference-servers/broken/manifest.*.json, copied beside the compiled servers by the
// build) says it must fail or warn under a draft. They ship so a user can see what a failure
// looks like; the suite's own test (broken-servers.test.ts) holds them to the same manifests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { shellQuote } from './catalog.js';
import { serverWords } from './launch.js';

export interface BrokenEntry {
  server: string;
  mustFail?: string[];
  mustWarn?: string[];
  draft?: string;
  /** Extra CLI words the entry runs with, e.g. ["--app", "notebook_server"]. */
  args?: string[];
  why: string;
}

const DIR = new URL('./broken/', import.meta.url);

export function brokenEntries(): BrokenEntry[] {
  if (!existsSync(DIR)) return [];
  return readdirSync(DIR)
    .filter((f) => /^manifest\..*\.json$/.test(f))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as BrokenEntry[]);
}

export function brokenServerNames(): string[] {
  return [...new Set(brokenEntries().map((e) => e.server))].sort();
}

/** A /bin/sh command line that starts a broken server under `draft` (see launch.ts). */
export function brokenServerCommand(name: string, draft?: string): string {
  const parts = serverWords(`broken/${name}`).map(shellQuote);
  if (draft !== undefined) parts.push('--draft', shellQuote(draft));
  return parts.join(' ');
}

/**
 * The manifest entry that demonstrates the server's defect under `draft`: with `app`, the one
 * declaring that application (or none); otherwise the one with the most findings.
 */
export function brokenEntry(name: string, draft: string, app?: string): BrokenEntry | undefined {
  const fitting = brokenEntries().filter((e) => e.server === name && (e.draft === undefined || e.draft === draft));
  const chosen = app === undefined ? fitting : fitting.filter((e) => brokenEntryApp(e) === app);
  const weight = (e: BrokenEntry) => (e.mustFail?.length ?? 0) * 2 + (e.mustWarn?.length ?? 0);
  return chosen.sort((a, b) => weight(b) - weight(a))[0];
}

/** The application a manifest entry declares the server as (its `--app`), if any. */
export function brokenEntryApp(entry: BrokenEntry | undefined): string | undefined {
  const i = entry?.args?.indexOf('--app') ?? -1;
  return i >= 0 ? entry!.args![i + 1] : undefined;
}
