// Reads schemas/examples/<schema>/{valid,invalid}/*.json and the invalid/reasons.json files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export const EXAMPLES_DIR = new URL('../../schemas/examples/', import.meta.url);

export interface Reason {
  /** JSON pointer of the bad (or missing) value. */
  path: string;
  /** The ajv keyword that must fail there. */
  keyword: string;
}

export interface Example {
  schema: string;
  file: string;
  text: string;
  value: unknown;
}

function jsonFiles(dir: URL): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'reasons.json')
    .sort();
}

export function exampleSchemas(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function examples(schema: string, kind: 'valid' | 'invalid'): Example[] {
  const dir = new URL(`${schema}/${kind}/`, EXAMPLES_DIR);
  return jsonFiles(dir).map((file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    return { schema, file, text, value: JSON.parse(text) as unknown };
  });
}

export function reasons(schema: string): Record<string, Reason> {
  const file = new URL(`${schema}/invalid/reasons.json`, EXAMPLES_DIR);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Reason>;
}

/** Parent of a JSON pointer ('' for a top-level member). */
export function parentPointer(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

/** Last segment of a JSON pointer, unescaped (the property name). */
export function lastSegment(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}
