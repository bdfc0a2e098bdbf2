// --only / --skip: check ids, prefixes ("SESS-DELETE") or globs ("SESS-*-1").
import { UsageError } from './profiles.js';

export function matchesPattern(id: string, pattern: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (!p) return false;
  if (p.includes('*') || p.includes('?')) {
    const regex = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return regex.test(id);
  }
  return id === p || id.startsWith(p.endsWith('-') ? p : `${p}-`);
}

export function selectIds(ids: string[], only: string[] = [], skip: string[] = []): string[] {
  return ids.filter(
    (id) => (only.length === 0 || only.some((p) => matchesPattern(id, p))) && !skip.some((p) => matchesPattern(id, p)),
  );
}

/**
 * The ids selected by --only / --skip among `ids` (the checks of the selected draft). A pattern
 * that matches none of them is a usage error naming the pattern and the closest id (D17): a
 * typo must not quietly run fewer checks, or none, and call that conformant.
 */
export function selectChecks(ids: string[], everyId: string[], draft: string, only: string[] = [], skip: string[] = []): string[] {
  for (const [flag, patterns] of [['--only', only], ['--skip', skip]] as const) {
    for (const pattern of patterns) {
      if (ids.some((id) => matchesPattern(id, pattern))) continue;
      const elsewhere = everyId.filter((id) => matchesPattern(id, pattern));
      if (elsewhere.length > 0) {
        throw new UsageError(`${flag} ${pattern}: ${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} not part of draft ${draft} (see: list --draft ${draft})`);
      }
      const near = closest(pattern.trim().toUpperCase(), ids);
      throw new UsageError(`${flag} ${pattern} matches no check id of draft ${draft}${near ? `; did you mean ${near}?` : ''} (see: list)`);
    }
  }
  return selectIds(ids, only, skip);
}

/** The id nearest to `pattern` by edit distance, if it is near enough to be a likely typo. */
export function closest(pattern: string, ids: string[]): string | undefined {
  return nearest(pattern, ids, 1)[0];
}

/**
 * Up to `n` ids near enough to `pattern` to be a likely typo, nearest first (ties in the ids'
 * order): within an edit distance of a third of its length, at least 2.
 */
export function nearest(pattern: string, ids: readonly string[], n: number): string[] {
  const bound = Math.max(2, Math.floor(pattern.length / 3));
  return ids
    .map((id, i) => ({ id, i, d: distance(pattern, id) }))
    .filter((x) => x.d <= bound)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, n)
    .map((x) => x.id);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
