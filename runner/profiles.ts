// Profiles are data: one JSON file per draft revision in suites/profiles/.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../harness/types.js';

export const DEFAULT_DRAFT = '2026-02-27';

function profileDir(): string {
  // Runs from dist/runner/ (built) or runner/ (tests importing the source).
  for (const rel of ['../../suites/profiles/', '../suites/profiles/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('suites/profiles/ not found next to the runner');
}

export function listDrafts(): string[] {
  return readdirSync(profileDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadProfile(draft: string): Profile {
  if (!listDrafts().includes(draft)) {
    throw new UsageError(`unknown draft revision "${draft}" (known: ${listDrafts().join(', ')})`);
  }
  return JSON.parse(readFileSync(`${profileDir()}${draft}.json`, 'utf8')) as Profile;
}

/** A mistake in how the tool was called (exit code 2). */
export class UsageError extends Error {}
