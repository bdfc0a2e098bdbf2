// Builds the smallest value a JSON Schema allows, by hand: required properties only, the
// lowest counts and lengths, the first enum value. Where a schema offers alternatives (enum,
// oneOf/anyOf branches, if/then/else, distinct items under uniqueItems) it walks them in
// order, smallest first, and keeps the first candidate ajv accepts for that part of the
// schema. Patterns are filled with randexp, driven to its minimal choices. All work counts
// against the synthesis budget (harness/tool-schema.ts): past it, OverBudget.
import { num, numbers, patternStrings, safeTest, SAMPLE_STRING, strings, take } from './scalar-values.js';
import { BUDGET, OverBudget, type CompiledToolSchema } from './tool-schema.js';
import { isObject } from './values.js';

type Schema = Record<string, any>;
/** Candidates looked at per alternative, beyond those already used (uniqueItems). */
const CANDIDATES = 12;
/** Steps of work (values built or looked at) for one tool's arguments. */
const STEPS = 20_000;
const NONE: unique symbol = Symbol('none');
type Maybe = unknown | typeof NONE;

export class ValueBuilder {
  private steps = 0;
  private chars = 0;

  constructor(
    private readonly root: Schema,
    private readonly compiled: CompiledToolSchema,
  ) {}

  /** The smallest valid value of the root schema, or undefined when none was found. */
  build(): unknown {
    const found = this.first(this.root, 0);
    return found === NONE ? undefined : found;
  }

  /** The `skip`-th candidate of `schema` that ajv accepts for it and `accept` allows. */
  private first(schema: unknown, depth: number, accept: (v: unknown) => boolean = () => true, skip = 0, extra = 0): Maybe {
    let looked = 0;
    let skipped = 0;
    for (const value of this.values(schema, depth)) {
      if (++looked > CANDIDATES + skip + extra) break;
      if (typeof value === 'string' && (this.chars += value.length) > BUDGET.searchedChars) {
        throw new OverBudget(`more than ${BUDGET.searchedChars} characters of strings`);
      }
      if (!accept(value)) continue;
      if (isObject(schema) && this.compiled.validPart(schema, value) === false) continue;
      if (skipped++ < skip) continue;
      return value;
    }
    return NONE;
  }

  private tick(depth: number): void {
    if (++this.steps > STEPS) throw new OverBudget(`more than ${STEPS} steps of work`);
    if (depth > BUDGET.depth) throw new OverBudget(`values nested deeper than ${BUDGET.depth} levels`);
  }

  /** Candidate values of a schema, smallest first (lazy). */
  private *values(raw: unknown, depth: number): Generator<unknown> {
    this.tick(depth);
    if (raw === true || raw === undefined) {
      yield SAMPLE_STRING;
      return;
    }
    if (!isObject(raw)) return;
    let schema = this.resolve(raw);
    if ('const' in schema) {
      yield schema.const;
      return;
    }
    if (Array.isArray(schema.enum)) {
      for (const value of schema.enum.slice(0, 64)) yield value;
      return;
    }
    if (schema.default !== undefined) yield schema.default;
    for (let i = 0; i < 8 && Array.isArray(schema.allOf); i++) {
      const { allOf, ...rest } = schema;
      schema = allOf.reduce((acc: Schema, part: unknown) => merge(acc, isObject(part) ? this.resolve(part) : {}), rest);
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const { [key]: _branches, ...rest } = schema;
      // A few candidates from each branch in turn, so one branch cannot starve the next.
      // A null branch last: `anyOf: [{type: null}, X]` is an optional X, and X says more.
      const resolved = branches.slice(0, 16).map((b: unknown) => (isObject(b) ? this.resolve(b) : {}));
      const ordered = [...resolved.filter((b) => b.type !== 'null'), ...resolved.filter((b) => b.type === 'null')];
      for (const branch of ordered) yield* take(this.values(merge(rest, branch), depth + 1), 4);
      return;
    }
    if (isObject(schema.if) && (isObject(schema.then) || isObject(schema.else))) {
      const { if: _if, then, else: otherwise, ...rest } = schema;
      if (isObject(then)) yield* take(this.values(merge(merge(rest, this.resolve(then)), this.resolve(schema.if)), depth + 1), 4);
      if (isObject(otherwise)) yield* take(this.values(merge(rest, this.resolve(otherwise)), depth + 1), 4);
      yield* take(this.values(rest, depth + 1), 4);
      return;
    }
    for (const type of typesOf(schema, depth)) yield* this.typed(schema, type, depth);
  }

  private *typed(schema: Schema, type: string, depth: number): Generator<unknown> {
    switch (type) {
      case 'null':
        yield null;
        return;
      case 'boolean':
        yield true;
        yield false;
        return;
      case 'integer':
      case 'number':
        yield* numbers(schema, type === 'integer');
        return;
      case 'string':
        yield* strings(schema);
        return;
      case 'array':
        yield* this.arrays(schema, depth);
        return;
      case 'object':
        for (let variant = 0; variant < 4; variant++) {
          const value = this.object(schema, depth, variant);
          if (value === NONE) return;
          yield value;
        }
    }
  }

  private *arrays(schema: Schema, depth: number): Generator<unknown> {
    const tuple: unknown[] = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const rest: unknown = Array.isArray(schema.prefixItems) ? schema.items : Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    const containsNeeded = schema.contains === undefined ? 0 : typeof schema.minContains === 'number' ? schema.minContains : 1;
    const count = Math.max(num(schema.minItems), containsNeeded);
    if (count > BUDGET.items) throw new OverBudget(`an array of at least ${count} items`);
    for (let variant = 0; variant < 3; variant++) {
      const out: unknown[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < count; i++) {
        const itemSchema = i < tuple.length ? tuple[i] : rest;
        if (itemSchema === false) return;
        const wanted = i < containsNeeded && schema.contains !== undefined ? merge(asSchema(itemSchema), asSchema(schema.contains)) : itemSchema;
        const distinct = (v: unknown) => !schema.uniqueItems || !seen.has(canonical(v));
        const value =
          wanted === itemSchema
            ? this.first(itemSchema, depth + 1, distinct, i === 0 ? variant : 0, seen.size)
            : firstOf(this.values(wanted, depth + 1), (v) => distinct(v) && this.compiled.validPart(asSchema(itemSchema), v) !== false, CANDIDATES + seen.size);
        if (value === NONE) return;
        seen.add(canonical(value));
        out.push(value);
      }
      yield out;
      if (count === 0) return;
    }
  }

  /** The required properties (and what they make required), then more until minProperties. */
  private object(schema: Schema, depth: number, variant: number): Maybe {
    const props: Schema = isObject(schema.properties) ? schema.properties : {};
    const out: Record<string, unknown> = {};
    const wanted: string[] = Array.isArray(schema.required) ? schema.required.filter((k: unknown) => typeof k === 'string') : [];
    const add = (key: string, skip: number): boolean => {
      if (Object.prototype.hasOwnProperty.call(out, key)) return true;
      if (Object.keys(out).length >= BUDGET.items) throw new OverBudget(`an object of more than ${BUDGET.items} properties`);
      const value = this.first(this.propertySchema(schema, key), depth + 1, () => true, skip);
      if (value === NONE) return false;
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      for (const dependent of dependentsOf(schema, key)) if (!wanted.includes(dependent)) wanted.push(dependent);
      return true;
    };
    for (let i = 0; i < wanted.length; i++) if (!add(wanted[i]!, i === 0 ? variant : 0)) return NONE;
    const minimum = num(schema.minProperties);
    const optional = Object.keys(props).filter((k) => !wanted.includes(k));
    for (let n = 0; Object.keys(out).length < minimum && n < minimum + optional.length + 8; n++) {
      const key = optional[n] ?? this.extraKey(schema, n - optional.length, out);
      if (key === undefined) break;
      if (!add(key, 0)) continue;
      for (let i = 0; i < wanted.length; i++) if (!add(wanted[i]!, 0)) return NONE;
    }
    if (variant > 0 && wanted.length === 0 && minimum === 0) return NONE;
    return out;
  }

  /** A property name beyond `properties`: from patternProperties, else a plain name if allowed. */
  private extraKey(schema: Schema, n: number, taken: Record<string, unknown>): string | undefined {
    const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
    for (const pattern of patterns) {
      for (const key of take(patternStrings(pattern, 0, Infinity), 4 + n)) {
        if (typeof key === 'string' && !Object.prototype.hasOwnProperty.call(taken, key)) return key;
      }
    }
    if (schema.additionalProperties === false || schema.unevaluatedProperties === false) return undefined;
    const key = `property${n + 1}`;
    return Object.prototype.hasOwnProperty.call(taken, key) ? undefined : key;
  }

  private propertySchema(schema: Schema, key: string): unknown {
    if (isObject(schema.properties) && Object.prototype.hasOwnProperty.call(schema.properties, key)) return schema.properties[key];
    if (isObject(schema.patternProperties)) {
      for (const [pattern, sub] of Object.entries(schema.patternProperties)) if (safeTest(pattern, key)) return sub;
    }
    return isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  }

  /** Follows local $refs (a few hops); siblings of a $ref are kept (2020-12 reads them too). */
  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let hops = 0; hops < 16 && typeof current.$ref === 'string'; hops++) {
      const { $ref: ref, ...siblings } = current;
      const target = pointer(this.root, ref);
      if (!isObject(target)) return siblings;
      current = Object.keys(siblings).length > 0 ? merge(target, siblings) : target;
    }
    return current;
  }
}

function pointer(root: Schema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let target: any = root;
  for (const part of ref.slice(2).split('/')) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(target) && !Array.isArray(target)) return undefined;
    target = Object.prototype.hasOwnProperty.call(target, key) ? (target as any)[key] : undefined;
  }
  return target;
}

/** Both schemas at once, as far as the builder reads them (required, properties, types). */
function merge(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (Array.isArray(a.required) || Array.isArray(b.required)) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (isObject(a.properties) && isObject(b.properties)) {
    const properties: Schema = { ...a.properties };
    for (const [k, v] of Object.entries(b.properties)) properties[k] = k in properties ? { allOf: [properties[k], v] } : v;
    out.properties = properties;
  }
  if (a.type !== undefined && b.type !== undefined) {
    const left = [a.type].flat();
    const both = [b.type].flat().filter((t) => left.includes(t) || (t === 'integer' && left.includes('number')));
    out.type = both.length > 0 ? both : b.type;
  }
  for (const key of ['minimum', 'minLength', 'minItems', 'minProperties'] as const) {
    if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.max(a[key], b[key]);
  }
  for (const key of ['maximum', 'maxLength', 'maxItems', 'maxProperties'] as const) {
    if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.min(a[key], b[key]);
  }
  return out;
}

function typesOf(schema: Schema, depth: number): string[] {
  const declared = [schema.type].flat().filter((t): t is string => typeof t === 'string');
  if (declared.length > 0) return [...declared.filter((t) => t !== 'null'), ...declared.filter((t) => t === 'null')];
  if (schema.properties || schema.required || schema.minProperties || schema.patternProperties) return ['object'];
  if (schema.items !== undefined || schema.prefixItems || schema.minItems || schema.contains) return ['array'];
  if (typeof schema.pattern === 'string' || schema.minLength !== undefined || schema.format) return ['string'];
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return ['number'];
  return depth === 0 ? ['object'] : ['string', 'integer', 'boolean', 'object', 'array', 'null'];
}

/** Names that become required when `key` is present (dependentRequired, draft-07 dependencies). */
function dependentsOf(schema: Schema, key: string): string[] {
  const out: string[] = [];
  for (const source of [schema.dependentRequired, schema.dependencies]) {
    if (isObject(source) && Array.isArray(source[key])) out.push(...source[key].filter((k: unknown) => typeof k === 'string'));
  }
  return out;
}

function firstOf(items: Iterable<unknown>, accept: (v: unknown) => boolean, limit: number): Maybe {
  for (const item of take(items, limit)) if (accept(item)) return item;
  return NONE;
}

function asSchema(value: unknown): Schema {
  return isObject(value) ? value : {};
}

/** A key for deep equality (uniqueItems): JSON with sorted object keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}
