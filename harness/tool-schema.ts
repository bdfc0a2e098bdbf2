// A target's tool inputSchema, made safe to work with: how big the smallest value it allows
// can be (the synthesis budget), and an ajv validator for it. The schema comes from the
// target, so nothing here may throw on it or run away with time or memory: a schema that is
// too big to fill, or that ajv cannot compile, is a reason the tool cannot be used.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { clip, isObject } from './values.js';

/** The most synthesis may build for one tool's arguments. Past any of these, the tool is untestable. */
export const BUDGET = {
  /** Characters of one string. */
  stringLength: 4096,
  /** Items of one array, properties of one object. */
  items: 256,
  /** Values built in all (each string, number, array, object counts one). */
  values: 4096,
  /** Nesting of the value built. */
  depth: 32,
  /** Serialized size of the arguments, bytes. */
  bytes: 64 * 1024,
  /** Schemas ajv compiles while looking for a value (each alternative is checked). */
  compiles: 200,
  /** Characters of all strings looked at while searching (candidates included). */
  searchedChars: 1024 * 1024,
  /**
   * Nesting of the inputSchema itself (deeper ones are refused before ajv sees them). Below the
   * wire's bound (MAX_DEPTH, 200 levels for the whole message, envelope included): a schema
   * that arrives in a tools/list answer is at most ~195 levels deep, so a bound of 200 here
   * could never refuse one.
   */
  schemaDepth: 128,
} as const;

export class OverBudget extends Error {}

type Schema = Record<string, any>;

/**
 * The first size the schema demands that is beyond the budget, as a sentence, or undefined.
 * Walks the whole schema (bounded by the number of nodes) so a tool that asks for a billion
 * characters is refused before anything is built.
 */
export function sizeDemandBeyondBudget(schema: unknown): string | undefined {
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: schema, path: '', depth: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (++visited > 100_000) return `the schema has more than 100000 nodes`;
    if (depth > BUDGET.schemaDepth) return `the schema is nested more than ${BUDGET.schemaDepth} levels deep`;
    if (!Array.isArray(node)) {
      const s = node as Schema;
      const over = (key: string, limit: number, what: string) =>
        typeof s[key] === 'number' && s[key] > limit ? `${path || '/'} requires ${key} ${s[key]} (${what}; the budget is ${limit})` : undefined;
      const found =
        over('minLength', BUDGET.stringLength, 'characters') ??
        over('minItems', BUDGET.items, 'items') ??
        over('minContains', BUDGET.items, 'items') ??
        over('minProperties', BUDGET.items, 'properties') ??
        (typeof s.pattern === 'string' ? patternBeyondBudget(s.pattern, path) : undefined);
      if (found) return found;
    }
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, path: `${path}/${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/** A regex whose repetition counts multiply past the string budget (`a{1000000000}`, `(a{1000}){1000}`). */
function patternBeyondBudget(pattern: string, path: string): string | undefined {
  let product = 1;
  for (const m of pattern.matchAll(/\{(\d+)(,\d*)?\}/g)) {
    product *= Math.max(1, Number(m[1]));
    if (product > BUDGET.stringLength) {
      return `${path || '/'} has pattern ${JSON.stringify(pattern.slice(0, 80))} whose repetitions exceed ${BUDGET.stringLength} characters (the budget)`;
    }
  }
  return undefined;
}

/** Which JSON Schema dialect to read a tool's schema as: its $schema, else 2020-12 (MCP's default). */
function dialect(schema: Schema): 'draft-07' | '2020-12' {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  return /draft-0[4-7]/.test(declared) ? 'draft-07' : '2020-12';
}

export interface CompiledToolSchema {
  /** Whether `value` is valid against the whole schema. */
  valid(value: unknown): boolean;
  /** Why the last value checked with `valid` was invalid (ajv's first errors). */
  lastErrors(): string;
  /**
   * Whether `value` is valid against a part of the schema, or undefined when that part cannot
   * be checked on its own (its refs leave the definitions, or the compile budget is spent).
   */
  validPart(part: Schema, value: unknown): boolean | undefined;
}

type Dialect = ReturnType<typeof dialect>;

function newAjv(draft: Dialect): Ajv {
  const options = { strict: false, allErrors: false, validateSchema: false, logger: false, unicodeRegExp: true } as const;
  const ajv = draft === 'draft-07' ? new Ajv(options) : new Ajv2020(options);
  addFormats.default(ajv);
  return ajv;
}

/**
 * One ajv instance per dialect for the tools of a process: building one (formats included) cost
 * ~15 ms of CPU, and a run compiles several tools, on discovery's path before any check starts
 * (issue 15). Sharing must never change a verdict: ajv keeps a nested $id to the schema that
 * declares it (and the root $id is dropped before compiling), so one tool's schema cannot clash
 * with another's; and whatever the shared instance still refuses is compiled again on an instance
 * of its own, whose verdict stands (no schema is known to get there). A refused compile may leave
 * half of itself in the shared instance, so that one is not used again.
 */
const shared = new Map<Dialect, Ajv>();
function compileShared(draft: Dialect, schema: Schema): ValidateFunction {
  let ajv = shared.get(draft);
  if (!ajv) shared.set(draft, (ajv = newAjv(draft)));
  try {
    return ajv.compile(schema);
  } catch {
    shared.delete(draft);
    return newAjv(draft).compile(schema);
  }
}

/** Compiles a tool's inputSchema; a schema ajv rejects gives the reason instead. */
export function compileToolSchema(schema: unknown): { ok: true; compiled: CompiledToolSchema } | { ok: false; why: string } {
  if (typeof schema === 'boolean') schema = schema ? {} : { not: {} };
  if (!isObject(schema)) return { ok: false, why: `its inputSchema is not a JSON Schema object (${describeKind(schema)})` };
  const root = schema;
  const draft = dialect(root);
  let whole: ValidateFunction;
  try {
    whole = compileShared(draft, withoutId(root));
  } catch (err) {
    return { ok: false, why: `ajv cannot compile its inputSchema (${clip(errorText(err), 160)})` };
  }
  let last: ValidateFunction = whole;
  const parts = new WeakMap<object, ValidateFunction | null>();
  let compiles = 0;
  const definitions = { ...(root.$defs === undefined ? {} : { $defs: root.$defs }), ...(root.definitions === undefined ? {} : { definitions: root.definitions }) };
  return {
    ok: true,
    compiled: {
      valid(value) {
        last = whole;
        return safeValidate(whole, value);
      },
      lastErrors() {
        return (last.errors ?? [])
          .slice(0, 3)
          .map((e) => `${e.instancePath || '/'} ${e.message}`)
          .join('; ');
      },
      validPart(part, value) {
        if (part === root) return safeValidate(whole, value);
        let fn = parts.get(part);
        if (fn === undefined) {
          if (compiles >= BUDGET.compiles) return undefined;
          compiles++;
          try {
            fn = compileShared(draft, { ...withoutId(part), ...definitions, ...(root.$schema ? { $schema: root.$schema } : {}) });
          } catch {
            fn = null;
          }
          parts.set(part, fn);
        }
        return fn === null ? undefined : safeValidate(fn, value);
      },
    },
  };
}

function withoutId(schema: Schema): Schema {
  const { $id: _id, id: _legacy, ...rest } = schema;
  return rest;
}

function safeValidate(fn: ValidateFunction, value: unknown): boolean {
  try {
    return fn(value) === true;
  } catch {
    return false;
  }
}

function describeKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
