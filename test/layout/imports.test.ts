// The layout holds only if every import points down. This reads the import statements of every
// source file (static, re-exports and dynamic imports) and checks them against the rules of the
// README's Layout section, so the rooms cannot silently decay.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ROOMS = ['cli', 'client-mode', 'runner', 'suites', 'harness', 'reports', 'schemas', 'reference-servers', 'reference-clients'] as const;
type Room = (typeof ROOMS)[number];

/** Which rooms each room may import from (besides itself), and which only for types. */
const ALLOWED: Record<Room, { any: Room[]; typeOnly?: Room[] }> = {
  cli: { any: ['client-mode', 'runner', 'suites', 'harness', 'reports', 'schemas', 'reference-servers', 'reference-clients'] },
  // Client mode: its own scripted server and judge on the shared harness; it fills runner/'s result types.
  'client-mode': { any: ['harness', 'schemas'], typeOnly: ['runner'] },
  runner: { any: ['suites', 'harness', 'schemas'] },
  suites: { any: ['harness', 'schemas'] },
  harness: { any: ['schemas'] },
  reports: { any: ['schemas'], typeOnly: ['runner'] },
  schemas: { any: [] },
  'reference-servers': { any: [] },
  // The reference and broken clients, like the reference servers, import nothing of the suite.
  'reference-clients': { any: [] },
};

interface ImportRef {
  file: string;
  from: Room;
  specifier: string;
  target?: Room;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Static imports, `export … from`, and `import('…')` with a literal specifier. */
export function importsOf(text: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(statement)) found.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

function roomOf(path: string): Room | undefined {
  const first = relative(ROOT, path).split(sep)[0];
  return (ROOMS as readonly string[]).includes(first!) ? (first as Room) : undefined;
}

function allImports(): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const room of ROOMS) {
    for (const file of sourceFiles(join(ROOT, room))) {
      for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        const target = specifier.startsWith('.') ? roomOf(resolve(dirname(file), specifier)) : undefined;
        refs.push({ file: relative(ROOT, file), from: room, specifier, target, typeOnly });
      }
    }
  }
  return refs;
}

function breaks(ref: ImportRef): boolean {
  if (!ref.target || ref.target === ref.from) return false;
  const rule = ALLOWED[ref.from];
  if (rule.any.includes(ref.target)) return false;
  return !(ref.typeOnly && rule.typeOnly?.includes(ref.target));
}

describe('the layout: every import points down', () => {
  const refs = allImports();

  it('finds the imports of every room (the reader is not blind)', () => {
    // schemas/ holds only generated types, which import nothing.
    for (const room of ROOMS.filter((r) => r !== 'schemas')) expect(refs.some((r) => r.from === room), room).toBe(true);
    expect(refs.some((r) => r.from === 'runner' && r.target === 'suites')).toBe(true);
    expect(refs.some((r) => r.file === 'runner/runner.ts' && r.specifier === '../harness/discovery.js'), 'a dynamic import').toBe(true);
  });

  for (const room of ROOMS) {
    it(`${room}/ imports only ${[...ALLOWED[room].any, ...(ALLOWED[room].typeOnly ?? []).map((r) => `types of ${r}`)].join(', ') || 'itself and packages'}`, () => {
      const wrong = refs.filter((r) => r.from === room && breaks(r)).map((r) => `${r.file} → ${r.specifier}${r.typeOnly ? ' (type)' : ''}`);
      expect(wrong).toEqual([]);
    });
  }

  it('flags an upward import (the rule can fail)', () => {
    expect(breaks({ file: 'harness/x.ts', from: 'harness', specifier: '../suites/check.js', target: 'suites', typeOnly: true })).toBe(true);
    expect(breaks({ file: 'reports/x.ts', from: 'reports', specifier: '../runner/runner.js', target: 'runner', typeOnly: false })).toBe(true);
    expect(breaks({ file: 'reports/x.ts', from: 'reports', specifier: '../runner/types.js', target: 'runner', typeOnly: true })).toBe(false);
    expect(importsOf("import type { A } from '../runner/types.js';\nconst m = await import('../cli/main.js');")).toEqual([
      { specifier: '../runner/types.js', typeOnly: true },
      { specifier: '../cli/main.js', typeOnly: false },
    ]);
  });

  it('the bin entry in package.json is cli/bin', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin['mcp-session-conformance']).toBe('dist/cli/bin.js');
  });
});
