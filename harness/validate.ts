// Validates JSON values against the suite's wire schemas (schemas/*.schema.json) and turns
// ajv's errors into short, readable problems. Every schema is compiled once, on first use.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';

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

/** The schemas that describe wire messages (everything but the report format), in a stable order. */
const WIRE_SCHEMAS: readonly SchemaName[] = [
  'jsonrpc-message',
  'jsonrpc-request',
  'jsonrpc-notification',
  'jsonrpc-success',
  'jsonrpc-error',
  'session-metadata',
  'session-meta',
  'sessions-create-request',
  'sessions-create-response',
  'sessions-delete-request',
  'sessions-delete-response',
  'session-request',
  'session-response',
  'error-session-not-found',
  'error-session-required',
  'sessions-capability',
  'initialize-response',
];

/** Annotation naming the only draft profiles a schema belongs to (absent: every profile). */
const PROFILES_KEYWORD = 'x-profiles';

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
for (const file of readdirSync(schemaDir).sort()) {
  if (!file.endsWith('.schema.json')) continue;
  const name = file.slice(0, -'.schema.json'.length);
  const text = readFileSync(new URL(file, schemaDir), 'utf8');
  rawSchemas.set(name, JSON.parse(text) as Record<string, unknown>);
}

// Compiled on first use, not at import: the CLI starts the target first, so compiling (~60 ms)
// overlaps the target's own start-up.
const compiled = new Map<string, ValidateFunction>();
const brokenSchemas = new Map<string, string>();
let compiledOnce = false;

function compileAll(): void {
  if (compiledOnce) return;
  compiledOnce = true;
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats');
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: PROFILES_KEYWORD, schemaType: 'array' });
  for (const schema of rawSchemas.values()) ajv.addSchema(schema);

  // Our own schemas must compile, or nothing works: fail at first use. A schema someone else is still
  // writing (e.g. report) must not take the wire validation down with it: fail when it is used.
  for (const [name, schema] of rawSchemas) {
    try {
      const fn = ajv.getSchema(String(schema.$id ?? ''));
      if (!fn) throw new Error(`schema ${name} has no $id`);
      compiled.set(name, fn);
    } catch (err) {
      if ((WIRE_SCHEMAS as readonly string[]).includes(name)) throw err;
      brokenSchemas.set(name, err instanceof Error ? err.message : String(err));
    }
  }
  for (const name of WIRE_SCHEMAS) {
    if (!compiled.has(name)) throw new Error(`schema ${name}.schema.json missing in ${fileURLToPath(schemaDir)}`);
  }
  notificationShortcut = envelopeIsOneOfBranches() && ['request', 'success', 'error'].every((b) => requiresId(MESSAGE_BRANCHES[b as Branch]));
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
  throw new Error(broken ? `schema ${name} does not compile: ${broken}` : `unknown schema ${name}`);
}

export function validate(name: SchemaName, value: unknown): Validation {
  if (name === 'jsonrpc-message') return validateMessage(value);
  return run(validatorFor(name), value);
}

/** Which wire schemas apply under a draft profile (schemas marked x-profiles only under those profiles). */
export function schemasFor(draft: string): SchemaName[] {
  return WIRE_SCHEMAS.filter((name) => {
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
