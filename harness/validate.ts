// Validates JSON values against the suite's wire schemas (schemas/*.schema.json) and turns
// ajv's errors into short, readable problems. Every schema is compiled once, on first use.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { AJV_OPTIONS, fingerprint, PROFILES_KEYWORD, WIRE_SCHEMAS } from './validate-options.js';

// ajv is loaded at first use too (below), not at import: it is most of what the CLI would
// otherwise load before it spawns the target (issue 15: the CLI's own start ≤ 150 ms).
const require = createRequire(import.meta.url);

export type SchemaName =
  | 'jsonrpc-message'
  | 'jsonrpc-request'
  | 'jsonrpc-notification'
  | 'jsonrpc-success'
  | 'jsonrpc-error'
  | 'session-metadata'
  | 'session-meta'
  | 'sessions-create-request'
  | 'sessions-create-response'
  | 'sessions-delete-request'
  | 'sessions-delete-response'
  | 'session-request'
  | 'session-response'
  | 'error-session-not-found'
  | 'error-session-required'
  | 'sessions-capability'
  | 'initialize-response'
  | 'report';

export interface SchemaProblem {
  /** JSON pointer (RFC 6901, `~1` escapes kept) of the value ajv reports on; '' is the root. */
  path: string;
  /** The ajv keyword that failed (type, required, const, not, oneOf, additionalProperties…). */
  keyword: string;
  /** Readable message; property names appear unescaped. */
  message: string;
}

export type Validation = { valid: true } | { valid: false; problems: SchemaProblem[]; text: string };

// The module runs from dist/harness/ (built, or installed as a package) and from harness/
// (vitest on the TS source): the first candidate that holds the schemas wins.
function findSchemaDir(): URL {
  const candidates = [new URL('../../schemas/', import.meta.url), new URL('../schemas/', import.meta.url)];
  for (const dir of candidates) {
    if (existsSync(new URL('jsonrpc-message.schema.json', dir))) return dir;
  }
  throw new Error(`schemas/ not found (looked in ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

const schemaDir = findSchemaDir();

const rawSchemas = new Map<string, Record<string, unknown>>();
const schemaTexts = new Map<string, string>();
for (const file of readdirSync(schemaDir).sort()) {
  if (!file.endsWith('.schema.json')) continue;
  const name = file.slice(0, -'.schema.json'.length);
  const text = readFileSync(new URL(file, schemaDir), 'utf8');
  schemaTexts.set(name, text);
  rawSchemas.set(name, JSON.parse(text) as Record<string, unknown>);
}

// Compiled on first use, not at import: the CLI starts the target first, so compiling overlaps
// the target's own start-up. The wire schemas come compiled ahead when the build generated them
// (scripts/gen-validators.mjs → wire-validators.cjs beside this module) from exactly the schemas
// on disk; otherwise, and for the report schema (tests and tools only), ajv compiles them here.
const compiled = new Map<string, ValidateFunction>();
const brokenSchemas = new Map<string, string>();
let compiledOnce = false;
let runtimeAjv: import('ajv/dist/2020.js').Ajv2020 | undefined;
/** Where the wire validators came from: 'ahead' (generated at build) or 'runtime' (ajv here). */
export let wireValidatorsSource: 'ahead' | 'runtime' | undefined;

function compileAll(): void {
  if (compiledOnce) return;
  compiledOnce = true;
  const ahead = aheadCompiled();
  for (const name of WIRE_SCHEMAS) {
    const fn = ahead?.[name];
    if (fn) compiled.set(name, fn);
  }
  wireValidatorsSource = ahead ? 'ahead' : 'runtime';
  if (!ahead) {
    // Our own schemas must compile, or nothing works: fail at first use.
    for (const name of WIRE_SCHEMAS) {
      if (!rawSchemas.has(name)) throw new Error(`schema ${name}.schema.json missing in ${fileURLToPath(schemaDir)}`);
      compiled.set(name, compileAtRuntime(name));
    }
  }
  notificationShortcut = envelopeIsOneOfBranches() && ['request', 'success', 'error'].every((b) => requiresId(MESSAGE_BRANCHES[b as Branch]));
}

/** The build's ahead-compiled wire validators, if present and compiled from these very schemas. */
function aheadCompiled(): Record<string, ValidateFunction> | undefined {
  const file = new URL('wire-validators.cjs', import.meta.url);
  if (!existsSync(file)) return undefined;
  try {
    const mod = require(fileURLToPath(file)) as Record<string, ValidateFunction> & { fingerprint?: string };
    if (mod.fingerprint !== fingerprint(schemaTexts)) return undefined;
    return WIRE_SCHEMAS.every((name) => typeof mod[name] === 'function') ? mod : undefined;
  } catch {
    return undefined;
  }
}

function compileAtRuntime(name: string): ValidateFunction {
  if (!runtimeAjv) {
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const addFormats = require('ajv-formats') as typeof import('ajv-formats');
    runtimeAjv = new Ajv2020({ ...AJV_OPTIONS });
    addFormats.default(runtimeAjv);
    runtimeAjv.addKeyword({ keyword: PROFILES_KEYWORD, schemaType: 'array' });
    for (const schema of rawSchemas.values()) runtimeAjv.addSchema(schema);
  }
  const fn = runtimeAjv.getSchema(String(rawSchemas.get(name)?.$id ?? ''));
  if (!fn) throw new Error(`schema ${name} has no $id`);
  return fn;
}

// The envelope is "exactly one of request, notification, success, error". When the request,
// success and error schemas each require `id`, a value without `id` fails all three, so the
// envelope holds exactly when the notification schema does: one branch to run instead of four
// for every notification read. Taken only when the schemas on disk say so (checked when they
// compile), and only for the verdict "valid": anything else takes the full path below.
let notificationShortcut = false;
type Branch = keyof typeof MESSAGE_BRANCHES;

function envelopeIsOneOfBranches(): boolean {
  const envelope = rawSchemas.get('jsonrpc-message') ?? {};
  const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description']);
  if (!Object.keys(envelope).every((k) => k === 'oneOf' || ANNOTATIONS.has(k))) return false;
  const refs = Array.isArray(envelope.oneOf) ? envelope.oneOf.map((b) => JSON.stringify(b)) : [];
  const expected = Object.values(MESSAGE_BRANCHES).map((name) => JSON.stringify({ $ref: `${name}.schema.json` }));
  return refs.length === expected.length && expected.every((e) => refs.includes(e));
}

function requiresId(name: string): boolean {
  const required = rawSchemas.get(name)?.required;
  return Array.isArray(required) && required.includes('id');
}

function validatorFor(name: string): ValidateFunction {
  compileAll();
  const fn = compiled.get(name);
  if (fn) return fn;
  const broken = brokenSchemas.get(name);
  if (broken) throw new Error(`schema ${name} does not compile: ${broken}`);
  if (!rawSchemas.has(name)) throw new Error(`unknown schema ${name}`);
  // A schema someone else is still writing (e.g. report) must not take the wire validation
  // down with it: it fails when it is used.
  try {
    const late = compileAtRuntime(name);
    compiled.set(name, late);
    return late;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    brokenSchemas.set(name, why);
    throw new Error(`schema ${name} does not compile: ${why}`);
  }
}

export function validate(name: SchemaName, value: unknown): Validation {
  if (name === 'jsonrpc-message') return validateMessage(value);
  return run(validatorFor(name), value);
}

/** Which wire schemas apply under a draft profile (schemas marked x-profiles only under those profiles). */
export function schemasFor(draft: string): SchemaName[] {
  return (WIRE_SCHEMAS as readonly SchemaName[]).filter((name) => {
    const only = rawSchemas.get(name)?.[PROFILES_KEYWORD];
    return !Array.isArray(only) || only.includes(draft);
  });
}

/** The raw schema object as it is on disk (a copy: callers may change it freely). */
export function loadSchema(name: string): object {
  const schema = rawSchemas.get(name);
  if (!schema) throw new Error(`unknown schema ${name}`);
  return structuredClone(schema);
}

function run(fn: ValidateFunction, value: unknown): Validation {
  if (fn(value)) return VALID;
  return failed(toProblems(fn.errors ?? []));
}

function failed(problems: SchemaProblem[]): Validation {
  return { valid: false, problems, text: problems.map(formatProblem).join('\n') };
}

// ajv reports every branch of the message oneOf, which buries the one real problem under
// "must have required property 'method'" noise from the branches the sender never meant.
// Pick the branch the message's shape announces and report that branch's errors only.
const MESSAGE_BRANCHES = {
  request: 'jsonrpc-request',
  notification: 'jsonrpc-notification',
  success: 'jsonrpc-success',
  error: 'jsonrpc-error',
} as const;

function intendedBranch(value: object): keyof typeof MESSAGE_BRANCHES | undefined {
  if ('method' in value) return 'id' in value ? 'request' : 'notification';
  if ('error' in value) return 'error';
  if ('result' in value || 'id' in value) return 'success';
  return undefined;
}

// One answer for every valid value: validation runs on every line read, and most are valid.
const VALID: Validation = Object.freeze({ valid: true });

function validateMessage(value: unknown): Validation {
  const whole = validatorFor('jsonrpc-message');
  if (
    notificationShortcut &&
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { id?: unknown }).id === undefined &&
    compiled.get('jsonrpc-notification')!(value)
  ) {
    return VALID;
  }
  if (whole(value)) return VALID;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failed([{ path: '', keyword: 'type', message: 'must be a JSON object' }]);
  }
  const branch = intendedBranch(value);
  if (branch) {
    const result = run(validatorFor(MESSAGE_BRANCHES[branch]), value);
    if (!result.valid) {
      const problems = result.problems.map((p) => ({ ...p, message: `${p.message} (as a JSON-RPC ${branch})` }));
      return failed(problems);
    }
  }
  return failed([
    {
      path: '',
      keyword: 'oneOf',
      message: 'must be a JSON-RPC request, notification, success response or error response',
    },
  ]);
}

function toProblems(errors: ErrorObject[]): SchemaProblem[] {
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    const problem: SchemaProblem = { path: error.instancePath, keyword: error.keyword, message: describe(error) };
    const key = `${problem.path}\u0000${problem.keyword}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/** ajv's message, with the detail it leaves in params (which property, which constant) put back in. */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `must NOT have additional property '${String(params.additionalProperty)}'`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'type':
      return `must be ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`;
    case 'false schema':
      // `"key": false` under properties is how the schemas say "this member must not be sent".
      return 'must NOT be present';
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/** JSON pointer → readable path: `~1` and `~0` unescaped, '' shown as (root). */
function readablePath(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer.replace(/~1/g, '/').replace(/~0/g, '~');
}

function formatProblem(problem: SchemaProblem): string {
  return `at ${readablePath(problem.path)}: ${problem.message}`;
}
