// What `explain <id>` and `list --json` say about a check. Nothing here is a second copy: the
// rule, its section, how it is tested and its source come from the check's definition
// (suites/), the levels from the profiles (suites/profiles/), the example finding from the
// generated suites/explain-examples.ts (a broken server's real finding, npm run gen:explain).
import type { Level } from '../harness/types.js';
import { specOf, type CheckDef } from '../suites/check.js';
import { EXPLAIN_EXAMPLES, type ExampleFinding } from '../suites/explain-examples.js';
import { listDrafts, loadProfile, UsageError } from './profiles.js';
import { matchesPattern, nearest } from './select.js';

export type { ExampleFinding };

export interface Explanation {
  id: string;
  /** The rule, as a sentence saying what must happen. */
  title: string;
  section: string;
  /** Level per draft revision; null: the check is not part of that revision. */
  levels: Record<string, Level | null>;
  /** Where the rule comes from, per draft revision it is part of (draft section, decisions). */
  sources: Record<string, string>;
  /** The decisions (D-numbers) the sources cite, in order. */
  decisions: string[];
  /** How the suite tests it. */
  how: string | null;
  /** What a failure looks like: a broken server's finding (null: no broken server fails it). */
  example: ExampleFinding | null;
  /** The usual fix: the one the example finding gives. */
  fix: string | null;
}

/** Every explanation of `checks`, in their order. */
export function explainAll(checks: readonly CheckDef[]): Explanation[] {
  const profiles = listDrafts().map(loadProfile);
  return checks.map((c) => {
    const levels: Record<string, Level | null> = {};
    const sources: Record<string, string> = {};
    for (const p of profiles) {
      levels[p.draft] = p.levels[c.id] ?? null;
      if (p.levels[c.id] !== undefined) sources[p.draft] = specOf(c, p);
    }
    const example = EXPLAIN_EXAMPLES.find((e) => e.id === c.id) ?? null;
    return {
      id: c.id,
      title: c.title,
      section: c.section,
      levels,
      sources,
      decisions: decisionsIn(Object.values(sources)),
      how: c.how ?? null,
      example,
      fix: example?.fix ?? null,
    };
  });
}

/** "decision D6", "decisions D10, D24", "D8 (…) and D22": every D-number, once, in order. */
export function decisionsIn(texts: readonly string[]): string[] {
  const found = texts.flatMap((t) => [...t.matchAll(/\bD(\d+)\b/g)].map((m) => Number(m[1])));
  return [...new Set(found)].sort((a, b) => a - b).map((n) => `D${n}`);
}

/** A rule judged outside the server checks (client mode's CLI-* ids): what its catalog says. */
export interface RuleDef {
  id: string;
  title: string;
  section: string;
  spec: string;
  how: string;
  fix: string;
}

/** The explanation of a catalog rule: levels from the profiles, no broken-server example. */
export function explainRule(r: RuleDef): Explanation {
  const levels: Record<string, Level | null> = {};
  const sources: Record<string, string> = {};
  for (const p of listDrafts().map(loadProfile)) {
    levels[p.draft] = p.levels[r.id] ?? null;
    if (p.levels[r.id] !== undefined) sources[p.draft] = r.spec;
  }
  return { id: r.id, title: r.title, section: r.section, levels, sources, decisions: decisionsIn(Object.values(sources)), how: r.how, example: null, fix: r.fix };
}

/**
 * The explanation of one id (any case). An unknown id is a usage error (exit 2) that names the
 * closest ids — or, for a prefix such as SESS-ERR, the ids it covers.
 */
export function explainOne(checks: readonly CheckDef[], id: string, rules: readonly RuleDef[] = []): Explanation {
  const wanted = id.trim().toUpperCase();
  const ids = [...checks.map((c) => c.id), ...rules.map((r) => r.id)];
  const check = checks.find((c) => c.id === wanted);
  if (check) return explainAll([check])[0]!;
  const rule = rules.find((r) => r.id === wanted);
  if (rule) return explainRule(rule);
  const covered = ids.filter((x) => matchesPattern(x, wanted));
  if (covered.length > 0) throw new UsageError(`explain takes one check id; ${id} covers ${covered.join(', ')}`);
  const near = nearest(wanted, ids, 3);
  throw new UsageError(`unknown check id "${id}"${near.length > 0 ? `; closest: ${near.join(', ')}` : ''} (see: list)`);
}
