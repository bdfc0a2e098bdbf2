// --only / --skip: check ids, prefixes ("SESS-DELETE") or globs ("SESS-*-1").
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
